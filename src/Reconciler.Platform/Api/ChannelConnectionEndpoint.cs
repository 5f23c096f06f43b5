using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Reconciler.Platform.Resources;

namespace Reconciler.Platform.Api;

/// <summary>
/// <c>PUT /api/v1/channels/{id}/connection</c>: where a channel's provider reports its connection state (a revoked
/// Telegram token, an expired LINE access token). On the reference platform ops and tests call it with an
/// <c>admin:write</c> token to make a channel Disconnected or Error; the channel's <c>connection</c> is otherwise read-only.
/// </summary>
internal static class ChannelConnectionEndpoint
{
    public static void Map(RouteGroupBuilder api, ChannelHandler handler)
    {
        api.MapPut($"/{handler.Collection}/{{id}}/connection", (string id, HttpContext http, MutationService mutations, CancellationToken ct) =>
                MaintainedReport.ApplyAsync<ChannelConnectionDto, ChannelDto>(handler, id, http, mutations, WireRules.Check, ChannelHandler.Report, ct))
            .WithName("ReportChannelConnection").WithTags(handler.Collection).Accepts<ChannelConnectionDto>("application/json")
            .Produces<ChannelDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Reconciler.Platform.Resources;
using Reconciler.Platform.Validation;

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
        api.MapPut($"/{handler.Collection}/{{id}}/connection", (string id, HttpContext http, MutationService mutations, CancellationToken ct) => ReportAsync(handler, id, http, mutations, ct))
            .WithName("ReportChannelConnection").WithTags(handler.Collection).Accepts<ChannelConnectionDto>("application/json")
            .Produces<ChannelDto>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> ReportAsync(ChannelHandler handler, string id, HttpContext http, MutationService mutations, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, cancellationToken);
        var errors = new ValidationErrors();
        var report = RequestBody.Parse<ChannelConnectionDto>(buffer.ToArray(), errors);
        if (report is not null)
        {
            foreach (var violation in WireRules.Check(report))
                errors.Add(violation.Path, violation.Expected);
        }

        if (report is null || !errors.IsEmpty)
            return Problems.Validation(errors.ToDictionary());
        return await mutations.UpdateMaintainedAsync(handler, id, http, (stored, now) => ChannelHandler.Report((ChannelDto)stored, report, now), cancellationToken);
    }
}

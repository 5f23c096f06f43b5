using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Reconciler.Platform.Resources;

namespace Reconciler.Platform.Api;

/// <summary>
/// Where the platform's own integrations report what the organisation profile shows but an administrator does not set:
/// <c>PUT /api/v1/organization/helpdesk-links</c> (a helpdesk integration linked or unlinked) and
/// <c>PUT /api/v1/organization/licences</c> (billing sold a number of seats). On the reference platform ops and tests
/// call them with an <c>admin:write</c> token; both are audited and versioned like any update, and the organisation's
/// replace never changes what they set.
/// </summary>
internal static class OrganizationFactsEndpoint
{
    public static void Map(RouteGroupBuilder api, OrganizationHandler handler)
    {
        api.MapPut($"/{handler.Collection}/helpdesk-links", (HttpContext http, MutationService mutations, CancellationToken ct) =>
                MaintainedReport.ApplyAsync<HelpdeskLinkDto, OrganizationDto>(handler, handler.SingletonId, http, mutations, WireRules.Check, OrganizationHandler.LinkHelpdesk, ct))
            .WithName("ReportHelpdeskLink").WithTags(handler.Collection).Accepts<HelpdeskLinkDto>("application/json")
            .Produces<OrganizationDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPut($"/{handler.Collection}/licences", (HttpContext http, MutationService mutations, CancellationToken ct) =>
                MaintainedReport.ApplyAsync<LicencesDto, OrganizationDto>(handler, handler.SingletonId, http, mutations, WireRules.Check, (stored, report, _) => OrganizationHandler.SetSeats(stored, report.SeatsBought), ct))
            .WithName("SetLicences").WithTags(handler.Collection).Accepts<LicencesDto>("application/json")
            .Produces<OrganizationDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
    }
}

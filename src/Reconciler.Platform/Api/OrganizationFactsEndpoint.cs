using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Reconciler.Platform.Resources;
using Reconciler.Platform.Validation;

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
                ReportAsync<HelpdeskLinkDto>(handler, http, mutations, WireRules.Check, (stored, report, now) => OrganizationHandler.LinkHelpdesk(stored, report, now), ct))
            .WithName("ReportHelpdeskLink").WithTags(handler.Collection).Accepts<HelpdeskLinkDto>("application/json")
            .Produces<OrganizationDto>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPut($"/{handler.Collection}/licences", (HttpContext http, MutationService mutations, CancellationToken ct) =>
                ReportAsync<LicencesDto>(handler, http, mutations, WireRules.Check, (stored, report, _) => OrganizationHandler.SetSeats(stored, report.SeatsBought), ct))
            .WithName("SetLicences").WithTags(handler.Collection).Accepts<LicencesDto>("application/json")
            .Produces<OrganizationDto>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> ReportAsync<T>(
        OrganizationHandler handler,
        HttpContext http,
        MutationService mutations,
        Func<T, IReadOnlyList<Violation>> rules,
        Func<OrganizationDto, T, DateTimeOffset, OrganizationDto> change,
        CancellationToken cancellationToken)
        where T : class
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, cancellationToken);
        var errors = new ValidationErrors();
        var report = RequestBody.Parse<T>(buffer.ToArray(), errors);
        if (report is not null)
        {
            foreach (var violation in rules(report))
                errors.Add(violation.Path, violation.Expected);
        }

        if (report is null || !errors.IsEmpty)
            return Problems.Validation(errors.ToDictionary());
        return await mutations.UpdateMaintainedAsync(handler, handler.SingletonId, http, (stored, now) => change((OrganizationDto)stored, report, now), cancellationToken);
    }
}

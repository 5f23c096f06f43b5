using Microsoft.AspNetCore.Routing;
using Reconciler.Platform.Api;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Contract.Rules;
using Reconciler.Platform.Validation;
using C = Reconciler.Platform.Contract.AdminApi.Collections;

namespace Reconciler.Platform.Resources;

/// <summary>
/// The organisation profile (singleton, key <c>organization</c>). The Firebase service-account key is write-only (kept
/// when a replace omits it, its change time tracked, never presented); helpdesk links and seats bought are maintained by
/// the platform (a replace never changes them); seats used are the active agents, counted when the profile is read.
/// </summary>
internal sealed class OrganizationHandler() : ResourceHandler<OrganizationDto>(C.Organization, "org", _ => C.Organization, WireRules.Check)
{

    protected override void Validate(OrganizationDto dto, OrganizationDto? existing, ValidationErrors errors)
    {
        // Write-only: a replace may omit the key to keep the stored one, so only the platform can tell whether one is missing.
        if (dto.PushNotifications is { } push && string.IsNullOrEmpty(push.ServiceAccountKey) && existing?.PushNotifications?.ServiceAccountKey is null)
            errors.Add("pushNotifications.serviceAccountKey", "is required when no service-account key is stored yet");
    }

    public override void MapExtraRoutes(RouteGroupBuilder api) => OrganizationFactsEndpoint.Map(api, this);

    protected override IEnumerable<Reference> References(OrganizationDto dto) =>
        Ref("defaultOfficeHoursId", C.OfficeHours, dto.DefaultOfficeHoursId);

    protected override OrganizationDto Prepare(OrganizationDto incoming, OrganizationDto? existing, DateTimeOffset now)
    {
        var push = incoming.PushNotifications;
        if (push is not null)
        {
            var stored = existing?.PushNotifications;
            var key = string.IsNullOrEmpty(push.ServiceAccountKey) ? stored?.ServiceAccountKey : push.ServiceAccountKey;
            var changed = key is not null && !string.Equals(key, stored?.ServiceAccountKey, StringComparison.Ordinal);
            push = push with
            {
                ServiceAccountKey = key,
                ServiceAccountKeySet = key is not null,
                ServiceAccountKeyUpdatedAt = changed ? now : stored?.ServiceAccountKeyUpdatedAt,
            };
        }

        return incoming with
        {
            PushNotifications = push,
            HelpdeskLinks = existing?.HelpdeskLinks,
            Licences = existing?.Licences is { } licences ? licences with { SeatsUsed = 0 } : null,
        };
    }

    protected override OrganizationDto Present(OrganizationDto stored) => stored with
    {
        HelpdeskLinks = [.. OrganizationRules.HelpdeskProviders.Select(p =>
            stored.HelpdeskLinks?.FirstOrDefault(l => l.Provider == p) ?? new HelpdeskLinkDto { Provider = p })],
    };

    protected override async Task<OrganizationDto> WithCountsAsync(OrganizationDto stored, Func<string, string, Task<int>> countWhereTrue) =>
        stored.Licences is { } licences
            ? stored with { Licences = licences with { SeatsUsed = await countWhereTrue(C.Agents, "active") } }
            : stored;

    /// <summary>A helpdesk integration reports its link: the time moves only when the link or its account does.</summary>
    public static OrganizationDto LinkHelpdesk(OrganizationDto stored, HelpdeskLinkDto report, DateTimeOffset now)
    {
        var previous = stored.HelpdeskLinks?.FirstOrDefault(l => l.Provider == report.Provider);
        var link = report with
        {
            Account = report.Connected ? report.Account : null,
            Since = previous is not null && previous.Connected == report.Connected && previous.Account == (report.Connected ? report.Account : null) ? previous.Since : now,
        };
        return stored with
        {
            HelpdeskLinks = [.. (stored.HelpdeskLinks ?? []).Where(l => l.Provider != report.Provider).Append(link).OrderBy(l => l.Provider, StringComparer.Ordinal)],
        };
    }

    /// <summary>Billing sets the seats bought.</summary>
    public static OrganizationDto SetSeats(OrganizationDto stored, int seatsBought) =>
        stored with { Licences = new LicencesDto { SeatsBought = seatsBought } };
}

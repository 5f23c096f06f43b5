using System.Globalization;
using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;

namespace Reconciler.Core.Resources;

/// <summary>
/// The organisation profile: a singleton that always exists on the platform and is only ever updated. The platform
/// reports its licence usage and helpdesk links, which the status shows, with a <c>SeatsExceeded</c> warning condition
/// and the seat gauges.
/// </summary>
public static class OrganizationKind
{
    /// <summary>The natural key of the one organisation profile.</summary>
    public const string SingletonKey = "organization";

    /// <summary>True (a warning) while more agents are active than seats are bought.</summary>
    public const string SeatsExceededCondition = "SeatsExceeded";
    public const string WithinSeatsReason = "WithinSeats";
    public const string SeatsUsedGauge = "reconciler_licence_seats_used";
    public const string SeatsBoughtGauge = "reconciler_licence_seats_bought";

    public static readonly KindDescription<Organization> Description = new()
    {
        Collection = "organization",
        ApplyOrder = 7,
        IsSingleton = true,
        ExportFileName = "organization.yaml",
        Key = _ => SingletonKey,
        TimeZone = new(o => o.Spec.Timezone, "timezone"),
        References = [ReferenceField<Organization>.One("spec.defaultOfficeHoursRef", "OfficeHours", o => o.Spec.DefaultOfficeHoursRef)],
        StatusFacts = WithAccount,
        Gauges =
        [
            new StatusGauge(SeatsUsedGauge, "Seats in use (active agents) as the platform reports them; no series when the account has no seat limit.", (_, status) => Seats(status, l => l.SeatsUsed)),
            new StatusGauge(SeatsBoughtGauge, "Seats bought, as the platform reports them; no series when the account has no seat limit.", (_, status) => Seats(status, l => l.SeatsBought)),
        ],
        Mapper = new OrganizationMapper(),
    };

    /// <summary>
    /// Licence usage, helpdesk links and the SeatsExceeded condition from the platform's report. An unchanged report
    /// yields an equal status (the same lists and condition), so nothing is written; the condition's time moves only
    /// when its status does.
    /// </summary>
    private static ResourceStatus WithAccount(ResourceStatus status, PlatformObject observed, SecretValues _)
    {
        if (status is not OrganizationStatus organization)
            return status;
        var licences = observed.Fields["licences"] is JsonObject reported
            ? new LicenceUsage { SeatsUsed = Int(reported["seatsUsed"]), SeatsBought = Int(reported["seatsBought"]) }
            : null;
        var links = (observed.Fields["helpdeskLinks"] as JsonArray ?? []).OfType<JsonObject>().Select(l => new HelpdeskLink
        {
            Provider = l["provider"]?.GetValue<string>() ?? "",
            Connected = l["connected"]?.GetValue<bool>() ?? false,
            Account = l["account"]?.GetValue<string>(),
            Since = Time(l["since"]),
        }).ToList();
        var conditions = status.Conditions ?? [];
        var previous = conditions.FirstOrDefault(c => c.Type == SeatsExceededCondition);
        Condition? condition = licences is null ? null : Seats(licences, previous, status.ObservedGeneration, Time(observed.Fields["updatedAt"]));
        var others = conditions.Where(c => c.Type != SeatsExceededCondition);
        return organization with
        {
            Licences = organization.Licences == licences ? organization.Licences : licences,
            HelpdeskLinks = organization.HelpdeskLinks is { } known && known.SequenceEqual(links) ? known : links.Count == 0 ? null : links,
            Conditions = previous == condition ? status.Conditions : [.. (condition is null ? others : others.Append(condition)).OrderBy(c => c.Type, StringComparer.Ordinal)],
        };
    }

    /// <summary>
    /// Seats used are counted by the platform when read, so it cannot say when they crossed the seats bought: a new
    /// verdict is stamped with the profile's last change on the platform, and kept while the verdict stands.
    /// </summary>
    private static Condition Seats(LicenceUsage licences, Condition? previous, long? generation, DateTimeOffset? changed)
    {
        var exceeded = licences.SeatsUsed > licences.SeatsBought;
        var state = exceeded ? "True" : "False";
        var message = exceeded
            ? string.Create(CultureInfo.InvariantCulture, $"{licences.SeatsUsed} active agents but {licences.SeatsBought} seats bought: buy {licences.SeatsUsed - licences.SeatsBought} more or deactivate agents")
            : string.Create(CultureInfo.InvariantCulture, $"{licences.SeatsUsed} of {licences.SeatsBought} seats used");
        return new Condition
        {
            Type = SeatsExceededCondition,
            Status = state,
            Reason = exceeded ? SeatsExceededCondition : WithinSeatsReason,
            Message = message,
            ObservedGeneration = generation,
            LastTransitionTime = previous is not null && previous.Status == state ? previous.LastTransitionTime : changed ?? DateTimeOffset.UnixEpoch,
        };
    }

    private static GaugeReading? Seats(ResourceStatus status, Func<LicenceUsage, int> read) =>
        status is OrganizationStatus { Licences: { } licences } ? new GaugeReading(read(licences), []) : null;

    private static DateTimeOffset? Time(JsonNode? node) =>
        DateTimeOffset.TryParse(node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;

    private static int Int(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var number) ? number : 0;
}

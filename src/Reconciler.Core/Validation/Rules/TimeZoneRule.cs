using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation.Rules;

/// <summary>Time zones are IANA ids the runtime knows (ICU), e.g. Europe/Berlin; Windows ids are not portable.</summary>
public sealed class TimeZoneRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        foreach (var resource in context.Set.Resources)
        {
            var zone = resource switch
            {
                Organization o => o.Spec.Timezone,
                OfficeHours h => h.Spec.Timezone,
                _ => null,
            };
            if (zone is not null && !IsIana(zone))
            {
                yield return context.Error(DiagnosticCodes.TimeZone, resource, "spec.timezone",
                    $"\"{zone}\" is not an IANA time zone (e.g. Europe/Berlin, America/Sao_Paulo, UTC)");
            }
        }
    }

    public static bool IsIana(string zone) =>
        zone.Length > 0 && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) && found.HasIanaId;
}

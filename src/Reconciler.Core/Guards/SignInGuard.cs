using Reconciler.Core.Impact;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Guards;

/// <summary>
/// Refuses a plan after which people of a domain could not sign in: password login is turned off (SSO enforced) for a
/// domain no enabled provider serves (SSO enforced with no provider for the domain, or the last enabled provider
/// disabled while enforced), or an enforcing provider's client secret cannot be resolved.
/// </summary>
public sealed class SignInGuard : IPlanGuard
{
    public string Name => "sign-in";

    /// <summary>A plan that changes no SSO provider locks no new domain out; only its unresolved secrets remain to check.</summary>
    public IReadOnlyList<GuardViolation>? QuickCheck(GuardInput input) =>
        input.Changed(SsoProviderKind.Description.Collection!).Any() ? null : [.. UnresolvedSecrets(input)];

    public IEnumerable<GuardViolation> Check(GuardInput input) => LockedOut(input).Concat(UnresolvedSecrets(input));

    private static IEnumerable<GuardViolation> LockedOut(GuardInput input)
    {
        var (before, after) = (input.States.Before, input.States.After);
        var wasLocked = LockedDomains(before).ToHashSet(StringComparer.Ordinal);
        foreach (var domain in LockedDomains(after).Where(d => !wasLocked.Contains(d)))
        {
            var enforcing = after.SsoProviders.Values.Where(p => p.Enforced && p.Domains.Contains(domain)).ToList();
            yield return new GuardViolation(
                $"password login would be off for {domain} (enforced by {string.Join(", ", enforcing.Select(p => p.Name))}) with no enabled SSO provider for it",
                [.. enforcing.Select(p => input.States.AddressOf(p.Id)).OfType<ResourceId>()]);
        }
    }

    private static IEnumerable<GuardViolation> UnresolvedSecrets(GuardInput input)
    {
        var unresolved = input.Plan.Errors.Where(e => e.Reason == Engine.ReconcileErrorKind.SecretNotFound.Reason).Select(e => e.Address).ToHashSet();
        if (unresolved.Count == 0)
            yield break;
        foreach (var provider in input.Desired.Resources.OfType<SsoProvider>().Where(p => p.Spec.Enforced && unresolved.Contains(p.Id)))
        {
            yield return new GuardViolation(
                $"{provider.Metadata.Name} enforces SSO for {string.Join(", ", provider.Spec.AllowedDomains)} but its client secret cannot be resolved",
                [provider.Id]);
        }
    }

    /// <summary>Domains whose password login is off and that no enabled provider serves.</summary>
    private static IEnumerable<string> LockedDomains(OrgSnapshot state)
    {
        var served = state.SsoProviders.Values.Where(p => p.Enabled).SelectMany(p => p.Domains).ToHashSet(StringComparer.Ordinal);
        return state.SsoProviders.Values.Where(p => p.Enforced).SelectMany(p => p.Domains).Where(d => !served.Contains(d)).Distinct().Order(StringComparer.Ordinal);
    }
}

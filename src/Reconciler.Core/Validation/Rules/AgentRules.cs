using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation.Rules;

/// <summary>E-mail is the platform's natural key for agents, compared case-insensitively.</summary>
public sealed class UniqueAgentEmailRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        var first = new Dictionary<string, Agent>(StringComparer.OrdinalIgnoreCase);
        foreach (var agent in context.Set.OfType<Agent>())
        {
            if (!first.TryAdd(agent.Spec.Email, agent))
            {
                var other = first[agent.Spec.Email];
                yield return context.Error(DiagnosticCodes.DuplicateEmail, agent, "spec.email",
                    $"\"{agent.Spec.Email}\" is already the e-mail of agent \"{other.Metadata.Name}\" ({context.Set.Locate(other, "spec.email")}); e-mails are compared case-insensitively");
            }
        }
    }
}

/// <summary>Phone numbers are E.164: a plus, a country code and up to 15 digits, no spaces.</summary>
public sealed partial class PhoneRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        foreach (var resource in context.Set.Resources)
        {
            var (path, phone) = resource switch
            {
                Agent a => ("spec.mobile", a.Spec.Mobile),
                Organization o => ("spec.contact.phone", o.Spec.Contact?.Phone),
                _ => ("", null),
            };
            if (phone is not null && !E164().IsMatch(phone))
                yield return context.Error(DiagnosticCodes.Phone, resource, path, $"\"{phone}\" is not an E.164 phone number (e.g. +5511987654321)");
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(Patterns.E164)]
    private static partial System.Text.RegularExpressions.Regex E164();
}

/// <summary>Languages are well-formed BCP-47 tags (RFC 5646 syntax), e.g. en, pt-BR, zh-Hant-TW.</summary>
public sealed class LanguageTagRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        foreach (var agent in context.Set.OfType<Agent>())
        {
            for (var i = 0; i < agent.Spec.Languages.Count; i++)
            {
                var tag = agent.Spec.Languages[i];
                var path = $"spec.languages[{i}]";
                if (!LanguageTag.IsWellFormed(tag))
                    yield return context.Error(DiagnosticCodes.LanguageTag, agent, path, $"\"{tag}\" is not a BCP-47 language tag (e.g. en, pt-BR, zh-Hant-TW)");
                else if (LanguageTag.HasReservedLanguage(tag))
                    yield return context.Warning(DiagnosticCodes.LanguageTag, agent, path, $"\"{tag}\" has a reserved primary language subtag; use an ISO 639 code such as en");
            }
        }
    }
}

/// <summary>Lists whose items are a set: the same business unit, language, capability or category twice is a mistake.</summary>
public sealed class DuplicateItemRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        foreach (var resource in context.Set.Resources)
        {
            IReadOnlyList<(string Path, string Suffix, IReadOnlyList<string> Items, StringComparer Comparer)> lists = resource switch
            {
                Agent a =>
                [
                    ("spec.businessUnitRefs", ".name", [.. a.Spec.BusinessUnitRefs.Select(r => r.Name)], StringComparer.Ordinal),
                    ("spec.languages", "", a.Spec.Languages, StringComparer.OrdinalIgnoreCase),
                    ("spec.capabilities", "", [.. a.Spec.Capabilities.Select(c => c.ToString())], StringComparer.Ordinal),
                    ("spec.categories", "", a.Spec.Categories, StringComparer.OrdinalIgnoreCase),
                ],
                SsoProvider s => [("spec.allowedDomains", "", s.Spec.AllowedDomains, StringComparer.OrdinalIgnoreCase)],
                Role r => [("spec.permissions", "", r.Spec.Permissions, StringComparer.Ordinal)],

                // Tag names are what agents pick from; "VIP" and "vip" in one group would confuse them.
                TagGroup t => [("spec.tags", ".name", [.. t.Spec.Tags.Select(tag => tag.Name)], StringComparer.OrdinalIgnoreCase)],
                _ => [],
            };
            foreach (var (path, suffix, items, comparer) in lists)
            {
                var seen = new Dictionary<string, int>(comparer);
                for (var i = 0; i < items.Count; i++)
                {
                    if (!seen.TryAdd(items[i], i))
                    {
                        yield return context.Error(DiagnosticCodes.DuplicateItem, resource, $"{path}[{i}]{suffix}",
                            $"\"{items[i]}\" is already listed at {path}[{seen[items[i]]}]");
                    }
                }
            }
        }
    }
}

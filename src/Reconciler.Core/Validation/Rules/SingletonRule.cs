using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Validation.Rules;

/// <summary>A set describes one platform: at most one Organization and one PlatformConnection.</summary>
public sealed class SingletonRule : IValidationRule
{
    private static readonly string[] SingletonKinds = [.. ResourceCatalog.Kinds.Where(k => k.Description.IsSingleton).Select(k => k.Kind)];

    public IEnumerable<Diagnostic> Check(ValidationContext context)
    {
        foreach (var kind in SingletonKinds)
        {
            var all = context.Set.Resources.Where(r => r.Kind == kind).ToList();
            foreach (var extra in all.Skip(1))
            {
                var first = context.Set.Locate(all[0], "metadata.name");
                yield return context.Error(DiagnosticCodes.Singleton, extra, "metadata.name",
                    $"at most one {kind} per set; {Excerpt.Quoted(all[0].Metadata.Name)} is already defined at {first}") with { Related = first };
            }
        }
    }
}

/// <summary>Built-in objects (roles) exist on every platform and cannot be redefined.</summary>
public sealed class BuiltInRoleRule : IValidationRule
{
    public IEnumerable<Diagnostic> Check(ValidationContext context) =>
        context.Set.Resources
            .Where(r => ResourceCatalog.DescriptionOf(r).BuiltIn.Contains(r.Metadata.Name))
            .Select(r => context.Error(DiagnosticCodes.BuiltIn(r.Kind), r, "metadata.name",
                $"{Excerpt.Quoted(r.Metadata.Name)} is a built-in {ResourceCatalog.DescriptionOf(r).Noun}; reference it without defining it, or choose another name"));
}

using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Validation;

/// <summary>One semantic rule over a whole typed set; returns every violation, throws for none.</summary>
public interface IValidationRule
{
    IEnumerable<Diagnostic> Check(ValidationContext context);
}

/// <summary>What a rule sees: the set, and how to point a diagnostic at a field of a resource.</summary>
public sealed class ValidationContext(ManifestSet set)
{
    public ManifestSet Set { get; } = set;

    public Diagnostic Error(string code, Resource resource, string path, string message) =>
        Diagnostic.Error(code, Set.Locate(resource, path), path, message);

    public Diagnostic Warning(string code, Resource resource, string path, string message) =>
        Diagnostic.Warning(code, Set.Locate(resource, path), path, message);
}

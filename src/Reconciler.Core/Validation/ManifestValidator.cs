using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Core.Validation.Rules;

namespace Reconciler.Core.Validation;

/// <summary>The outcome of validating a set of manifests: what loaded, and every problem found, in file order.</summary>
public sealed record ValidationReport(IReadOnlyList<Resource> Resources, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool IsValid => ErrorCount == 0;

    public int ErrorCount => Diagnostics.Count(d => d.IsError);

    public int WarningCount => Diagnostics.Count(d => !d.IsError);
}

/// <summary>Loads manifests and runs every structural and semantic rule over them; what <c>reconciler validate</c> runs.</summary>
public static class ManifestValidator
{
    /// <summary>The semantic rules, in the order their diagnostics are collected.</summary>
    public static IReadOnlyList<IValidationRule> Rules { get; } =
    [
        new ReferenceRule(),
        new SupervisorRule(),
        new SingletonRule(),
        new BuiltInRoleRule(),
        new UniqueNaturalKeyRule(),
        new TemplateLanguageRule(),
        new ReservedLanguageRule(),
        new WireRule(),
        new ScheduleRule(),
        new FieldOwnersRule(),
    ];

    public static ValidationReport Validate(IEnumerable<string> filesOrFolders, ManifestLimits? limits = null) =>
        Validate(ManifestLoader.Load(filesOrFolders, limits));

    public static ValidationReport ValidateYaml(string yaml, string file = "manifest.yaml") =>
        Validate(ManifestLoader.LoadYaml(yaml, file));

    public static ValidationReport Validate(ManifestSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var context = new ValidationContext(set);
        var diagnostics = set.Diagnostics.Concat(Rules.SelectMany(r => r.Check(context)))
            .OrderBy(d => d.File, StringComparer.Ordinal)
            .ThenBy(d => d.Line)
            .ThenBy(d => d.Column)
            .ToList();
        return new ValidationReport(set.Resources, diagnostics);
    }
}

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

    // The rules only read the set, so a large set's rules run side by side (the wire checks, the largest, are parallel
    // themselves) and what they find is collected in rule order, as one after another would find it.
    private const int ParallelFromResources = 1000;

    public static ValidationReport Validate(ManifestSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var context = new ValidationContext(set);
        var found = set.Resources.Count >= ParallelFromResources && Environment.ProcessorCount > 1
            ? CheckInParallel(context)
            : Rules.SelectMany(r => r.Check(context));
        var diagnostics = set.Diagnostics.Concat(found)
            .OrderBy(d => d.File, StringComparer.Ordinal)
            .ThenBy(d => d.Line)
            .ThenBy(d => d.Column)
            .ToList();
        return new ValidationReport(set.Resources, diagnostics);
    }

    // A method of its own, so that a small set never loads System.Threading.Tasks.Parallel.
    private static IEnumerable<Diagnostic> CheckInParallel(ValidationContext context)
    {
        var found = new List<Diagnostic>[Rules.Count];
        Parallel.For(0, Rules.Count, i => found[i] = [.. Rules[i].Check(context)]);
        return found.SelectMany(d => d);
    }
}

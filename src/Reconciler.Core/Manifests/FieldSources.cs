using Reconciler.Core.Engine;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Manifests;

/// <summary>
/// Points a plan's errors at the field they are about (a secret reference, a reference, a field the platform would
/// refuse) rather than at the start of the resource. The planner does not hold the files' positions (the operator has
/// none, and a loaded set keeps them only while validating), so each file with such an error is read again here: a rare
/// path, which a run without errors never takes.
/// </summary>
public static class FieldSources
{
    public static Plan Locate(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.Errors.Any(Locatable))
            return plan;

        var sets = new Dictionary<string, ManifestSet>(StringComparer.Ordinal);
        return plan with { Errors = [.. plan.Errors.Select(error => Locatable(error) ? Located(error, sets) : error)] };
    }

    private static bool Locatable(PlanError error) =>
        error is { Field: not null, Source.File: var file } && file is not (ManifestLoader.StandardInput or ManifestLoader.StandardInputName) && File.Exists(file);

    private static PlanError Located(PlanError error, Dictionary<string, ManifestSet> sets)
    {
        var file = error.Source!.File;
        if (!sets.TryGetValue(file, out var set))
            sets[file] = set = ManifestLoader.Load([file]);

        // A file edited since it was loaded may no longer hold the resource; the resource's own position stands then.
        if (set.Resources.FirstOrDefault(r => r.Id == error.Address) is not { } resource)
            return error;
        var at = set.Locate(resource, error.Field!);
        return at.Line > 0 ? error with { Source = new SourceSpan(file, at.Line, at.Column) } : error;
    }
}

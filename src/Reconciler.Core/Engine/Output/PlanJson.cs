using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;
using Reconciler.Core.Validation;

namespace Reconciler.Core.Engine.Output;

/// <summary>
/// The machine-readable plan, modelled on <c>terraform show -json</c>: a <c>format_version</c>, values as real JSON,
/// unknown and sensitive values flagged instead of described, drift reported apart from the changes. The contract is
/// docs/plan-json.md and docs/plan-json.schema.json.
/// </summary>
public static class PlanJson
{
    /// <summary>Bumped in the minor for additions, in the major for anything a consumer could trip over.</summary>
    public const string FormatVersion = "1.3";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The plan as JSON; source files are written relative to <paramref name="relativeTo"/> when given, so a plan reads the same from every checkout.</summary>
    public static string Write(Plan plan, string? relativeTo = null) => Build(plan, relativeTo).ToJsonString(Options);

    /// <inheritdoc cref="Write"/>
    public static JsonObject Build(Plan plan, string? relativeTo = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new JsonObject
        {
            ["format_version"] = FormatVersion,
            ["applyable"] = plan.HasChanges && !plan.IsBlocked,
            ["errored"] = plan.Errors.Count > 0,
            ["summary"] = new JsonObject
            {
                ["add"] = plan.ToAdd,
                ["change"] = plan.ToChange,
                ["delete"] = plan.ToDelete,
                ["adopt"] = plan.ToAdopt,
                ["unchanged"] = plan.Unchanged.Count,
                ["not_in_manifests"] = plan.NotInManifests.Count,
                ["errors"] = plan.Errors.Count,
            },
            ["resource_changes"] = Array(plan.Changes.Select(c => ResourceChange(c, relativeTo))),
            ["resource_drift"] = Array(plan.Changes.Where(c => c.Drift is not null).Select(Drift)),
            ["not_in_manifests"] = Array(plan.NotInManifests.Select(Identity)),
            ["errors"] = Array(plan.Errors.Select(e => new JsonObject
            {
                ["address"] = e.Address.ToString(),
                ["kind"] = e.Address.Kind,
                ["name"] = e.Address.Name,
                ["reason"] = e.Reason,
                ["message"] = e.Message,
                ["source"] = Source(e.Source, relativeTo),
            })),
            ["diagnostics"] = new JsonArray(),
            ["refusals"] = Array(plan.Refusals.Select(r => (JsonNode)JsonValue.Create(r))),
            ["guards"] = Impact.PlanReviewJson.Guards(plan),
            ["impact"] = Impact.PlanReviewJson.Impact(plan.Impact),
            ["evaluated_at"] = plan.EvaluatedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["transitions"] = Array(plan.Transitions.Select(Transition)),
        };
    }

    /// <summary>
    /// The document for a run that made no plan (invalid manifests, an unreachable platform): the plan's shape, so that a
    /// pipeline reading plans reads the reason too, with <c>errored</c>, nothing planned, and the problems in
    /// <c>diagnostics</c> as <c>validate -o json</c> writes them.
    /// </summary>
    public static JsonObject Unplanned(IEnumerable<Diagnostic> diagnostics, string relativeTo)
    {
        var document = Build(new Plan(), relativeTo);
        document["errored"] = true;
        document["diagnostics"] = Array(diagnostics.Select(d => ReportFormatter.DiagnosticJson(d, relativeTo)));
        return document;
    }

    /// <summary><see cref="Unplanned"/>, written as plans are.</summary>
    public static string WriteUnplanned(IEnumerable<Diagnostic> diagnostics, string relativeTo) => Unplanned(diagnostics, relativeTo).ToJsonString(Options);

    private static JsonArray Array(IEnumerable<JsonNode> items) => new([.. items.Select(i => (JsonNode?)i)]);

    private static JsonObject Identity(PlannedChange change) => new()
    {
        ["address"] = change.Address.ToString(),
        ["kind"] = change.Address.Kind,
        ["name"] = change.Address.Name,
        ["collection"] = change.Collection,
        ["key"] = change.Key,
        ["object_id"] = change.ObjectId,
    };

    private static JsonObject ResourceChange(PlannedChange change, string? relativeTo)
    {
        var result = Identity(change);
        result["source"] = Source(change.Source, relativeTo);
        result["depends_on"] = Array(change.DependsOn.Select(d => (JsonNode)JsonValue.Create(d.ToString())));
        result["change"] = new JsonObject
        {
            ["actions"] = new JsonArray(JsonValue.Create(change.Action.ToString().ToLowerInvariant())),
            ["fields"] = Array(change.Fields.Select(Field)),
            ["effects"] = Array(change.Effects.Select(e => (JsonNode)JsonValue.Create(e))),
        };
        result["owned_fields"] = Array(change.Owned.Select(o => new JsonObject { ["path"] = o.ManifestPath, ["wire_path"] = o.Path, ["owner"] = o.Owner }));
        return result;
    }

    private static JsonObject Field(FieldChange field) => new()
    {
        ["path"] = field.DisplayPath,
        ["wire_path"] = field.Path,
        ["before"] = field.Sensitive ? null : field.BeforeValue?.DeepClone(),
        ["after"] = field.Sensitive ? null : field.AfterValue?.DeepClone(),
        ["after_unknown"] = field.AfterUnknown,
        ["before_sensitive"] = field.Sensitive && field.Before is not null,
        ["after_sensitive"] = field.Sensitive,
    };

    private static JsonObject Transition(Schedules.ScheduledTransition transition) => new()
    {
        ["at"] = transition.At.ToString("O", CultureInfo.InvariantCulture),
        ["address"] = transition.Address.ToString(),
        ["kind"] = transition.Address.Kind,
        ["name"] = transition.Address.Name,
        ["description"] = transition.Description,
        ["changes"] = Array(transition.Changes.Select(c => new JsonObject { ["path"] = c.Field, ["from"] = c.From, ["to"] = c.To })),
    };

    private static JsonObject Drift(PlannedChange change) => new()
    {
        ["address"] = change.Address.ToString(),
        ["changed_by"] = change.Drift!.Actor,
        ["changed_at"] = change.Drift.At.ToString("O", CultureInfo.InvariantCulture),
        ["reason"] = change.Drift.Reason,
        ["fields"] = Array(change.Fields.Select(f => (JsonNode)JsonValue.Create(f.DisplayPath))),
    };

    private static JsonObject? Source(SourceSpan? source, string? relativeTo) => source?.RelativeTo(relativeTo) is not { } relative ? null : new JsonObject
    {
        ["file"] = relative.File,
        ["line"] = relative.Line,
        ["column"] = relative.Column,
    };
}

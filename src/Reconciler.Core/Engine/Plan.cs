using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Reconciler.Core.Guards;
using Reconciler.Core.Impact;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Engine;

/// <summary>What a plan does to one platform object.</summary>
public enum ChangeAction
{
    /// <summary><c>+</c>: the object does not exist.</summary>
    Create,

    /// <summary><c>~</c>: a marked object differs.</summary>
    Update,

    /// <summary><c>-</c>: a marked object no manifest wants (prune).</summary>
    Delete,

    /// <summary><c>&lt;=</c>: an unmarked object with the same natural key is taken over, marked and corrected.</summary>
    Adopt,
}

/// <summary>One differing field: <see cref="Path"/> is the wire path; values already rendered for people (ids shown as names, secrets masked).</summary>
public sealed record FieldChange(string Path, string? Before, string? After, bool Sensitive = false)
{
    /// <summary>How the field compares; a set's update is rendered as added and removed items.</summary>
    public ComparisonShape Shape { get; init; } = ComparisonShape.Scalar;

    /// <summary>Where the field is in the manifest (<c>spec.businessUnitRefs</c>); the wire path when it has no manifest counterpart.</summary>
    public string? ManifestPath { get; init; }

    /// <summary>The old value as JSON, references shown by name; null when absent or sensitive.</summary>
    public JsonNode? BeforeValue { get; init; }

    /// <summary>The new value as JSON, references shown by name; null when absent or sensitive.</summary>
    public JsonNode? AfterValue { get; init; }

    /// <summary>The new value references an object created in the same run: its id is known only after apply.</summary>
    public bool AfterUnknown { get; init; }

    /// <summary>The comparison rule, for rendering nested values in the manifest's order.</summary>
    [JsonIgnore]
    public ComparisonRule? Rule { get; init; }

    /// <summary>The path people know: the manifest's when there is one.</summary>
    public string DisplayPath => ManifestPath ?? Path;
}

/// <summary>Who last changed a drifted object outside Reconciler, from the platform's audit trail.</summary>
public sealed record DriftInfo(string Actor, DateTimeOffset At, string? Reason);

/// <summary>One operation of a plan.</summary>
public sealed record PlannedChange
{
    public required ResourceId Address { get; init; }

    public required ChangeAction Action { get; init; }

    public required string Collection { get; init; }

    /// <summary>The platform's natural key.</summary>
    public required string Key { get; init; }

    public string? ObjectId { get; init; }

    /// <summary>The version observed; sent as If-Match.</summary>
    public long? ObservedVersion { get; init; }

    public IReadOnlyList<FieldChange> Fields { get; init; } = [];

    /// <summary>Resources whose change must succeed first (their ids are referenced).</summary>
    public IReadOnlyList<ResourceId> DependsOn { get; init; } = [];

    /// <summary>Set when the audit trail shows the object was last changed by someone else.</summary>
    public DriftInfo? Drift { get; init; }

    /// <summary>What the platform does by itself when the change is applied ("invitation will be sent to …").</summary>
    public IReadOnlyList<string> Effects { get; init; } = [];

    /// <summary>Fields another system owns (fieldOwners): left as the platform has them, never compared.</summary>
    public IReadOnlyList<FieldOwnership.OwnedField> Owned { get; init; } = [];

    /// <summary>The manifest the resource came from, for the change reason.</summary>
    public SourceSpan? Source { get; init; }

    [JsonIgnore]
    public Resource? Desired { get; init; }

    [JsonIgnore]
    public PlatformObject? Observed { get; init; }

    /// <summary>The wire fields the change leaves on the platform (ids of objects still to be created are pending ids); null for a delete.</summary>
    [JsonIgnore]
    public JsonObject? Wanted { get; init; }
}

/// <summary>A resource that cannot be planned (ReferenceNotFound, SecretNotFound, BuiltInRole…); other resources still are.</summary>
public sealed record PlanError(ResourceId Address, string Reason, string Message, SourceSpan? Source)
{
    /// <summary>
    /// The manifest path of the field the error is about, when it is about one; the planner knows only where the resource
    /// starts, so a runner that has the files points <see cref="Source"/> at the field (<c>Manifests.FieldSources</c>).
    /// </summary>
    [JsonIgnore]
    public string? Field { get; init; }
}

/// <summary>A resource that already matches the platform.</summary>
public sealed record UnchangedResource(ResourceId Address, string Collection, string ObjectId)
{
    /// <summary>The natural key; names the resource's pending create, which observing the object releases.</summary>
    public string? Key { get; init; }
}

/// <summary>
/// The difference between manifests and platform, as a value: rendering, exit codes, JSON and the executor all read it.
/// Adoptions count as changes in <see cref="ToChange"/> (the object exists and is modified).
/// </summary>
public sealed record Plan
{
    public IReadOnlyList<PlannedChange> Changes { get; init; } = [];

    /// <summary>Marked objects no manifest wants, kept because prune is off.</summary>
    public IReadOnlyList<PlannedChange> NotInManifests { get; init; } = [];

    public IReadOnlyList<UnchangedResource> Unchanged { get; init; } = [];

    public IReadOnlyList<PlanError> Errors { get; init; } = [];

    /// <summary>Safety limits the plan breaks; the executor refuses to run such a plan.</summary>
    public IReadOnlyList<string> Refusals { get; init; } = [];

    /// <summary>What the guards found: refused findings block the plan, allowed and warning ones are shown.</summary>
    public IReadOnlyList<GuardFinding> Guards { get; init; } = [];

    /// <summary>Access and coverage impact; null when not asked for (the operator).</summary>
    public PlanImpact? Impact { get; init; }

    /// <summary>Platform ids known when planning, for references the executor resolves.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<ResourceId, string> KnownIds { get; init; } = new Dictionary<ResourceId, string>();

    /// <summary>The instant the desired state was evaluated at (dated changes); null when the plan ignores dates.</summary>
    public DateTimeOffset? EvaluatedAt { get; init; }

    /// <summary>Dated changes still to come after <see cref="EvaluatedAt"/>, in order.</summary>
    public IReadOnlyList<Schedules.ScheduledTransition> Transitions { get; init; } = [];

    public int ToAdd => Changes.Count(c => c.Action == ChangeAction.Create);

    public int ToChange => Changes.Count(c => c.Action is ChangeAction.Update or ChangeAction.Adopt);

    public int ToDelete => Changes.Count(c => c.Action == ChangeAction.Delete);

    public int ToAdopt => Changes.Count(c => c.Action == ChangeAction.Adopt);

    public bool HasChanges => Changes.Count > 0;

    public bool IsBlocked => Refusals.Count > 0 || GuardRefusals.Any();

    /// <summary>Guard findings that stop the plan.</summary>
    public IEnumerable<GuardFinding> GuardRefusals => Guards.Where(g => g.Verdict == GuardVerdict.Refused);
}

/// <summary>What to plan: the manifests and the secret values they reference.</summary>
public sealed record DesiredState(IReadOnlyList<Resource> Resources, SecretValues Secrets);

/// <summary>One observation of the platform: every object of every collection, and the organisation.</summary>
public sealed record ObservedState(IReadOnlyDictionary<string, IReadOnlyList<PlatformObject>> Collections, PlatformObject? Organization)
{
    /// <summary>The platform's permission catalog; null when it was not observed (then only the platform judges permission names).</summary>
    public IReadOnlySet<string>? Permissions { get; init; }

    /// <summary>The platform's placeholder catalog; null when it was not observed (then only the platform judges placeholders).</summary>
    public IReadOnlySet<string>? Placeholders { get; init; }

    /// <summary>
    /// The observation as persistent indexes (by key, by ownership label, the guards' totals): built from
    /// <see cref="Collections"/> on first use, or the view this observation was made from (the operator's cache).
    /// </summary>
    public ObservedView View
    {
        get => _view ??= ObservedView.From(Collections, Organization);
        init => _view = value;
    }

    private ObservedView? _view;

    public IReadOnlyList<PlatformObject> Of(string collection) => Collections.GetValueOrDefault(collection) ?? [];
}

/// <summary>Choices that shape a plan.</summary>
public sealed record PlanOptions
{
    /// <summary>Delete marked objects that no manifest wants.</summary>
    public bool Prune { get; init; }

    /// <summary>A plan deleting more than this is refused.</summary>
    public int MaxDeletes { get; init; } = 10;

    /// <summary>Allow prune to delete every object of a kind.</summary>
    public bool AllowEmptyKind { get; init; }

    /// <summary>List marked but undesired objects; off for the operator, which plans one resource at a time.</summary>
    public bool IncludeUndesired { get; init; } = true;

    /// <summary>Fields other systems own (the PlatformConnection's fieldOwners, a resource's annotation).</summary>
    public FieldOwnership.FieldOwners FieldOwners { get; init; } = FieldOwnership.FieldOwners.None;

    /// <summary>The instant to evaluate dated changes at (now, or <c>plan --at</c>); null ignores the dates and plans the base spec.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>Ids of referenced resources known from elsewhere (the operator's status.id of sibling resources).</summary>
    public IReadOnlyDictionary<ResourceId, string> KnownIds { get; init; } = new Dictionary<ResourceId, string>();

    /// <summary>The guards' limits and overrides.</summary>
    public GuardPolicy Guards { get; init; } = new();

    /// <summary>Compute the access and coverage impact (plan outputs); off for the operator, which plans one resource at a time.</summary>
    public bool IncludeImpact { get; init; } = true;
}

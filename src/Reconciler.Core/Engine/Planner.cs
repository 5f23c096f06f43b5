using System.Text.Json.Nodes;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Engine;

/// <summary>Computes a <see cref="Plan"/> from manifests and one observation of the platform; a pure function.</summary>
public static class Planner
{
    /// <summary>
    /// The number of resources from which they are planned in parallel: each is mapped and compared on its own (most of
    /// an unchanged 50,000-agent plan), while for a few hundred the threads' start costs more than it saves.
    /// </summary>
    private const int ParallelFromResources = 1000;

    public static Plan Plan(DesiredState desired, ObservedState observed, PlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(options);

        var errors = new List<PlanError>();
        var dated = options.At is { } at ? Schedules.DesiredStateAt.Evaluate(desired.Resources, observed, at) : new(desired.Resources, []);
        var resources = Dedupe(dated.Resources.Where(KindMappers.Manages), errors);
        var (ordered, index) = resources.Count >= ParallelFromResources && Environment.ProcessorCount > 1
            ? OrderAndIndexInParallel(observed, resources)
            : (OrderForApply(resources.Values), new ObservedIndex(observed, resources));
        var resolver = new PlanTimeResolver(resources, index, options.KnownIds);
        var changes = new Dictionary<ResourceId, PlannedChange>();
        var unchanged = new List<UnchangedResource>();
        var desiredKeys = new HashSet<(string, string)>();

        // Keys are claimed in apply order, so the later of two resources with one key is the duplicate; then each
        // resource is planned on its own, in parallel for a large set, and the outcomes are taken in apply order.
        var outcomes = new object[ordered.Length];
        var keys = new string?[ordered.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            var resource = ordered[i];
            var controller = KindMappers.For(resource);
            var key = controller.NaturalKey(resource);
            if (desiredKeys.Add((controller.Collection, key)))
                keys[i] = key;
            else
                outcomes[i] = new PlanError(resource.Id, ReconcileErrorKind.DuplicateKey.Reason, $"another {resource.Kind} already has the platform key '{key}'", resource.Source);
        }

        void PlanAt(int i)
        {
            if (keys[i] is { } key)
                outcomes[i] = PlanResource(ordered[i], KindMappers.For(ordered[i]), key, index, resolver, desired.Secrets, observed, options.FieldOwners.For(ordered[i]));
        }

        if (ordered.Length >= ParallelFromResources && Environment.ProcessorCount > 1)
            PlanInParallel(ordered.Length, PlanAt);
        else
            for (var i = 0; i < ordered.Length; i++)
                PlanAt(i);

        foreach (var outcome in outcomes)
        {
            switch (outcome)
            {
                case PlanError error:
                    errors.Add(error);
                    break;
                case PlannedChange change:
                    changes[change.Address] = change;
                    break;
                case UnchangedResource same:
                    unchanged.Add(same);
                    break;
            }
        }

        var failed = errors.Select(e => e.Address).ToHashSet();
        var withDependencies = new List<PlannedChange>(changes.Count);
        foreach (var change in changes.Values)
            withDependencies.Add(change with { DependsOn = DependenciesOf(change.Desired!, changes, failed) });

        var (deletes, undesired, refusals) = PlanPrune(observed, desiredKeys, index, options);
        refusals.AddRange(PruneReferences.Refusals(observed, deletes, withDependencies));
        var knownIds = new Dictionary<ResourceId, string>(resolver.Resolved);
        foreach (var (id, resource) in resources)
        {
            if (index.Find(resource) is { } existing)
                knownIds[id] = existing.Id;
        }

        var plan = new Plan
        {
            Changes = [.. withDependencies, .. deletes],
            NotInManifests = options.IncludeUndesired ? undesired : [],
            Unchanged = unchanged,
            Errors = errors,
            Refusals = refusals,
            KnownIds = knownIds,
            EvaluatedAt = options.At,
            Transitions = dated.Transitions,
        };
        return Impact.PlanReview.Review(plan, desired, observed, options);
    }

    // Ordering the resources and finding each one's object read different things and take about as long at 100,000
    // agents, so a large set does both at once. A method of its own, so that a small set never loads System.Threading.Tasks.Parallel.
    private static (Resource[] Ordered, ObservedIndex Index) OrderAndIndexInParallel(ObservedState observed, Dictionary<ResourceId, Resource> resources)
    {
        Resource[]? ordered = null;
        ObservedIndex? index = null;
        Parallel.Invoke(() => ordered = OrderForApply(resources.Values), () => index = new ObservedIndex(observed, resources));
        return (ordered!, index!);
    }

    // A method of its own, so that a small set never loads System.Threading.Tasks.Parallel.
    private static void PlanInParallel(int count, Action<int> plan) =>
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, count, Math.Max(64, count / (8 * Environment.ProcessorCount))), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
                plan(i);
        });

    /// <summary>The resources a change references that are planned to change too or failed to plan, each once, in reference order.</summary>
    private static List<ResourceId> DependenciesOf(Resource resource, Dictionary<ResourceId, PlannedChange> changes, HashSet<ResourceId> failed)
    {
        var dependencies = new List<ResourceId>();
        foreach (var reference in KindMappers.For(resource).Description.ReferencesOf(resource))
        {
            var target = reference.Target;
            if ((changes.ContainsKey(target) || failed.Contains(target)) && !dependencies.Contains(target))
                dependencies.Add(target);
        }

        return dependencies;
    }

    /// <summary>Plans one resource against a (cached) observation, for the operator; nothing else is listed or pruned.</summary>
    public static Plan PlanOne(Resource resource, ObservedState observed, SecretValues secrets, IReadOnlyDictionary<ResourceId, string> knownIds, Guards.GuardPolicy? guards = null, DateTimeOffset? at = null, FieldOwnership.FieldOwners? owners = null) =>
        Plan(new DesiredState([resource], secrets), observed, new PlanOptions { IncludeUndesired = false, KnownIds = knownIds, Guards = guards ?? new(), IncludeImpact = false, At = at, FieldOwners = owners ?? FieldOwnership.FieldOwners.None });

    /// <summary>Whether an observed object still differs from what the executor is about to send (after a 412).</summary>
    public static bool Differs(IKindMapper controller, JsonObject body, IReadOnlyDictionary<string, string> wantedLabels, PlatformObject current)
    {
        var wanted = FieldNormalizer.Normalize(body, controller.Rules);
        var actual = FieldNormalizer.Normalize(current.Fields, controller.Rules);
        return !JsonNode.DeepEquals(wanted, actual)
            || wantedLabels.Any(l => current.Labels.GetValueOrDefault(l.Key) != l.Value);
    }

    /// <summary>The labels Reconciler puts on an object it owns.</summary>
    public static Dictionary<string, string> OwnedLabels(Resource resource, DesiredObject mapped)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Ownership.ManagedByLabel] = Ownership.ManagedByValue,
            [Ownership.SourceLabel] = Ownership.SourceValue(resource.Id),
        };
        foreach (var (name, value) in mapped.SecretLabels)
            labels[name] = value;
        return labels;
    }

    private static object PlanResource(Resource resource, IKindMapper controller, string key, ObservedIndex index, IReferenceResolver resolver, SecretValues secrets, ObservedState catalogs, IReadOnlyList<FieldOwnership.OwnedField> owned)
    {
        DesiredObject mapped;
        var context = new MappingContext(resolver, secrets, IncludeSecretValues: false) { ObservedLabels = index.Find(resource)?.Labels };
        try
        {
            mapped = controller.Map(resource, context);
        }
        catch (ReferenceNotFoundException e)
        {
            return new PlanError(resource.Id, ReconcileErrorKind.ReferenceNotFound.Reason, e.Message, resource.Source) { Field = e.Reference.Field };
        }
        catch (SecretNotFoundException e)
        {
            return new PlanError(resource.Id, ReconcileErrorKind.SecretNotFound.Reason, e.Message, resource.Source) { Field = e.Field };
        }

        var description = controller.Description;
        if (description.BuiltIn.Contains(resource.Metadata.Name))
            return new PlanError(resource.Id, ReconcileErrorKind.BuiltIn(description).Reason, $"'{resource.Metadata.Name}' is a built-in {description.Noun}; it can be referenced but not defined", resource.Source);

        if (WireChecks.Of(controller, mapped, catalogs.Permissions, catalogs.Placeholders) is { Count: > 0 } broken)
            return WireChecks.PlanError(resource, broken);
        if (WireChecks.OfSecretValues(controller, resource, mapped, context) is { Count: > 0 } refused)
            return WireChecks.PlanError(resource, refused);

        var observed = index.Find(resource);

        // Of the labels Reconciler writes (OwnedLabels) the plan compares only the source label: secret labels are fingerprints, compared per secret.
        var source = Ownership.SourceValue(resource.Id);

        // Most resources of a run are unchanged: answered without the normal forms, the diff or the change they would
        // feed, and, when no field is owned elsewhere and the DTO's values match the observed JSON, without a body.
        if (observed is not null && !description.IsBuiltInObject(observed) && Ownership.IsMarked(observed.Labels)
            && observed.Labels.GetValueOrDefault(Ownership.SourceLabel) == source
            && !ChangedSecrets(mapped, observed).Any()
            && ((owned.Count == 0 && Matches(mapped, controller, observed))
                || FieldNormalizer.Same(FieldOwnership.OwnedValues.Overlay(mapped.Fields, observed, owned), observed, controller.Rules)))
            return new UnchangedResource(resource.Id, controller.Collection, observed.Id) { Key = key };

        if (observed is null && controller.IsSingleton)
            return new PlanError(resource.Id, ReconcileErrorKind.NotObserved.Reason, "the platform returned no organisation profile", resource.Source);
        if (observed is not null && description.IsBuiltInObject(observed))
            return new PlanError(resource.Id, ReconcileErrorKind.BuiltIn(description).Reason, $"'{key}' is a built-in {description.Noun} on the platform; it cannot be changed", resource.Source);

        var body = FieldOwnership.OwnedValues.Overlay(mapped.Fields, observed, owned);
        var wanted = FieldNormalizer.Normalize(body, controller.Rules);
        var change = new PlannedChange
        {
            Address = resource.Id,
            Action = ChangeAction.Create,
            Collection = controller.Collection,
            Key = key,
            Source = resource.Source,
            Desired = resource,
            Wanted = wanted,
            Owned = owned,
            Effects = [.. description.Effects?.Invoke(body, observed) ?? []],
            Fields = observed is null ? Added(wanted, mapped, controller.Rules, index) : [],
        };

        if (observed is null)
            return change;

        var fields = Diff(wanted, FieldNormalizer.Normalize(observed.Fields, controller.Rules), controller.Rules, index);
        fields.AddRange(ChangedSecrets(mapped, observed).Select(path => Secret(controller.Rules, path, "(sensitive value)", "(sensitive value changed)")));

        var marked = Ownership.IsMarked(observed.Labels);
        var observedSource = observed.Labels.GetValueOrDefault(Ownership.SourceLabel);
        if (marked && observedSource != source)
            fields.Add(new FieldChange("labels." + Ownership.SourceLabel, Quote(observedSource), Quote(source))
            {
                ManifestPath = $"metadata.labels[{Ownership.SourceLabel}]",
                BeforeValue = observedSource,
                AfterValue = source,
            });

        change = change with { ObjectId = observed.Id, ObservedVersion = observed.Version, Observed = observed, Fields = fields };
        if (!marked)
            return change with { Action = ChangeAction.Adopt };
        return fields.Count == 0
            ? new UnchangedResource(resource.Id, controller.Collection, observed.Id) { Key = key }
            : change with { Action = ChangeAction.Update };
    }

    /// <summary>Whether the mapped DTO matches the observed object, read from the object's text in a pooled document given back at once.</summary>
    private static bool Matches(DesiredObject mapped, IKindMapper controller, PlatformObject observed)
    {
        using var json = observed.ReadJson();
        return WireBody.Matches(mapped.Wire, controller.Rules, json.RootElement);
    }

    /// <summary>The secret fields whose fingerprint label on the observed object differs from the value's now.</summary>
    private static IEnumerable<string> ChangedSecrets(DesiredObject mapped, PlatformObject observed) =>
        mapped.SecretFields.Where(path => observed.Labels.GetValueOrDefault(mapped.FingerprintLabelOf(path)) != mapped.SecretLabels[mapped.FingerprintLabelOf(path)]);

    /// <summary>The fields a create sets: every non-empty wanted field, then the secret ones.</summary>
    private static List<FieldChange> Added(JsonObject wanted, DesiredObject mapped, IReadOnlyList<ComparisonRule> rules, ObservedIndex index)
    {
        var fields = new List<FieldChange>();
        foreach (var (path, value, rule) in FieldNormalizer.Flatten(wanted, rules))
        {
            if (!FieldNormalizer.IsEmpty(value))
                fields.Add(Change(rules, path, rule, null, value, index));
        }

        foreach (var path in mapped.SecretFields)
            fields.Add(Secret(rules, path, null, "(sensitive value)"));
        return fields;
    }

    private static List<FieldChange> Diff(JsonObject wanted, JsonObject actual, IReadOnlyList<ComparisonRule> rules, ObservedIndex index)
    {
        var before = FieldNormalizer.Flatten(actual, rules).ToDictionary(f => f.Path, f => f.Value);
        var fields = new List<FieldChange>();
        foreach (var (path, value, rule) in FieldNormalizer.Flatten(wanted, rules))
        {
            var old = before.GetValueOrDefault(path);
            if (FieldNormalizer.IsEmpty(old) && FieldNormalizer.IsEmpty(value))
                continue;
            if (!JsonNode.DeepEquals(old, value))
                fields.Add(Change(rules, path, rule, old, value, index));
        }

        return fields;
    }

    private static FieldChange Change(IReadOnlyList<ComparisonRule> rules, string path, ComparisonRule rule, JsonNode? before, JsonNode? after, ObservedIndex index)
    {
        var (afterValue, unknown) = index.Display(after, rule);
        return new FieldChange(path, index.Render(before, rule), index.Render(after, rule))
        {
            Shape = rule.Shape,
            ManifestPath = ManifestPaths.Of(rules, path),
            BeforeValue = Output.DisplayOrder.Arrange(index.Display(before, rule).Value, rule),
            AfterValue = Output.DisplayOrder.Arrange(afterValue, rule),
            AfterUnknown = unknown,
            Rule = rule,
        };
    }

    private static FieldChange Secret(IReadOnlyList<ComparisonRule> rules, string path, string? before, string after) =>
        new(path, before, after, Sensitive: true) { ManifestPath = ManifestPaths.Of(rules, path) };

    private static string? Quote(string? text) => text is null ? null : $"\"{text}\"";

    private static (List<PlannedChange> Deletes, List<PlannedChange> Undesired, List<string> Refusals) PlanPrune(
        ObservedState observed, HashSet<(string, string)> desiredKeys, ObservedIndex index, PlanOptions options)
    {
        var deletes = new List<PlannedChange>();
        var undesired = new List<PlannedChange>();
        var refusals = new List<string>();

        // Neither deleted nor shown: the operator's per-resource plan would walk the whole observation for nothing.
        if (!options.Prune && !options.IncludeUndesired)
            return (deletes, undesired, refusals);
        foreach (var controller in KindMappers.InDependencyOrder.Where(c => !c.IsSingleton).Reverse())
        {
            var objects = observed.Of(controller.Collection);
            var marked = objects.Where(o => Ownership.IsMarked(o.Labels) && !controller.Description.IsBuiltInObject(o)).ToList();
            var unwanted = marked.Where(o => !desiredKeys.Contains((controller.Collection, o.Key))).ToList();
            var kindChanges = OrderDeletes(controller, unwanted).Select(o => new PlannedChange
            {
                Address = index.AddressOf(controller, o),
                Action = ChangeAction.Delete,
                Collection = controller.Collection,
                Key = o.Key,
                ObjectId = o.Id,
                ObservedVersion = o.Version,
                Observed = o,
            }).ToList();
            if (!options.Prune)
            {
                undesired.AddRange(kindChanges);
                continue;
            }

            if (unwanted.Count > 0 && unwanted.Count == marked.Count && !desiredKeys.Any(k => k.Item1 == controller.Collection) && !options.AllowEmptyKind)
                refusals.Add($"prune would delete every {controller.Kind} Reconciler manages ({unwanted.Count}); refusing to empty a kind; pass --allow-empty-kind to allow it");
            deletes.AddRange(kindChanges);
        }

        if (deletes.Count > options.MaxDeletes)
            refusals.Add($"prune would delete {deletes.Count} objects, more than the limit of {options.MaxDeletes}; raise --max-deletes to allow it");
        return (deletes, undesired, refusals);
    }

    /// <summary>
    /// An object that references a doomed object of its own kind (an agent its supervisor) goes first, so the one it
    /// references is deleted after it: by depth below the others (as many steps as there are objects on a chain that
    /// never ends), then key, then the order given.
    /// </summary>
    internal static IEnumerable<PlatformObject> OrderDeletes(IKindMapper controller, List<PlatformObject> objects)
    {
        if (controller.Rules.FirstOrDefault(r => r.ReferenceKind == controller.Kind)?.Name is not { } selfField)
            return objects.OrderBy(o => o.Key, StringComparer.Ordinal);

        // Each parent read once and each depth computed once: walking every chain from every object was O(n·depth)
        // reads of the field, and it ran on every plan for the managed objects not in the manifests.
        var positions = new Dictionary<string, int>(objects.Count, StringComparer.Ordinal);
        for (var i = 0; i < objects.Count; i++)
            positions.Add(objects[i].Id, i);
        var parents = new int[objects.Count];
        for (var i = 0; i < objects.Count; i++)
            parents[i] = ParentOf(objects[i], selfField) is { } parent && positions.TryGetValue(parent, out var at) ? at : -1;

        // Positions are sorted, not the objects: swapping references and keys cost more than comparing them.
        var order = new int[objects.Count];
        for (var i = 0; i < order.Length; i++)
            order[i] = i;
        order.AsSpan().Sort(new DeleteOrder(ChainDepths(parents), [.. objects.Select(o => o.Key)]));
        var ordered = new PlatformObject[order.Length];
        for (var i = 0; i < order.Length; i++)
            ordered[i] = objects[order[i]];
        return ordered;
    }

    /// <summary>The id in an object's self-reference field, as <c>Fields[field]?.ToString()</c> reads it, in place when it is a string.</summary>
    private static string? ParentOf(PlatformObject o, string field)
    {
        if (!o.Json.TryGetProperty(field, out var value))
            return null;
        return value.ValueKind switch
        {
            System.Text.Json.JsonValueKind.String => value.GetString(),
            System.Text.Json.JsonValueKind.Null => null,
            _ => o.Field(field)?.ToString(),
        };
    }

    /// <summary>
    /// For each node of a forest given by parent positions (-1: none), the number of steps up to its root; a node whose
    /// chain runs into a cycle gets the node count, as a walk bounded by it would.
    /// </summary>
    private static int[] ChainDepths(int[] parents)
    {
        const int Unknown = -1, OnPath = -2;
        var depths = new int[parents.Length];
        Array.Fill(depths, Unknown);
        var path = new Stack<int>();
        for (var start = 0; start < parents.Length; start++)
        {
            var node = start;
            while (node >= 0 && depths[node] == Unknown)
            {
                depths[node] = OnPath;
                path.Push(node);
                node = parents[node];
            }

            // The walk stopped at a root's missing parent, a known depth, or a node on this walk (a cycle).
            var below = node < 0 ? -1 : depths[node] == OnPath ? parents.Length : depths[node];
            while (path.TryPop(out var walked))
            {
                below = below == parents.Length ? below : below + 1;
                depths[walked] = below;
            }
        }

        return depths;
    }

    /// <summary>Positions deepest first, then by key, then in the order given.</summary>
    private sealed class DeleteOrder(int[] depths, string[] keys) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            var byDepth = depths[y].CompareTo(depths[x]);
            if (byDepth != 0)
                return byDepth;
            var byKey = string.CompareOrdinal(keys[x], keys[y]);
            return byKey != 0 ? byKey : x.CompareTo(y);
        }
    }

    /// <summary>Kind order, then a resource after the one of its own kind it references (supervisors before their reports), then name: the order of the plan's text.</summary>
    private static Resource[] OrderForApply(Dictionary<ResourceId, Resource>.ValueCollection resources)
    {
        // Positions, not ids, from here on: each resource's parent is looked up once, and each depth is computed once.
        var ordered = new Resource[resources.Count];
        var positions = new Dictionary<ResourceId, int>(resources.Count);
        var i = 0;
        foreach (var resource in resources)
        {
            ordered[i] = resource;
            positions[resource.Id] = i++;
        }

        var parents = new int[ordered.Length];
        for (i = 0; i < ordered.Length; i++)
            parents[i] = KindMappers.For(ordered[i]).ParentOf(ordered[i]) is { } parent && positions.TryGetValue(parent, out var at) ? at : -1;
        var depths = ChainDepths(parents);

        // The position last, so ties keep the manifests' order as a stable sort would.
        var keys = new (int Kind, int Depth, string Name, int Position)[ordered.Length];
        for (i = 0; i < ordered.Length; i++)
            keys[i] = (KindMappers.OrderOf(ordered[i].Kind), depths[i], ordered[i].Metadata.Name, i);
        Array.Sort(keys, ordered, ApplyOrder.Instance);
        return ordered;
    }

    private sealed class ApplyOrder : IComparer<(int Kind, int Depth, string Name, int Position)>
    {
        public static readonly ApplyOrder Instance = new();

        public int Compare((int Kind, int Depth, string Name, int Position) x, (int Kind, int Depth, string Name, int Position) y)
        {
            var byKind = x.Kind.CompareTo(y.Kind);
            if (byKind != 0)
                return byKind;
            var byDepth = x.Depth.CompareTo(y.Depth);
            if (byDepth != 0)
                return byDepth;
            var byName = string.CompareOrdinal(x.Name, y.Name);
            return byName != 0 ? byName : x.Position.CompareTo(y.Position);
        }
    }

    private static Dictionary<ResourceId, Resource> Dedupe(IEnumerable<Resource> resources, List<PlanError> errors)
    {
        var result = new Dictionary<ResourceId, Resource>();
        foreach (var resource in resources)
        {
            if (!result.TryAdd(resource.Id, resource))
                errors.Add(new PlanError(resource.Id, ReconcileErrorKind.Duplicate.Reason, $"{resource.Id} is defined more than once", resource.Source));
        }

        return result;
    }

    /// <summary>
    /// Observed objects by natural key and by id, and the names used to show ids: the observation's persistent view,
    /// with the names of the manifests planned on top, so a one-resource plan costs nothing per object observed.
    /// </summary>
    private sealed class ObservedIndex
    {
        private readonly ObservedView _view;

        // Made on first use: only a changed field that shows an id needs it, and most runs change nothing.
        private Dictionary<string, string>? _desiredNames;

        // Each planned resource's object, looked up once: the planner asks for it several times per resource.
        private readonly Dictionary<ResourceId, (Resource Resource, PlatformObject? Observed)> _found;

        public ObservedIndex(ObservedState observed, Dictionary<ResourceId, Resource> desired)
        {
            _view = observed.View;
            _found = new(desired.Count);
            foreach (var resource in desired.Values)
                _found[resource.Id] = (resource, Lookup(resource));
        }

        public PlatformObject? Find(Resource resource) =>
            _found.TryGetValue(resource.Id, out var found) && ReferenceEquals(found.Resource, resource) ? found.Observed : Lookup(resource);

        private PlatformObject? Lookup(Resource resource)
        {
            var controller = KindMappers.For(resource);
            return controller.IsSingleton ? _view.Organization : Find(controller.Collection, controller.NaturalKey(resource));
        }

        public PlatformObject? Find(string collection, string key) => _view.FindByKey(collection, key);

        /// <summary>The object Reconciler created for <paramref name="id"/>, found by its source label.</summary>
        public PlatformObject? FindManaged(string collection, ResourceId id) => _view.FindManaged(collection, id);

        public ResourceId AddressOf(IKindMapper controller, PlatformObject o)
        {
            // "Kind." matched in place: the planner asks for every managed object not in the manifests.
            var source = o.Labels.GetValueOrDefault(Ownership.SourceLabel);
            var kind = controller.Kind;
            return source is not null && source.Length > kind.Length && source[kind.Length] == '.' && source.StartsWith(kind, StringComparison.Ordinal)
                ? new ResourceId(kind, source[(kind.Length + 1)..])
                : new ResourceId(kind, ManifestNames.FromKey(o.Key));
        }

        public string? Render(JsonNode? value, ComparisonRule rule)
        {
            if (value is null)
                return null;
            if (rule.ReferenceKind is null)
                return value.ToJsonString(RenderOptions);
            return value is JsonArray array
                ? "[" + string.Join(", ", array.Select(v => RenderId(v?.ToString()))) + "]"
                : RenderId(value.ToString());
        }

        /// <summary>A value with ids replaced by the names people wrote; whether any is an object still to be created.</summary>
        public (JsonNode? Value, bool Unknown) Display(JsonNode? value, ComparisonRule rule)
        {
            // As it is: the caller arranges it for display, which copies it.
            if (value is null || rule.ReferenceKind is null)
                return (value, false);
            if (value is not JsonArray array)
            {
                var id = value.ToString();
                return (JsonValue.Create(DisplayId(id)), MappingContext.IsPendingId(id));
            }

            var names = new JsonArray();
            var unknown = false;
            foreach (var item in array)
            {
                var id = item?.ToString();
                unknown |= id is not null && MappingContext.IsPendingId(id);
                names.Add((JsonNode?)JsonValue.Create(DisplayId(id)));
            }

            return (names, unknown);
        }

        private string? DisplayId(string? id)
        {
            if (id is null)
                return null;
            if (MappingContext.IsPendingId(id))
                return id[(id.LastIndexOf('/') + 1)..];
            return NameOf(id) ?? id;
        }

        private string RenderId(string? id)
        {
            if (id is null)
                return "null";
            if (MappingContext.IsPendingId(id))
                return $"\"{id[(id.LastIndexOf('/') + 1)..]}\" (known after apply)";
            return $"\"{NameOf(id) ?? id}\"";
        }

        /// <summary>The manifest name of a planned object, else the key of the observed object with this id.</summary>
        private string? NameOf(string id) =>
            DesiredNames().TryGetValue(id, out var name) ? name : _view.CollectionNames.Select(c => _view.FindById(c, id)?.Key).FirstOrDefault(k => k is not null);

        // Built at most once per thread that races for it (resources are planned in parallel); every build is the same.
        private Dictionary<string, string> DesiredNames() => LazyInitializer.EnsureInitialized(ref _desiredNames, () =>
        {
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (resource, observed) in _found.Values)
            {
                if (observed is not null)
                    names[observed.Id] = resource.Metadata.Name;
            }

            return names;
        });

        private static readonly System.Text.Json.JsonSerializerOptions RenderOptions = new()
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
    }

    /// <summary>References by name to platform ids, known now or created earlier in the same run.</summary>
    private sealed class PlanTimeResolver(Dictionary<ResourceId, Resource> desired, ObservedIndex index, IReadOnlyDictionary<ResourceId, string> known) : IReferenceResolver
    {
        // Concurrent: resources are planned in parallel, and each remembers what its references resolved to.
        public System.Collections.Concurrent.ConcurrentDictionary<ResourceId, string> Resolved { get; } = new();

        public ReferenceLookup Resolve(ResourceId target)
        {
            if (desired.TryGetValue(target, out var resource))
            {
                if (index.Find(resource) is { } existing)
                    return Remember(target, existing.Id);
                return ReferenceLookup.PendingCreate;
            }

            if (known.TryGetValue(target, out var id))
                return Remember(target, id);

            // Not in the manifests: an object made elsewhere (a built-in role, one created by hand) can still be referenced by its name,
            // and one Reconciler manages (planned from other files) by the source label it carries.
            if (KindMappers.ForKind(target.Kind) is not { IsSingleton: false } controller)
                return ReferenceLookup.Missing;
            if (index.FindManaged(controller.Collection, target) is { } managed)
                return Remember(target, managed.Id);
            if (controller.Description.KeyIsName && index.Find(controller.Collection, target.Name) is { } other)
                return Remember(target, other.Id);
            return ReferenceLookup.Missing;
        }

        private ReferenceLookup Remember(ResourceId target, string id)
        {
            Resolved[target] = id;
            return ReferenceLookup.Of(id);
        }
    }
}

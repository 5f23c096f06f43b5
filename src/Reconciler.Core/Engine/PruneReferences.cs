using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;

namespace Reconciler.Core.Engine;

/// <summary>
/// Prune's deletes that the platform would refuse: an object still referenced by another that stays (a role an agent
/// made by hand still holds, a business unit a channel still routes to) is answered 409 "still referenced", so such a
/// delete failed mid-apply after the plan's other changes were written, and its impact claimed access lost that is not.
/// </summary>
internal static class PruneReferences
{
    private const int ListedReferrers = 5;

    /// <summary>One refusal per doomed object that objects left in place (unchanged, or changed but still pointing at it) reference.</summary>
    public static IEnumerable<string> Refusals(ObservedState observed, IReadOnlyList<PlannedChange> deletes, IReadOnlyList<PlannedChange> changes)
    {
        if (deletes.Count == 0)
            yield break;
        var doomed = deletes.Where(d => d.ObjectId is not null).ToDictionary(d => d.ObjectId!, StringComparer.Ordinal);
        var doomedKinds = deletes.Select(d => KindMappers.ForCollection(d.Collection).Kind).ToHashSet(StringComparer.Ordinal);
        var changed = changes.Where(c => c.ObjectId is not null && c.Wanted is not null).ToDictionary(c => c.ObjectId!, StringComparer.Ordinal);
        var referrers = new Dictionary<string, List<string>>(StringComparer.Ordinal);

        void Note(string target, string collection, string key, string field)
        {
            if (!referrers.TryGetValue(target, out var list))
                referrers[target] = list = [];
            list.Add($"{collection}/{key} ({field})");
        }

        foreach (var mapper in KindMappers.InDependencyOrder)
        {
            var fields = mapper.Rules.Where(r => r.ReferenceKind is { } kind && doomedKinds.Contains(kind)).Select(r => r.Name).ToList();
            if (fields.Count == 0)
                continue;
            IEnumerable<PlatformObject> objects = mapper.IsSingleton ? observed.Organization is { } organization ? [organization] : [] : observed.Of(mapper.Collection);
            foreach (var referrer in objects.Where(o => !doomed.ContainsKey(o.Id)))
            {
                // Read once per object (each Field would parse a stored object's text again), in a pooled document given
                // back at once: deleting a role reads every agent.
                var wanted = changed.GetValueOrDefault(referrer.Id)?.Wanted;
                using var document = wanted is null ? referrer.ReadJson() : null;
                var stored = document?.RootElement ?? default;
                foreach (var field in fields)
                {
                    var ids = wanted is not null ? Ids(wanted[field]) : stored.TryGetProperty(field, out var value) ? Ids(value) : [];
                    foreach (var target in ids.Where(doomed.ContainsKey))
                        Note(target, mapper.Collection, referrer.Key, field);
                }
            }
        }

        // A create has no object yet, but it can name an existing one (a manifest read alone referring to the platform).
        foreach (var create in changes.Where(c => c.Action == ChangeAction.Create && c.Wanted is not null))
        {
            foreach (var field in KindMappers.ForCollection(create.Collection).Rules.Where(r => r.ReferenceKind is not null).Select(r => r.Name))
            {
                foreach (var target in Ids(create.Wanted![field]).Where(doomed.ContainsKey))
                    Note(target, create.Collection, create.Key, field);
            }
        }

        foreach (var delete in deletes.Where(d => d.ObjectId is not null && referrers.ContainsKey(d.ObjectId)))
        {
            var users = referrers[delete.ObjectId!];
            var listed = string.Join(", ", users.Take(ListedReferrers)) + (users.Count > ListedReferrers ? $" and {users.Count - ListedReferrers} more" : "");
            yield return $"prune would delete {delete.Address}, which {listed} still {(users.Count == 1 ? "references" : "reference")} after this plan; "
                + "the platform refuses to delete an object in use: change or delete those first, or keep it in the manifests";
        }
    }

    /// <summary>The ids in a stored reference field: one id, or a list of them.</summary>
    private static IEnumerable<string> Ids(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).ToList(),
        JsonValueKind.String => [value.GetString()!],
        _ => [],
    };

    /// <summary>The ids in a reference field of a body: one id, or a list of them.</summary>
    private static IEnumerable<string> Ids(JsonNode? value) => value switch
    {
        JsonArray items => items.OfType<JsonValue>().Select(i => i.TryGetValue<string>(out var id) ? id : null).OfType<string>(),
        JsonValue one when one.TryGetValue<string>(out var id) => [id],
        _ => [],
    };
}

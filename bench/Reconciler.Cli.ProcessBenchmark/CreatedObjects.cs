using System.Text.Json;
using Reconciler.Core.Engine;
using Reconciler.Core.Mapping;
using Reconciler.Core.Resources;

namespace Reconciler.Benchmarks;

/// <summary>
/// The ids of the objects on a platform, for mapping manifests to wire bodies outside the CLI: a reference resolves to
/// the object carrying the source label of its target, or, for a built-in, the object of that name.
/// </summary>
internal sealed class CreatedObjects(Dictionary<(string Collection, string Match), string> ids) : IReferenceResolver
{
    public static async Task<CreatedObjects> ReadAsync(HttpClient http)
    {
        var ids = new Dictionary<(string, string), string>();
        foreach (var collection in KindMappers.InDependencyOrder.Where(m => !m.IsSingleton).Select(m => m.Collection))
        {
            string? cursor = null;
            do
            {
                var path = $"{collection}?limit=1000" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
                using var page = JsonDocument.Parse(await http.GetByteArrayAsync(path));
                foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
                {
                    var id = item.GetProperty("id").GetString()!;
                    if (item.TryGetProperty("labels", out var labels) && labels.TryGetProperty(Ownership.SourceLabel, out var source))
                        ids[(collection, source.GetString()!)] = id;
                    if (item.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                        ids.TryAdd((collection, name.GetString()!), id);
                }

                cursor = page.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            }
            while (cursor is not null);
        }

        return new CreatedObjects(ids);
    }

    public ReferenceLookup Resolve(ResourceId target)
    {
        var collection = KindMappers.ForKind(target.Kind).Collection;
        return ids.TryGetValue((collection, Ownership.SourceValue(target)), out var id) || ids.TryGetValue((collection, target.Name), out id)
            ? ReferenceLookup.Of(id)
            : ReferenceLookup.Missing;
    }
}

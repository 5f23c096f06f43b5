using Reconciler.Core.Mapping;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Engine;

/// <summary>Turns an observation of the platform into manifests, references by name; pure.</summary>
public static class Exporter
{
    /// <summary>
    /// Manifests of every object except built-in roles. Names are the key where the key is the name (roles, business
    /// units, …); otherwise they come from the source label of objects Reconciler manages (so a round trip keeps them)
    /// and from the natural key of the others, made unique per kind.
    /// </summary>
    public static IReadOnlyList<Resource> Export(ObservedState observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var controller in KindMappers.InDependencyOrder.Where(c => !c.IsSingleton))
        {
            var taken = new HashSet<string>(StringComparer.Ordinal);
            var prefix = controller.Kind + ".";
            // Where the key is the name, the key is what the manifest must say: the source label of an object renamed on
            // the console still names it as it was, and a manifest of that name would have the plan create it again.
            var objects = observed.Of(controller.Collection)
                .Select(o => (Object: o, Source: !controller.Description.KeyIsName && o.Labels.GetValueOrDefault(Ownership.SourceLabel) is { } source && source.StartsWith(prefix, StringComparison.Ordinal) ? source[prefix.Length..] : null))
                .ToList();

            // Managed objects claim their names first: an unmanaged object whose key reads as the same name (maria.santos@
            // of another domain) must not take it, or the managed one would be renamed and its plan relabel it.
            foreach (var (o, source) in objects.OrderBy(x => x.Source is null).ThenBy(x => x.Object.Key, StringComparer.Ordinal))
            {
                var name = source ?? controller.Description.ManifestNameOf(o.Key);
                var unique = name;
                for (var i = 2; !taken.Add(unique); i++)
                    unique = $"{name}-{i}";
                names[o.Id] = unique;
            }
        }

        var context = new ExportContext((_, id) => names.GetValueOrDefault(id));
        var resources = new List<Resource>();
        foreach (var controller in KindMappers.InDependencyOrder.Where(c => !c.IsSingleton))
        {
            resources.AddRange(observed.Of(controller.Collection)
                .Where(o => !controller.Description.IsBuiltInObject(o))
                .OrderBy(o => names[o.Id], StringComparer.Ordinal)
                .Select(o => controller.Export(o, context)));
        }

        // The port observes one singleton, the organisation profile.
        foreach (var controller in KindMappers.InDependencyOrder.Where(c => c.IsSingleton))
        {
            if (observed.Organization is not { } singleton)
                continue;
            var source = singleton.Labels.GetValueOrDefault(Ownership.SourceLabel);
            var prefix = controller.Kind + ".";
            var profile = controller.Export(singleton, context);
            resources.Add(source is not null && source.StartsWith(prefix, StringComparison.Ordinal)
                ? profile with { Metadata = profile.Metadata with { Name = source[prefix.Length..] } }
                : profile);
        }

        return resources;
    }
}

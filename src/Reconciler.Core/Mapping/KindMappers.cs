using System.Collections.Frozen;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Mapping;

/// <summary>The controllers of every platform kind, in dependency order (a kind references only kinds before it; agents also agents).</summary>
public static class KindMappers
{
    public static readonly IReadOnlyList<IKindMapper> InDependencyOrder =
        [.. ResourceCatalog.Kinds.Select(k => k.Description).Where(d => d.Mapper is not null).OrderBy(d => d.ApplyOrder).Select(d => d.Mapper!)];

    private static readonly FrozenDictionary<string, IKindMapper> ByKind = InDependencyOrder.ToFrozenDictionary(c => c.Kind, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, IKindMapper> ByCollection = InDependencyOrder.ToFrozenDictionary(c => c.Collection, StringComparer.Ordinal);

    /// <summary>False for kinds that are not platform objects (PlatformConnection).</summary>
    public static bool Manages(Resource resource) => ByKind.ContainsKey(resource.Kind);

    public static IKindMapper For(Resource resource) => ByKind[resource.Kind];

    public static IKindMapper ForKind(string kind) => ByKind[kind];

    public static IKindMapper ForCollection(string collection) => ByCollection[collection];

    private static readonly FrozenDictionary<string, int> Orders = InDependencyOrder.Select((c, i) => (c.Kind, i)).ToFrozenDictionary(x => x.Kind, x => x.i, StringComparer.Ordinal);

    /// <summary>The kind's place in <see cref="InDependencyOrder"/>.</summary>
    public static int OrderOf(string kind) =>
        Orders.TryGetValue(kind, out var order) ? order : throw new InvalidOperationException($"{kind} is not a platform kind.");
}

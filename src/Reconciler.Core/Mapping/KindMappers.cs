using System.Collections.Frozen;
using Reconciler.Core.Engine.Controllers;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Engine;

/// <summary>The controllers of every platform kind, in dependency order (a kind references only kinds before it; agents also agents).</summary>
public static class KindControllers
{
    public static readonly IReadOnlyList<IKindController> InDependencyOrder =
        [.. ResourceCatalog.Kinds.Select(k => k.Description).Where(d => d.Mapper is not null).OrderBy(d => d.ApplyOrder).Select(d => d.Mapper!)];

    private static readonly FrozenDictionary<string, IKindController> ByKind = InDependencyOrder.ToFrozenDictionary(c => c.Kind, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, IKindController> ByCollection = InDependencyOrder.ToFrozenDictionary(c => c.Collection, StringComparer.Ordinal);

    /// <summary>False for kinds that are not platform objects (PlatformConnection).</summary>
    public static bool Manages(Resource resource) => ByKind.ContainsKey(resource.Kind);

    public static IKindController For(Resource resource) => ByKind[resource.Kind];

    public static IKindController ForKind(string kind) => ByKind[kind];

    public static IKindController ForCollection(string collection) => ByCollection[collection];

    public static int OrderOf(string kind) => InDependencyOrder.Select((c, i) => (c, i)).First(x => x.c.Kind == kind).i;
}

using Reconciler.Core.FieldOwnership;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Manifests;

/// <summary>The typed resources read from a set of files, with every problem found and where each field came from.</summary>
public sealed class ManifestSet
{
    private readonly IReadOnlyDictionary<ResourceId, DocumentPositions> _positions;

    internal ManifestSet(
        IReadOnlyList<Resource> resources,
        IReadOnlyList<Diagnostic> diagnostics,
        IReadOnlySet<ResourceId> declared,
        IReadOnlyDictionary<ResourceId, DocumentPositions> positions)
    {
        Resources = resources;
        Diagnostics = diagnostics;
        Declared = declared;
        _positions = positions;
    }

    /// <summary>Resources that passed structural validation, in file and document order; one per kind and name.</summary>
    public IReadOnlyList<Resource> Resources { get; }

    /// <summary>Problems found while loading: YAML, structure, duplicates.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>
    /// Every kind/name a document declared, including documents rejected for other errors, so that
    /// references to them do not add a misleading "not found".
    /// </summary>
    public IReadOnlySet<ResourceId> Declared { get; }

    public IEnumerable<T> OfType<T>() where T : Resource => Resources.OfType<T>();

    /// <summary>Where a field of a resource was written; the nearest written ancestor when the field itself was not.</summary>
    public SourceLocation Locate(Resource resource, string path)
    {
        if (_positions.TryGetValue(resource.Id, out var positions))
        {
            for (var current = path; current.Length > 0; current = Parent(current))
            {
                if (positions.TryLocate(current, out var at))
                    return at;
            }
        }

        return resource.Source is { } source ? new SourceLocation(source.File, source.Line, source.Column) : new SourceLocation("", 0, 0);
    }

    /// <summary>Whether the manifest wrote this field itself (not only a default).</summary>
    public bool IsWritten(Resource resource, string path) =>
        _positions.TryGetValue(resource.Id, out var positions) && positions.IsWritten(FieldOwners.Ownable(resource.Kind), path);

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }
}

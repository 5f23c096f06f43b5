using Reconciler.Core.Resources;

namespace Reconciler.Core.Manifests;

/// <summary>
/// List documents, read as kubectl reads them: <c>kind: List</c> (what <c>kubectl get -o yaml</c> writes for several
/// objects) and a kind's own list (<c>RoleList</c>, as the API server lists a kind), each item loaded as a document of
/// its own would be; an item of a kind's list that names neither kind nor apiVersion takes both from the list, and the list's
/// apiVersion and metadata say nothing about the items of a <c>List</c>. kubectl reads no list inside a list, and
/// neither does the loader.
/// </summary>
public static partial class ManifestLoader
{
    private const string ListSuffix = "List";
    private const string ItemsField = "items";
    private static readonly string[] ListFields = ["apiVersion", "kind", "metadata", ItemsField];

    /// <summary>
    /// Whether <paramref name="kind"/> names a list; <paramref name="items"/> is the kind of its items when the list
    /// says (<c>RoleList</c>: Role), null for <c>List</c>, whose items name their own.
    /// </summary>
    public static bool IsListKind(string kind, out ResourceKindInfo? items)
    {
        ArgumentNullException.ThrowIfNull(kind);
        items = null;
        if (kind == ListSuffix)
            return true;
        if (!kind.EndsWith(ListSuffix, StringComparison.Ordinal))
            return false;
        items = ResourceCatalog.Find(kind[..^ListSuffix.Length]);
        return items is not null;
    }

    /// <summary>The item at <paramref name="item"/> of a list document's root, or the root itself for -1.</summary>
    internal static YamlNode? ListItem(YamlNode? root, int item) =>
        item < 0 ? root : (ValueOf((YamlMappingNode)root!, ItemsField) as YamlSequenceNode)?.Items[item];

    /// <summary>The list a document is, or null when it is none.</summary>
    private static ListHeader? ListOf(YamlMappingNode root) =>
        ValueOf(root, "kind") is YamlScalarNode kind && ShapeChecker.Resolve(kind) == ShapeChecker.Scalar.String && IsListKind(kind.Value, out var items)
            ? new ListHeader(kind.Value, items, items is null ? null : ValueOf(root, "apiVersion"))
            : null;

    /// <summary>A list's kind, the kind its items take when they name none, and the apiVersion node they take with it.</summary>
    private sealed record ListHeader(string Kind, ResourceKindInfo? Items, YamlNode? ApiVersion);

    /// <summary>
    /// Checks a list's own fields, then loads each item into <paramref name="documents"/> as the document
    /// <paramref name="index"/>'s; a file's items and documents together stay within <paramref name="maxResources"/>.
    /// </summary>
    private static void LoadList(YamlMappingNode root, ListHeader list, FileTrees trees, int index, ShapeChecker checker, List<DocumentRead> documents, List<Diagnostic> diagnostics, int maxResources)
    {
        checker.StartDocument();
        foreach (var (key, _) in root.Entries)
        {
            if (Array.IndexOf(ListFields, key.Value) < 0)
            {
                checker.Error(DiagnosticCodes.UnknownField, key.Start, key.Value,
                    $"unknown field {ShapeChecker.Quote(key.Value)} (known fields of a {list.Kind}: {string.Join(", ", ListFields)})");
            }
        }

        YamlNode[] items;
        switch (ValueOf(root, ItemsField))
        {
            case null:
                checker.Error(DiagnosticCodes.MissingRequired, root.Start, ItemsField, $"required field \"items\" is missing: a {list.Kind} holds its resources under items");
                return;
            case YamlScalarNode empty when ShapeChecker.Resolve(empty) == ShapeChecker.Scalar.Null:
                return;
            case YamlSequenceNode sequence:
                items = sequence.Items;
                break;
            case var other:
                checker.Error(DiagnosticCodes.WrongType, other.Start, ItemsField, "expected a list of resources");
                return;
        }

        // The documents-per-file limit counts resources: a list would otherwise hold any number in a few lines of aliases.
        if (documents.Count + items.Length > maxResources)
        {
            checker.Error(DiagnosticCodes.TooManyDocuments, root.Start, ItemsField, $"more than {maxResources} resources in one file (a list's items count as documents); split the file");
            return;
        }

        // An alias stands for the same node as its anchor: as an item it is the same resource again, where nothing says which.
        var written = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < items.Length; i++)
        {
            var path = $"{ItemsField}[{i}]";
            if (items[i] is not YamlMappingNode item)
                checker.Error(DiagnosticCodes.NotAMapping, items[i].Start, path, "an item of a list must be a mapping with apiVersion, kind, metadata and spec");
            else if (!written.Add(item))
                checker.Error(DiagnosticCodes.AliasExpansion, item.Start, path, "an item of a list must be written out, not an alias of another item");
            else if (ListOf(item) is not null)
                checker.Error(DiagnosticCodes.NestedList, item.Start, path, "a list inside a list is not read (kubectl does not read it either); put its items in the outer list");
            else
                documents.Add(new(LoadResource(item, Implied(list, item), trees, index, i, checker), diagnostics.Count, index));
        }
    }

    /// <summary>
    /// The list whose kind and apiVersion an item takes: a kind's list's, for an item that names neither (as the API
    /// server lists it); an item that names one of them names both, as kubectl requires.
    /// </summary>
    private static ListHeader? Implied(ListHeader list, YamlMappingNode item) =>
        list.Items is not null && ValueOf(item, "kind") is null && ValueOf(item, "apiVersion") is null ? list : null;
}

using Reconciler.Core.Resources;

namespace Reconciler.Core.Manifests;

/// <summary>
/// List documents, read as kubectl reads them: <c>kind: List</c> (what <c>kubectl get -o yaml</c> writes for several
/// objects) and a kind's own list (<c>RoleList</c>, as the API server lists a kind), each item loaded as a document of
/// its own would be; an item of a kind's list that names no kind or apiVersion takes the list's, and the list's
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

    /// <summary>Checks a list's own fields, then loads each item into <paramref name="documents"/> as the document <paramref name="index"/>'s.</summary>
    private static void LoadList(YamlMappingNode root, ListHeader list, FileTrees trees, int index, ShapeChecker checker, List<DocumentRead> documents, List<Diagnostic> diagnostics)
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

        switch (ValueOf(root, ItemsField))
        {
            case null:
                checker.Error(DiagnosticCodes.MissingRequired, root.Start, ItemsField, $"required field \"items\" is missing: a {list.Kind} holds its resources under items");
                return;
            case YamlScalarNode empty when ShapeChecker.Resolve(empty) == ShapeChecker.Scalar.Null:
                return;
            case not YamlSequenceNode and var other:
                checker.Error(DiagnosticCodes.WrongType, other.Start, ItemsField, "expected a list of resources");
                return;
        }

        var items = ((YamlSequenceNode)ValueOf(root, ItemsField)!).Items;
        for (var i = 0; i < items.Length; i++)
        {
            var path = $"{ItemsField}[{i}]";
            if (items[i] is not YamlMappingNode item)
                checker.Error(DiagnosticCodes.NotAMapping, items[i].Start, path, "an item of a list must be a mapping with apiVersion, kind, metadata and spec");
            else if (ListOf(item) is not null)
                checker.Error(DiagnosticCodes.NestedList, item.Start, path, "a list inside a list is not read (kubectl does not read it either); put its items in the outer list");
            else
                documents.Add(new(LoadResource(item, list, trees, index, i, checker), diagnostics.Count, index));
        }
    }
}

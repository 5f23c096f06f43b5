namespace Reconciler.Core.Manifests;

/// <summary>
/// Where each field of one checked document was written, found when asked by walking the document's tree along the
/// path: the tree holds every position already, and only diagnostics ask, so a valid resource makes no path strings.
/// The tree is the file's, read again on the first question (<see cref="FileTrees"/>), so a set does not keep every tree;
/// a resource that is an item of a list document is that document's item <c>item</c> (-1 for a document's root).
/// The walk follows <see cref="ShapeChecker"/>'s rules for which node stands at which path.
/// Which of its kind's ownable fields the document wrote (<paramref name="written"/>, see <see cref="Written"/>) is noted
/// while the loader holds the tree: with <c>fieldOwners</c>, validation asks it of every managed resource, and reading
/// every file again to answer would cost as much CPU as the load itself.
/// </summary>
internal sealed class DocumentPositions(FileTrees trees, int document, int item, ObjectShape shape, IReadOnlySet<string>? ignored, uint written)
{
    // A bit per ownable path; a kind with more (none has half as many) finds the others in the tree.
    private const int Noted = 32;

    /// <summary>Bit i set when the document wrote <paramref name="ownable"/>[i] (the first 32).</summary>
    /// <remarks>
    /// Ownable fields are a kind's top fields under an object (<c>spec.email</c>, <c>metadata.name</c>): one pass over
    /// the document's first two levels finds them all, where a walk per path scanned the same entries a dozen times
    /// (60 ms of a 10,000-agent load). The pass takes entries as <see cref="Object"/> does; a path of another depth is walked.
    /// </remarks>
    public static uint Written(string file, YamlMappingNode root, ObjectShape shape, IReadOnlySet<string>? ignored, IReadOnlyList<string> ownable)
    {
        var count = Math.Min(ownable.Count, Noted);
        var bits = 0u;
        for (var i = 0; i < count; i++)
        {
            if (ownable[i].AsSpan().Count('.') != 1 && TryLocate(file, root, shape, ignored, ownable[i], out _))
                bits |= 1u << i;
        }

        var entries = root.Entries;
        for (var e = 0; e < entries.Length; e++)
        {
            if (FieldOf(entries, e, shape, ignored) is not { } field || entries[e].Value is not YamlMappingNode mapping || field.Shape is not ObjectShape inner)
                continue;
            var parent = entries[e].Key.Value;
            for (var c = 0; c < mapping.Entries.Length; c++)
            {
                if (FieldOf(mapping.Entries, c, inner, null) is null)
                    continue;
                var child = mapping.Entries[c].Key.Value;
                for (var i = 0; i < count; i++)
                {
                    var path = ownable[i];
                    if (path.Length == parent.Length + 1 + child.Length && path[parent.Length] == '.'
                        && path.StartsWith(parent, StringComparison.Ordinal) && path.EndsWith(child, StringComparison.Ordinal))
                        bits |= 1u << i;
                }
            }
        }

        return bits;
    }

    /// <summary>Whether the document wrote the field at <paramref name="path"/>; <paramref name="ownable"/> is the list <see cref="Written"/> was given.</summary>
    public bool IsWritten(IReadOnlyList<string> ownable, string path)
    {
        for (var i = 0; i < Math.Min(ownable.Count, Noted); i++)
        {
            if (string.Equals(ownable[i], path, StringComparison.Ordinal))
                return (written & (1u << i)) != 0;
        }

        return TryLocate(path, out _);
    }

    /// <summary>Where the node at <paramref name="path"/> (e.g. <c>spec.skills[2].level</c>) starts; false when the document did not write it.</summary>
    public bool TryLocate(string path, out SourceLocation at) =>
        TryLocate(trees.File, (YamlMappingNode)ManifestLoader.ListItem(trees.Root(document), item)!, shape, ignored, path, out at);

    /// <summary>The same walk over a tree at hand, for the loader while it still holds the tree.</summary>
    public static bool TryLocate(string file, YamlMappingNode root, ObjectShape shape, IReadOnlySet<string>? ignored, string path, out SourceLocation at)
    {
        if (path.Length == 0)
        {
            at = root.Start.In(file);
            return true;
        }

        var hit = default(Hit);
        Object(root, shape, ignored, path, 0, ref hit);
        at = (hit.Field ?? hit.Node)?.In(file) ?? default;
        return hit.Field is not null || hit.Node is not null;
    }

    /// <summary>
    /// What the walk found at the path. Two nodes can share a path when a map key holds a dot or a bracket; then a
    /// field of an object is the one kept (the checker sets fields and only adds other nodes), else the first node.
    /// </summary>
    private struct Hit
    {
        public TextPosition? Field;
        public TextPosition? Node;
    }

    private static void Children(YamlNode node, Shape shape, string target, int end, ref Hit hit)
    {
        switch (shape)
        {
            case ObjectShape objectShape when node is YamlMappingNode mapping:
                Object(mapping, objectShape, null, target, end, ref hit);
                break;
            case MapShape mapShape when node is YamlMappingNode mapping:
                Map(mapping, mapShape, target, end, ref hit);
                break;
            case ListShape listShape when node is YamlSequenceNode sequence:
                List(sequence, listShape, target, end, ref hit);
                break;
        }
    }

    private static void Object(YamlMappingNode mapping, ObjectShape shape, IReadOnlySet<string>? ignored, string target, int end, ref Hit hit)
    {
        var entries = mapping.Entries;
        for (var i = 0; i < entries.Length; i++)
        {
            if (Child(target, end, entries[i].Key.Value) is not { } child || FieldOf(entries, i, shape, ignored) is not { } field)
                continue;
            if (child == target.Length)
                hit.Field = entries[i].Value.Start;
            else if (entries[i].Value is not YamlScalarNode)
                Children(entries[i].Value, field.Shape, target, child, ref hit);
        }
    }

    /// <summary>The field an object's entry sets, as the checker takes it: the first of a key, not one the loader handles, a known field.</summary>
    private static ComparisonShape? FieldOf(YamlEntry[] entries, int i, ObjectShape shape, IReadOnlySet<string>? ignored)
    {
        var key = entries[i].Key.Value;
        return ShapeChecker.Index(entries, key) < i || ignored?.Contains(key) == true || !shape.IndexOf.TryGetValue(key, out var index)
            ? null
            : shape.Fields[index];
    }

    private static void Map(YamlMappingNode mapping, MapShape shape, string target, int end, ref Hit hit)
    {
        var entries = mapping.Entries;
        for (var i = 0; i < entries.Length; i++)
        {
            var (key, value) = entries[i];
            if (Child(target, end, key.Value) is not { } child || IsNull(value) || Taken(entries, i))
                continue;
            if (child == target.Length)
                hit.Node ??= value.Start;
            else
                Children(value, shape.Value, target, child, ref hit);
        }
    }

    /// <summary>Whether an earlier entry of a map took the key (the checker keeps the first one that is not null).</summary>
    private static bool Taken(YamlEntry[] entries, int i)
    {
        for (var j = 0; j < i; j++)
        {
            if (entries[j].Key.Value == entries[i].Key.Value && !IsNull(entries[j].Value))
                return true;
        }

        return false;
    }

    private static void List(YamlSequenceNode sequence, ListShape shape, string target, int end, ref Hit hit)
    {
        if (Item(target, end) is not ({ } index, { } child) || index >= sequence.Items.Length || IsNull(sequence.Items[index]))
            return;
        var item = sequence.Items[index];
        if (child == target.Length)
            hit.Node ??= item.Start;
        else
            Children(item, shape.Item, target, child, ref hit);
    }

    private static bool IsNull(YamlNode node) => node is YamlScalarNode scalar && ShapeChecker.Resolve(scalar) == ShapeChecker.Scalar.Null;

    /// <summary>Where the path of a mapping's entry (<c>parent.key</c>, or <c>key</c> at the top) ends in the target, if the target goes through it.</summary>
    private static int? Child(string target, int end, string key)
    {
        var start = end == 0 ? 0 : end + 1;
        if (end > 0 && (end >= target.Length || target[end] != '.'))
            return null;
        return target.AsSpan(start).StartsWith(key, StringComparison.Ordinal) ? start + key.Length : null;
    }

    /// <summary>The index and end of a list item's <c>[i]</c> written as the checker writes it (decimal, no leading zero), if the target goes through one.</summary>
    private static (int? Index, int? End) Item(string target, int end)
    {
        if (end >= target.Length || target[end] != '[')
            return default;
        var digits = end + 1;
        var close = digits;
        while (close < target.Length && char.IsAsciiDigit(target[close]))
            close++;
        var number = target.AsSpan(digits, close - digits);
        if (close >= target.Length || target[close] != ']' || number.Length == 0 || (number.Length > 1 && number[0] == '0')
            || !int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            return default;
        return (index, close + 1);
    }
}

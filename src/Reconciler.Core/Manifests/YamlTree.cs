using YamlDotNet.Core;

namespace Reconciler.Core.Manifests;

/// <summary>A YAML node that remembers where it starts; the loader's own tree so that duplicate keys and aliases stay visible.</summary>
internal abstract class YamlNode(SourceLocation start)
{
    public SourceLocation Start { get; } = start;

    /// <summary>Nodes this one stands for once aliases are expanded; bounds every later walk.</summary>
    /// <remarks>Stored by collections only (a scalar's is 1), and summed by loops: a 10,000-agent set holds 300,000 scalars.</remarks>
    public virtual long Weight => 1;
}

/// <summary>A scalar with the style it was written in, which decides how it resolves (plain <c>123</c> is an integer, <c>"123"</c> a string).</summary>
internal sealed class YamlScalarNode(SourceLocation start, string value, ScalarStyle style, string? tag) : YamlNode(start)
{
    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    public string? Tag { get; } = tag;

    public bool IsPlain => (Style is ScalarStyle.Plain or ScalarStyle.Any) && Tag is null;
}

internal sealed class YamlSequenceNode : YamlNode
{
    public YamlSequenceNode(SourceLocation start, IReadOnlyList<YamlNode> items)
        : base(start)
    {
        Items = items;
        long weight = 1;
        for (var i = 0; i < items.Count; i++)
            weight += items[i].Weight;
        Weight = weight;
    }

    public IReadOnlyList<YamlNode> Items { get; }

    public override long Weight { get; }
}

/// <summary>A key and its value, held inline in its mapping's array: one object fewer for each of a set's many entries.</summary>
internal readonly record struct YamlEntry(YamlScalarNode Key, YamlNode Value);

internal sealed class YamlMappingNode : YamlNode
{
    public YamlMappingNode(SourceLocation start, IReadOnlyList<YamlEntry> entries)
        : base(start)
    {
        Entries = entries;
        long weight = 1;
        for (var i = 0; i < entries.Count; i++)
            weight += 1 + entries[i].Value.Weight;
        Weight = weight;
    }

    public IReadOnlyList<YamlEntry> Entries { get; }

    public override long Weight { get; }
}

/// <summary>One document of a stream; <see cref="Root"/> is null for an empty document.</summary>
internal sealed record YamlDocumentNode(SourceLocation Start, YamlNode? Root);

/// <summary>Limits that keep a hostile or broken file from costing more than a moment.</summary>
public sealed record ManifestLimits
{
    public long MaxFileBytes { get; init; } = 5 * 1024 * 1024;

    public int MaxDepth { get; init; } = 64;

    /// <summary>Nodes a document may stand for after expanding aliases ("billion laughs" defence).</summary>
    public long MaxExpandedNodes { get; init; } = 100_000;

    public int MaxDocumentsPerFile { get; init; } = 10_000;

    public static ManifestLimits Default { get; } = new();
}

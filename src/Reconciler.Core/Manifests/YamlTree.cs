using YamlDotNet.Core;

namespace Reconciler.Core.Manifests;

/// <summary>A YAML node that remembers where it starts; the loader's own tree so that duplicate keys and aliases stay visible.</summary>
internal abstract class YamlNode(TextPosition start)
{
    public TextPosition Start { get; } = start;

    /// <summary>Nodes this one stands for once aliases are expanded; bounds every later walk.</summary>
    /// <remarks>Stored by collections only (a scalar's is 1), and summed by loops: a 10,000-agent set holds 300,000 scalars.</remarks>
    public virtual long Weight => 1;
}

/// <summary>A scalar with the style it was written in, which decides how it resolves (plain <c>123</c> is an integer, <c>"123"</c> a string).</summary>
internal sealed class YamlScalarNode(TextPosition start, string value, ScalarStyle style, ScalarTag tag = ScalarTag.None) : YamlNode(start)
{
    // The style and tag are stored as bytes: with the position, a scalar is 40 bytes instead of 56.
    private readonly byte _style = (byte)style;

    public string Value { get; } = value;

    public ScalarStyle Style => (ScalarStyle)_style;

    public ScalarTag Tag { get; } = tag;

    public bool IsPlain => (Style is ScalarStyle.Plain or ScalarStyle.Any) && Tag == ScalarTag.None;
}

internal sealed class YamlSequenceNode : YamlNode
{
    public YamlSequenceNode(TextPosition start, YamlNode[] items)
        : base(start)
    {
        Items = items;
        long weight = 1;
        for (var i = 0; i < items.Length; i++)
            weight += items[i].Weight;
        Weight = weight;
    }

    /// <summary>An array, not a list interface: indexing it is a load, where the interface was a dispatch per item.</summary>
    public YamlNode[] Items { get; }

    public override long Weight { get; }
}

/// <summary>A key and its value, held inline in its mapping's array: one object fewer for each of a set's many entries.</summary>
internal readonly record struct YamlEntry(YamlScalarNode Key, YamlNode Value);

internal sealed class YamlMappingNode : YamlNode
{
    public YamlMappingNode(TextPosition start, YamlEntry[] entries)
        : base(start)
    {
        Entries = entries;
        long weight = 1;
        for (var i = 0; i < entries.Length; i++)
            weight += 1 + entries[i].Value.Weight;
        Weight = weight;
    }

    /// <summary>
    /// An array, not a list interface: an interface over an array of this struct is the framework's generic code, which a
    /// ReadyToRun build cannot precompile for our type, so every run began by interpreting it at tier 0.
    /// </summary>
    public YamlEntry[] Entries { get; }

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

    /// <summary>
    /// Problems listed for one file before the rest of it is left unread: one mistake repeated through a few megabytes
    /// (a tab on every line, a generator's wrong field in every document) would otherwise be a million diagnostics,
    /// gigabytes once written as JSON or SARIF, and no more use to a reader than the first thousand.
    /// </summary>
    public int MaxDiagnosticsPerFile { get; init; } = 1_000;

    public static ManifestLimits Default { get; } = new();
}

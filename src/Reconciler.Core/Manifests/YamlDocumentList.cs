namespace Reconciler.Core.Manifests;

/// <summary>A file's documents kept as trees.</summary>
internal sealed class YamlDocumentList : List<YamlDocumentNode>, IYamlDocuments
{
    public void RemoveFrom(int count) => RemoveRange(count, Count - count);
}

namespace Reconciler.Core.Manifests;

/// <summary>
/// Where a <see cref="YamlTreeBuilder"/> puts each document it completes: kept as a tree (<see cref="YamlDocumentList"/>),
/// or turned into what the caller keeps at once, so that its tree is garbage before the next document is read.
/// </summary>
internal interface IYamlDocuments
{
    /// <summary>The documents completed so far.</summary>
    int Count { get; }

    void Add(YamlDocumentNode document);

    /// <summary>Forgets the documents from position <paramref name="count"/> on (a reader gave up on the file, which is read again).</summary>
    void RemoveFrom(int count);
}

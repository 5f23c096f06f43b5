namespace Reconciler.Core.Manifests;

/// <summary>
/// A 1-based line and column in the file a tree was read from. Nodes hold this rather than a <see cref="SourceLocation"/>:
/// every node of a file shares the file name, and a 10,000-agent set holds 400,000 nodes.
/// </summary>
internal readonly record struct TextPosition(int Line, int Column)
{
    public SourceLocation In(string file) => new(file, Line, Column);
}

namespace Reconciler.Core.Manifests;

/// <summary>What a path names, as stat(2) tells it (<see cref="FileKinds.Of"/>).</summary>
public enum FileKind
{
    /// <summary>Nothing there, or nothing the process may look at (a folder on the way it cannot search): opening it says why.</summary>
    None,
    Regular,
    Directory,
    SymbolicLink,
    NamedPipe,
    CharacterDevice,
    BlockDevice,
    Socket,
}

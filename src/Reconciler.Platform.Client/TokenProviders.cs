using System.Collections.Concurrent;
using Reconciler.Core.Manifests;

namespace Reconciler.Platform.Client;

/// <summary>Supplies the Admin API bearer token; implementations read it late so that rotated files are picked up.</summary>
public interface ITokenProvider
{
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>A token known up front (tests, the embedded platform).</summary>
public sealed class StaticTokenProvider(string token) : ITokenProvider
{
    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(token);

    public override string ToString() => "static token";
}

/// <summary>
/// A token read from a file (a mounted Secret); re-read on every request so rotation needs no restart. A pipe
/// (<c>--token-file &lt;(vault read …)</c>) gives its token once, to its first reader: it is read at the first request
/// and kept for every provider of the process (a command may build its client twice).
/// </summary>
public sealed class FileTokenProvider : ITokenProvider
{
    /// <summary>The most a token file is read for: a token is a line, and a device (<c>/dev/zero</c>) has no end.</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly ConcurrentDictionary<string, Lazy<string>> ReadOnce = new(StringComparer.Ordinal);

    private readonly string _path;
    private readonly Lazy<string>? _once;

    public FileTokenProvider(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        _path = path;
        if (FileKinds.Of(path) is FileKind.NamedPipe or FileKind.CharacterDevice or FileKind.Socket)
            _once = ReadOnce.GetOrAdd(path, file => new(() => Read(file)));
    }

    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_once?.Value ?? Read(_path));

    /// <summary>The token in a file, trimmed; an <see cref="IOException"/> that names the limit when the file holds more than <see cref="MaxBytes"/>.</summary>
    public static string Read(string path) =>
        (BoundedFile.ReadAllText(path, MaxBytes) ?? throw new IOException($"it holds more than {MaxBytes / 1024} KiB, more than any token")).Trim();

    public override string ToString() => $"token file {_path}";
}

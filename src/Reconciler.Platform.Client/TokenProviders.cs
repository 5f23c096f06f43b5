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

/// <summary>A token read from a file (a mounted Secret); re-read on every request so rotation needs no restart.</summary>
public sealed class FileTokenProvider(string path) : ITokenProvider
{
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) =>
        (await File.ReadAllTextAsync(path, cancellationToken)).Trim();

    public override string ToString() => $"token file {path}";
}

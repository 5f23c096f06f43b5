using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace Reconciler.Core.Engine;

/// <summary>
/// Idempotency keys of creates in flight, kept where a crash cannot lose them (crossplane's create-pending
/// marker): a re-run after a kill reuses the key, so the platform replays the first create instead of duplicating it.
/// </summary>
public interface IPendingCreateStore
{
    /// <summary>Keys for the operations, reusing any left by an earlier run; persisted before it returns.</summary>
    Task<IReadOnlyDictionary<string, string>> ReserveAsync(IReadOnlyCollection<string> operations, CancellationToken cancellationToken);

    /// <summary>Forgets the keys of operations that are done.</summary>
    Task ReleaseAsync(IReadOnlyCollection<string> operations, CancellationToken cancellationToken);
}

/// <summary>Pending creates in a JSON file, replaced atomically (write a temp file, then rename).</summary>
public sealed class FilePendingCreateStore(string path) : IPendingCreateStore
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<IReadOnlyDictionary<string, string>> ReserveAsync(IReadOnlyCollection<string> operations, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var stored = await ReadAsync(cancellationToken);
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            var added = false;
            foreach (var operation in operations)
            {
                if (!stored.TryGetValue(operation, out var key))
                {
                    key = NewKey();
                    stored[operation] = key;
                    added = true;
                }

                result[operation] = key;
            }

            if (added)
                await WriteAsync(stored, cancellationToken);
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task ReleaseAsync(IReadOnlyCollection<string> operations, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var stored = await ReadAsync(cancellationToken);
            if (operations.Count(stored.Remove) > 0)
                await WriteAsync(stored, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    internal static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private async Task<Dictionary<string, string>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            return new(StringComparer.Ordinal);
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<Dictionary<string, string>>(stream, cancellationToken: cancellationToken)
            ?? new(StringComparer.Ordinal);
    }

    private async Task WriteAsync(Dictionary<string, string> stored, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            await JsonSerializer.SerializeAsync(stream, stored, cancellationToken: cancellationToken);
        File.Move(temp, path, overwrite: true);
    }
}

/// <summary>Pending creates that live as long as the process (tests, the operator keeps its own in status).</summary>
public sealed class InMemoryPendingCreateStore : IPendingCreateStore
{
    private readonly ConcurrentDictionary<string, string> keys = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Snapshot => keys;

    public Task<IReadOnlyDictionary<string, string>> ReserveAsync(IReadOnlyCollection<string> operations, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(operations.ToDictionary(o => o, o => keys.GetOrAdd(o, _ => FilePendingCreateStore.NewKey()), StringComparer.Ordinal));

    public Task ReleaseAsync(IReadOnlyCollection<string> operations, CancellationToken cancellationToken)
    {
        foreach (var operation in operations)
            keys.TryRemove(operation, out _);
        return Task.CompletedTask;
    }
}

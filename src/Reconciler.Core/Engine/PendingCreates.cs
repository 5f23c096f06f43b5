using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Core.Manifests;

namespace Reconciler.Core.Engine;

/// <summary>
/// Idempotency nonces of creates in flight, kept where a crash cannot lose them (crossplane's create-pending
/// marker): a re-run after a kill reuses the nonce, so a retried create carries the same Idempotency-Key and the
/// platform replays the first create instead of duplicating it. The key sent is derived from the nonce and the
/// request (<see cref="IdempotencyKeys.Derive"/>), so an edited manifest never reuses the key of another body.
/// </summary>
public interface IPendingCreateStore
{
    /// <summary>Nonces for the operations, reusing any left by an earlier run; persisted before it returns.</summary>
    Task<IReadOnlyDictionary<string, string>> ReserveAsync(IReadOnlyCollection<string> operations, CancellationToken cancellationToken);

    /// <summary>Replaces the nonce of one operation (its replayed create turned out to be gone); persisted before it returns.</summary>
    Task<string> RenewAsync(string operation, CancellationToken cancellationToken);

    /// <summary>Forgets the nonces of operations that are done or whose object a run observed.</summary>
    Task ReleaseAsync(IReadOnlyCollection<string> operations, CancellationToken cancellationToken);
}

/// <summary>How the Idempotency-Key of a create is made from its pending nonce.</summary>
public static class IdempotencyKeys
{
    /// <summary>A random nonce: 128 bits, hex.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// The key of one (collection, natural key, request body) under a nonce: the same request retried gets the same
    /// key; a different body (the manifest was edited between a killed run and its re-run) gets another.
    /// </summary>
    public static string Derive(string nonce, string operation, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        ArgumentNullException.ThrowIfNull(body);

        // The UTF-8 of operation + "\n" + body.ToJsonString(), written straight into one buffer.
        var request = new ArrayBufferWriter<byte>(256);
        request.Write(Encoding.UTF8.GetBytes(operation + "\n"));
        using (var writer = new Utf8JsonWriter(request))
            body.WriteTo(writer);
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Convert.FromHexString(nonce), request.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash[..20]);
    }
}

/// <summary>
/// Pending creates in a JSON file, replaced whole by <c>replace</c> (the CLI's staged writer: the new content flushed
/// beside the file, unnamed where the system allows, then renamed over it, so that a killed run leaves neither a torn
/// file nor a temporary one in the state folder). Entries
/// older than <see cref="MaxAge"/> are dropped: by then the platform has forgotten the key anyway, so the file is
/// bounded by the creates of one day. A file in the first format (operation to key, no times) is discarded whole:
/// its keys are exactly the stale ones that made creates vanish.
/// </summary>
public sealed class FilePendingCreateStore(string path, Func<string, ReadOnlyMemory<byte>, CancellationToken, Task> replace, TimeProvider? time = null) : IPendingCreateStore
{
    /// <summary>How long an unreleased nonce is kept; matches the platform's idempotency record lifetime.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    /// <summary>The most the file is read for: 10,000 pending creates take about 1 MB, so this holds half a million.</summary>
    private const long MaxFileBytes = 64 * 1024 * 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _clock = time ?? TimeProvider.System;

    public async Task<IReadOnlyDictionary<string, string>> ReserveAsync(IReadOnlyCollection<string> operations, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var (stored, changed) = Read();
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var operation in operations)
            {
                if (!stored.TryGetValue(operation, out var entry))
                {
                    stored[operation] = entry = new PendingEntry(IdempotencyKeys.NewNonce(), _clock.GetUtcNow());
                    changed = true;
                }

                result[operation] = entry.Nonce;
            }

            if (changed)
                await WriteAsync(stored, cancellationToken);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<string> RenewAsync(string operation, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var (stored, _) = Read();
            var entry = new PendingEntry(IdempotencyKeys.NewNonce(), _clock.GetUtcNow());
            stored[operation] = entry;
            await WriteAsync(stored, cancellationToken);
            return entry.Nonce;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ReleaseAsync(IReadOnlyCollection<string> operations, CancellationToken cancellationToken)
    {
        if (operations.Count == 0)
            return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var (stored, changed) = Read();
            if (operations.Count(stored.Remove) > 0 || changed)
                await WriteAsync(stored, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The stored entries without expired ones, and whether anything was dropped.</summary>
    private (Dictionary<string, PendingEntry> Entries, bool Changed) Read()
    {
        var entries = new Dictionary<string, PendingEntry>(StringComparer.Ordinal);
        if (!File.Exists(path))
            return (entries, false);

        // A file larger than any day's creates was not written by a store: it is not read to its end, and is discarded
        // as a torn one is.
        if (BoundedFile.ReadAllBytes(path, MaxFileBytes) is not { } bytes)
            return (entries, true);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            // A torn or hand-mangled file: the keys in it cannot be trusted; observation decides instead.
            return (entries, true);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("pending", out var pending) || pending.ValueKind != JsonValueKind.Object)
                return (entries, true);
            var changed = false;
            var now = _clock.GetUtcNow();
            foreach (var entry in pending.EnumerateObject())
            {
                if (entry.Value.ValueKind == JsonValueKind.Object
                    && entry.Value.TryGetProperty("nonce", out var nonce) && nonce.ValueKind == JsonValueKind.String && nonce.GetString() is { Length: 32 } text
                    && entry.Value.TryGetProperty("reservedAt", out var at) && at.ValueKind == JsonValueKind.String && at.TryGetDateTimeOffset(out var reservedAt)
                    && now - reservedAt < MaxAge && reservedAt <= now + MaxAge)
                    entries[entry.Name] = new PendingEntry(text, reservedAt);
                else
                    changed = true;
            }

            return (entries, changed);
        }
    }

    /// <summary>
    /// The file is built in memory by a writer, not a JSON DOM, and handed to <c>replace</c> whole rather than in 4 KB
    /// buffers: the 1 MB of 10,000 pending creates is written before the first create is sent and again after the last.
    /// </summary>
    private async Task WriteAsync(Dictionary<string, PendingEntry> stored, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var content = new ArrayBufferWriter<byte>(64 + (stored.Count * 112));
        using (var writer = new Utf8JsonWriter(content))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", 2);
            writer.WriteStartObject("pending");
            foreach (var (operation, entry) in stored.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject(operation);
                writer.WriteString("nonce", entry.Nonce);
                writer.WriteString("reservedAt", entry.ReservedAt);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        await replace(full, content.WrittenMemory, cancellationToken);
    }

    private sealed record PendingEntry(string Nonce, DateTimeOffset ReservedAt);
}

/// <summary>Pending creates that live as long as the process (tests, the operator keeps its own in status).</summary>
public sealed class InMemoryPendingCreateStore : IPendingCreateStore
{
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Snapshot => _keys;

    public Task<IReadOnlyDictionary<string, string>> ReserveAsync(IReadOnlyCollection<string> operations, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(operations.ToDictionary(o => o, o => _keys.GetOrAdd(o, _ => IdempotencyKeys.NewNonce()), StringComparer.Ordinal));

    public Task<string> RenewAsync(string operation, CancellationToken cancellationToken) =>
        Task.FromResult(_keys[operation] = IdempotencyKeys.NewNonce());

    public Task ReleaseAsync(IReadOnlyCollection<string> operations, CancellationToken cancellationToken)
    {
        foreach (var operation in operations)
            _keys.TryRemove(operation, out _);
        return Task.CompletedTask;
    }
}

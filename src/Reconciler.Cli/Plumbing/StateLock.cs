using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// Terraform's state lock for the working folder's <c>.reconciler/</c>: one apply at a time. The lock is an OS file
/// lock on <c>state.lock</c>, so a run killed with SIGKILL releases it with its process; <c>state.lock.json</c>
/// beside it names the holder (pid, host, start time) for the message a second run prints.
/// </summary>
internal sealed partial class StateLock : IDisposable
{
    private const string LockFile = "state.lock";
    private const string InfoFile = LockFile + ".json";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private readonly FileStream _handle;
    private readonly string _infoPath;

    private StateLock(FileStream handle, string infoPath)
    {
        _handle = handle;
        _infoPath = infoPath;
    }

    /// <summary>
    /// Takes the lock of <paramref name="workingDirectory"/>'s state folder, waiting up to <paramref name="timeout"/>; on
    /// failure the message names the holder, or why the folder or its lock files cannot be used (<see cref="StateFolder"/>).
    /// </summary>
    public static async Task<(StateLock? Lock, string? Error)> AcquireAsync(string workingDirectory, string operation, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (StateFolder.Problem(workingDirectory, LockFile, InfoFile) is { } problem)
            return (null, problem);
        var stateDirectory = StateFolder.Of(workingDirectory);
        Directory.CreateDirectory(stateDirectory);
        var path = Path.Combine(stateDirectory, LockFile);
        var infoPath = Path.Combine(stateDirectory, InfoFile);
        // Elapsed time rather than a deadline on the calendar: a --lock-timeout of 100000000h ends after the last instant
        // a DateTimeOffset holds, and means "wait for as long as it takes".
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) on Unix and a share lock on Windows.
                var handle = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                try
                {
                    await WriteInfoAsync(infoPath, new LockInfo(Environment.ProcessId, Environment.MachineName, Environment.UserName, operation, time.GetUtcNow()), cancellationToken);
                }
                catch
                {
                    // Held by nobody once the holder could not say who it is: a retry would otherwise wait on itself.
                    await handle.DisposeAsync();
                    throw;
                }

                return (new StateLock(handle, infoPath), null);
            }
            catch (IOException) when (time.GetElapsedTime(started) < timeout)
            {
                await Task.Delay(PollInterval, time, cancellationToken);
            }
            catch (IOException)
            {
                return (null, Describe(path, infoPath, timeout));
            }
        }
    }

    /// <summary>Replaced whole through the staged writer: a run killed while it writes leaves no temporary file in the state folder.</summary>
    private static Task WriteInfoAsync(string infoPath, LockInfo info, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(infoPath, JsonSerializer.Serialize(info, LockInfoJson.Default.LockInfo), cancellationToken);

    private static string Describe(string path, string infoPath, TimeSpan timeout)
    {
        var waited = timeout > TimeSpan.Zero ? $" (waited {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)" : "";
        var holder = "another run";
        try
        {
            if (JsonSerializer.Deserialize(File.ReadAllText(infoPath), LockInfoJson.Default.LockInfo) is { } info)
                holder = $"{info.Operation} by {info.User}, pid {info.ProcessId} on host {info.Host}, started {info.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}";
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            // The holder is between taking the lock and writing who it is: "another run" is all we know.
        }

        return $"the state in {Path.GetDirectoryName(path)} is locked{waited}: held by {holder}. " +
            "Wait for that run to finish, or pass --lock-timeout 5m to wait for it.";
    }

    public void Dispose()
    {
        try
        {
            File.Delete(_infoPath);
        }
        finally
        {
            _handle.Dispose();
        }
    }

    private sealed record LockInfo(int ProcessId, string Host, string User, string Operation, DateTimeOffset StartedAt);

    [JsonSerializable(typeof(LockInfo))]
    private sealed partial class LockInfoJson : JsonSerializerContext;
}

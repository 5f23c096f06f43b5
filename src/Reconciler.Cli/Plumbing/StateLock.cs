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
    private bool _announced;

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
                var held = new StateLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), infoPath);
                try
                {
                    await held.AnnounceAsync(operation, time, cancellationToken);
                }
                catch
                {
                    // Held by nobody once the holder could not say who it is: a retry would otherwise wait on itself.
                    held.Dispose();
                    throw;
                }

                return (held, null);
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

    /// <summary>
    /// The lock of a state folder that an earlier run made, taken at once if nobody holds it, without writing anything:
    /// held from the start, a run may observe the platform while it still validates its manifests, and one whose manifests
    /// are invalid lets it go with nothing written. Null when the lock file is not there yet, is not a regular file, or is held.
    /// The holder names itself with <see cref="AnnounceAsync"/> once its input proved valid.
    /// </summary>
    public static StateLock? HoldIfFree(string workingDirectory)
    {
        if (StateFolder.Problem(workingDirectory, LockFile, InfoFile) is not null)
            return null;
        var stateDirectory = StateFolder.Of(workingDirectory);
        try
        {
            return new StateLock(new FileStream(Path.Combine(stateDirectory, LockFile), FileMode.Open, FileAccess.ReadWrite, FileShare.None), Path.Combine(stateDirectory, InfoFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Names the holder in <c>state.lock.json</c>, replaced whole through the staged writer: a run killed while it writes leaves no temporary file in the state folder.</summary>
    public async Task AnnounceAsync(string operation, TimeProvider time, CancellationToken cancellationToken)
    {
        var info = new LockInfo(Environment.ProcessId, Environment.MachineName, Environment.UserName, operation, time.GetUtcNow());
        await AtomicFile.WriteAllTextAsync(_infoPath, JsonSerializer.Serialize(info, LockInfoJson.Default.LockInfo), cancellationToken);
        _announced = true;
    }

    private static string Describe(string path, string infoPath, TimeSpan timeout)
    {
        var waited = timeout > TimeSpan.Zero ? $" (waited {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)" : "";
        var holder = "another run";
        try
        {
            // A run killed with SIGKILL leaves its name behind, and a holder that is still validating (HoldIfFree) has
            // not written its own: a holder on this host that is no longer running is not the one.
            if (JsonSerializer.Deserialize(File.ReadAllText(infoPath), LockInfoJson.Default.LockInfo) is { } info && !(info.Host == Environment.MachineName && !IsRunning(info.ProcessId)))
                holder = $"{info.Operation} by {info.User}, pid {info.ProcessId} on host {info.Host}, started {info.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}";
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            // The holder is between taking the lock and writing who it is: "another run" is all we know.
        }

        return $"the state in {Path.GetDirectoryName(path)} is locked{waited}: held by {holder}. " +
            "Wait for that run to finish, or pass --lock-timeout 5m to wait for it.";
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (_announced)
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

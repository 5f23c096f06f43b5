using Microsoft.Extensions.Logging;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// The platform observed while the manifests load. Observing does not depend on the manifests, only on the
/// connection; when the flags and the environment alone give it, plan opens the session and starts observing
/// before validation, and uses that observation if the manifests' PlatformConnection leaves the settings as they were
/// (apply only when it held the state lock from its start, so a run that waited for another plans from what the other did).
/// Until it is taken nothing of it reaches the user: what opening the session said is held back, and one that is not
/// taken (invalid manifests, other settings) is cancelled and closed silently.
/// </summary>
internal sealed class SpeculativeObservation : IAsyncDisposable
{
    private readonly ConnectionSettings _settings;
    private readonly CancellationTokenSource _cancel;
    private readonly Task<Opened?> _opened;
    private bool _taken;
    private bool _disposed;

    private SpeculativeObservation(ConnectionSettings settings, CancellationTokenSource cancel, Task<Opened?> opened)
    {
        _settings = settings;
        _cancel = cancel;
        _opened = opened;
    }

    /// <summary>
    /// Starts observing when <paramref name="settings"/> name a platform. Never the embedded platform: starting it
    /// creates files, and invalid input writes nothing. Never with -v either: its request lines would come before
    /// the validation's output, and would log an observation that may be thrown away.
    /// </summary>
    public static SpeculativeObservation? Start(ConnectionSettings settings, CliEnvironment environment, CancellationToken cancellationToken)
    {
        if (settings.Url is null || settings.LogLevel < LogLevel.Warning)
            return null;
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return new SpeculativeObservation(settings, cancel, Task.Run(() => OpenAsync(settings, environment, cancel.Token), CancellationToken.None));
    }

    /// <summary>
    /// The session and its observation when they were started with exactly <paramref name="settings"/> (every value
    /// the client is built from: URL, token, rate, log level), after writing what opening the session said; null when
    /// the settings differ or the session could not be opened (opening it again says why).
    /// </summary>
    public async Task<(PlatformSession Session, Task<PlatformResult<ObservedState>> Observed)?> TakeAsync(ConnectionSettings settings, TextWriter error)
    {
        if (settings != _settings || await Settled(_opened) is not { } opened)
        {
            // Stopped now, not at the end of the run: it would otherwise keep reading beside the observation made
            // with the manifests' settings, at a rate those settings may forbid.
            await DisposeAsync();
            return null;
        }

        _taken = true;
        await error.WriteAsync(opened.Said);
        return (opened.Session, opened.Observed);
    }

    /// <summary>Cancels the observation if it still runs and waits for it; closes the session unless it was taken. Call it before closing a taken session.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        await _cancel.CancelAsync();
        var opened = await Settled(_opened);
        if (opened is not null)
        {
            await Settled(opened.Observed);
            if (!_taken)
                await opened.Session.DisposeAsync();
        }

        _cancel.Dispose();
    }

    private static async Task<Opened?> OpenAsync(ConnectionSettings settings, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var said = new StringWriter();
        var (session, _) = await PlatformSession.OpenAsync(settings, environment, said, cancellationToken);
        if (session is null)
            return null;
        var observed = WithViewAsync(new ReconcileEngine(session.Client, new CliSecretResolver(_ => null, null)).ObserveAsync(cancellationToken));
        return new Opened(session, said.ToString(), observed);
    }

    /// <summary>
    /// The observation with its indexes built (by key, by ownership label, the guards' totals): they depend on nothing
    /// but the observation, so they are built here, on the observing thread while the manifests still validate, instead
    /// of as the plan's first step (about a fifth of planning 100 agents, most of it first-call type loading and JIT).
    /// </summary>
    private static async Task<PlatformResult<ObservedState>> WithViewAsync(Task<PlatformResult<ObservedState>> observing)
    {
        var observed = await observing;
        if (observed.IsOk)
            _ = observed.Value!.View;
        return observed;
    }

    /// <summary>The task's value once it has finished, whatever its outcome: a discarded observation's failure (an unreachable platform, a 401, the cancellation) is no one's concern.</summary>
    private static async Task<T?> Settled<T>(Task<T> task)
    {
        await ((Task)task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (task.IsFaulted)
            _ = task.Exception; // seen, so it is not raised again as an unobserved task exception
        return task.IsCompletedSuccessfully ? task.Result : default;
    }

    private sealed record Opened(PlatformSession Session, string Said, Task<PlatformResult<ObservedState>> Observed);
}

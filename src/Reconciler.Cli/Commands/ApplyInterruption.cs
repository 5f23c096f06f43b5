using System.Runtime.InteropServices;

namespace Reconciler.Cli.Commands;

/// <summary>
/// Ctrl+C and SIGTERM during an apply: the first stops starting new changes while the calls in flight finish (then the
/// summary is printed and the exit code is 130 or 143); a second exits at once, after restoring the terminal. Before
/// the writes begin (planning, the confirmation prompt) a signal ends the process as usual: nothing was written to the
/// platform yet.
/// </summary>
internal sealed class ApplyInterruption : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;
    private Action<string>? _notify;
    private Action? _restore;
    private int _signals;

    public ApplyInterruption() => _registrations =
    [
        PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
    ];

    /// <summary>Cancelled by the first signal once the writes have begun.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM (128 + the signal number, as shells report it); null when not interrupted.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>From now on a signal stops the apply gracefully; <paramref name="notify"/> tells the person, <paramref name="restore"/> puts the terminal back.</summary>
    public void BeginWrites(Action<string> notify, Action restore) => (_notify, _restore) = (notify, restore);

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _stop.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        if (_notify is null)
            return;
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            ExitCode = context.Signal == PosixSignal.SIGTERM ? 143 : 130;
            _notify("Interrupted: starting no more changes, finishing the calls in flight (Ctrl+C again exits at once; a re-run converges).");
            _stop.Cancel();
            return;
        }

        _restore?.Invoke();
        Console.Error.WriteLine("Interrupted again: exiting now; calls in flight may or may not have completed (a re-run converges).");
        Environment.Exit(ExitCode ?? 130);
    }
}

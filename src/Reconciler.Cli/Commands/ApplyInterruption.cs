using System.Runtime.InteropServices;

namespace Reconciler.Cli.Commands;

/// <summary>
/// Ctrl+C and SIGTERM during an apply: the first stops starting new changes while the calls in flight finish (then the
/// summary is printed and the exit code is 130 or 143); a second exits at once, after restoring the terminal. Before
/// the writes begin (planning, the confirmation prompt) a signal ends the process as usual: nothing was written to the
/// platform yet. Once they are over, a signal stops nothing, and the exit code stays the one the writes earned.
/// </summary>
internal sealed class ApplyInterruption : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;

    // A signal and the end of the writes may come at once: which came first decides the message and the exit code.
    private readonly Lock _gate = new();
    private Action<string>? _notify;
    private Action? _restore;
    private int? _exitCode;
    private int? _finished;
    private int _signals;

    public ApplyInterruption() => _registrations =
    [
        PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
    ];

    /// <summary>Cancelled by the first signal once the writes have begun.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>From now on a signal stops the apply gracefully; <paramref name="notify"/> tells the person, <paramref name="restore"/> puts the terminal back.</summary>
    public void BeginWrites(Action<string> notify, Action restore) => (_notify, _restore) = (notify, restore);

    /// <summary>
    /// The writes are over: returns the exit code, 130 or 143 when a signal stopped them, else 0 or 1 as <paramref name="succeeded"/>
    /// says. A later signal finds nothing to stop; the process is only printing the result and releasing the lock.
    /// </summary>
    public int EndWrites(bool succeeded)
    {
        lock (_gate)
            return (_finished = _exitCode ?? (succeeded ? 0 : 1)).Value;
    }

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
        bool first;
        int? finished, interrupted;
        lock (_gate)
        {
            first = ++_signals == 1;
            finished = _finished;
            if (first && finished is null)
                _exitCode = context.Signal == PosixSignal.SIGTERM ? 143 : 130;
            interrupted = _exitCode;
        }

        // Written outside the gate: standard error waits while standard output is blocked (a full pipe), and a second
        // signal must still be able to end the process then.
        if (first)
        {
            // Once the writes are over, "starting no more changes" would claim an interruption that did not happen.
            if (finished is not null)
            {
                Console.Error.WriteLine("Interrupted after the apply had finished: nothing was stopped; exiting with its result.");
            }
            else
            {
                _notify("Interrupted: starting no more changes, finishing the calls in flight (Ctrl+C again exits at once; a re-run converges).");
                _stop.Cancel();
            }

            return;
        }

        _restore?.Invoke();
        if (finished is { } code)
            Environment.Exit(code);
        Console.Error.WriteLine("Interrupted again: exiting now; calls in flight may or may not have completed (a re-run converges).");
        Environment.Exit(interrupted ?? 130);
    }
}

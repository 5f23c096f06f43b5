using System.Globalization;
using Reconciler.Core.Engine;
using Reconciler.Core.Validation;

namespace Reconciler.Cli.Commands;

/// <summary>
/// Progress of an apply as it happens: one line per finished resource the moment it finishes; at a terminal also a
/// status line kept at the bottom (done/total, rate, ETA, failures so far) with the cursor hidden until
/// <see cref="Dispose"/> (or <see cref="RestoreTerminal"/>) shows it again.
/// </summary>
internal sealed class ApplyProgress : IProgress<ResourceResult>, IDisposable
{
    private const string HideCursor = "\e[?25l";
    private const string ShowCursor = "\e[?25h";
    private const string ClearLine = "\r\e[2K";

    private readonly TextWriter _writer;
    private readonly int _total;
    private readonly bool _terminal;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly Lock _gate = new();
    private int _done;
    private int _failed;
    private bool _restored;

    public ApplyProgress(TextWriter writer, int total, bool terminal, TimeProvider time)
    {
        (_writer, _total, _terminal, _time) = (writer, total, terminal, time);
        _started = time.GetTimestamp();
        if (terminal)
            Write(HideCursor + Status());
    }

    public void Report(ResourceResult value)
    {
        lock (_gate)
        {
            _done++;
            if (value.Outcome is ResourceOutcome.Failed)
                _failed++;
            // An address may be the platform's source label, a message the platform's words: neither may move the cursor or break the line.
            var message = value.Message is null ? "" : $": {TerminalText.Printable(value.Message)}";
            var line = string.Create(CultureInfo.InvariantCulture, $"  {value.Outcome,-9} {TerminalText.Printable(value.Address.ToString())}{message}");
            Write(_terminal ? $"{ClearLine}{line}\n{Status()}" : line + "\n");
        }
    }

    /// <summary>A line for people between results (an interrupt notice), kept above the status line.</summary>
    public void Note(string text)
    {
        lock (_gate)
            Write(_terminal ? $"{ClearLine}{text}\n{Status()}" : text + "\n");
    }

    /// <summary>Shows the cursor again and ends the status line; safe to call from a signal handler, and more than once.</summary>
    public void RestoreTerminal()
    {
        lock (_gate)
        {
            if (!_terminal || _restored)
                return;
            _restored = true;
            Write("\n" + ShowCursor);
        }
    }

    public void Dispose() => RestoreTerminal();

    private string Status()
    {
        var elapsed = _time.GetElapsedTime(_started);
        var rate = elapsed.TotalSeconds > 0 ? _done / elapsed.TotalSeconds : 0;
        var eta = rate > 0 ? TimeSpan.FromSeconds(Math.Ceiling((_total - _done) / rate)) : (TimeSpan?)null;
        var percent = _total == 0 ? 100 : _done * 100 / _total;
        return string.Create(CultureInfo.InvariantCulture,
            $"Applying: {_done}/{_total} ({percent}%), {rate:0.0}/s, ETA {(eta is { } e ? $"{(int)e.TotalMinutes}:{e.Seconds:00}" : "-")}, {_failed} failed");
    }

    private void Write(string text)
    {
        _writer.Write(text);
        _writer.Flush();
    }
}

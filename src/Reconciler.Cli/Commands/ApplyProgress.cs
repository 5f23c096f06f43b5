using System.Globalization;
using Reconciler.Core.Engine;

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

    private readonly TextWriter writer;
    private readonly int total;
    private readonly bool terminal;
    private readonly TimeProvider time;
    private readonly long started;
    private readonly Lock gate = new();
    private int done;
    private int failed;
    private bool restored;

    public ApplyProgress(TextWriter writer, int total, bool terminal, TimeProvider time)
    {
        (this.writer, this.total, this.terminal, this.time) = (writer, total, terminal, time);
        started = time.GetTimestamp();
        if (terminal)
            Write(HideCursor + Status());
    }

    public void Report(ResourceResult value)
    {
        lock (gate)
        {
            done++;
            if (value.Outcome is ResourceOutcome.Failed)
                failed++;
            var message = value.Message is null ? "" : $": {value.Message}";
            var line = string.Create(CultureInfo.InvariantCulture, $"  {value.Outcome,-9} {value.Address}{message}");
            Write(terminal ? $"{ClearLine}{line}\n{Status()}" : line + "\n");
        }
    }

    /// <summary>A line for people between results (an interrupt notice), kept above the status line.</summary>
    public void Note(string text)
    {
        lock (gate)
            Write(terminal ? $"{ClearLine}{text}\n{Status()}" : text + "\n");
    }

    /// <summary>Shows the cursor again and ends the status line; safe to call from a signal handler, and more than once.</summary>
    public void RestoreTerminal()
    {
        lock (gate)
        {
            if (!terminal || restored)
                return;
            restored = true;
            Write("\n" + ShowCursor);
        }
    }

    public void Dispose() => RestoreTerminal();

    private string Status()
    {
        var elapsed = time.GetElapsedTime(started);
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var eta = rate > 0 ? TimeSpan.FromSeconds(Math.Ceiling((total - done) / rate)) : (TimeSpan?)null;
        var percent = total == 0 ? 100 : done * 100 / total;
        return string.Create(CultureInfo.InvariantCulture,
            $"Applying: {done}/{total} ({percent}%), {rate:0.0}/s, ETA {(eta is { } e ? $"{(int)e.TotalMinutes}:{e.Seconds:00}" : "-")}, {failed} failed");
    }

    private void Write(string text)
    {
        writer.Write(text);
        writer.Flush();
    }
}

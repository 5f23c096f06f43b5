using System.Runtime.InteropServices;

namespace Reconciler.Cli.Plumbing;

/// <summary>
/// Standard output or standard error written with write(2), as C and Go programs write them. .NET's console streams set
/// up an attached terminal on their first write: they send it the keypad-transmit sequence (<c>ESC[?1h ESC=</c>), send it
/// again each time a child process (git) ends, and leave the terminal in that mode when the command exits (the runtime's
/// long-standing dotnet/corefx#32805). Under <c>docker run -t</c>, <c>kubectl exec -t</c>, <c>ssh -t</c> or
/// <c>script</c> the terminal is what gets captured: a JSON plan began with those bytes and a log had them mid-line.
/// write(2) on the inherited descriptor also keeps the offset it shares with the other stream (<c>&gt; log 2&gt;&amp;1</c>),
/// which a <see cref="FileStream"/>, writing at positions of its own, would not. Standard input at apply's question is
/// read with read(2) the same way. Linux only; elsewhere the console's streams stay.
/// </summary>
internal sealed partial class StandardStream : Stream
{
    // Linux's errno values and poll(2)'s POLLIN and POLLOUT.
    private const int Interrupted = 4;
    private const int WouldBlock = 11;
    private const int BrokenPipe = 32;
    private const short Readable = 1;
    private const short Writable = 4;

    // TIOCGWINSZ, ioctl(2)'s request for a terminal's size.
    private const nuint GetWindowSize = 0x5413;

    // Standard output and standard error are written one at a time, as .NET's console streams write them: a line of
    // the embedded platform's log on stderr never lands inside a block of stdout in a shared pipe (2>&1 | …).
    private static readonly Lock Gate = new();

    private readonly int _descriptor;

    private StandardStream(int descriptor) => _descriptor = descriptor;

    public static Stream Output() => OperatingSystem.IsLinux() ? new StandardStream(1) : Console.OpenStandardOutput();

    public static Stream Error() => OperatingSystem.IsLinux() ? new StandardStream(2) : Console.OpenStandardError();

    /// <summary>An inherited descriptor other than standard input (<c>/dev/fd/3</c>), written as the shell's <c>&gt;&amp;3</c> writes it; Linux only.</summary>
    public static Stream Inherited(int descriptor) => descriptor > 0 ? new StandardStream(descriptor) : throw new ArgumentOutOfRangeException(nameof(descriptor));

    /// <summary>
    /// Standard input, read only when it is a terminal (a confirmation): lines as the terminal's own line discipline
    /// gives them, edited and echoed by it, as Terraform reads its answer, without the console's set-up.
    /// </summary>
    public static TextReader TerminalLines() =>
        OperatingSystem.IsLinux() ? new StreamReader(new StandardStream(0)) : Console.In;

    /// <summary>
    /// The columns of the terminal on standard output, asked of the terminal itself (the console's WindowWidth sets it up
    /// first): unbounded when it does not know its size (a terminal made by script or docker run -t); null when standard
    /// output is not a terminal.
    /// </summary>
    public static int? TerminalWidth() =>
        !OperatingSystem.IsLinux() || Native.Control(1, GetWindowSize, out var size) != 0 ? null : size.Columns > 0 ? size.Columns : int.MaxValue;

    public override bool CanRead => _descriptor == 0;

    public override bool CanSeek => false;

    public override bool CanWrite => _descriptor != 0;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (Gate)
            WriteAll(buffer);
    }

    private void WriteAll(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var written = Native.Write(_descriptor, buffer, (nuint)buffer.Length);
            if (written >= 0)
            {
                buffer = buffer[(int)written..];
                continue;
            }

            // The reader has gone (`| head`): the rest is dropped, as .NET's console drops it, and the exit code stays the command's.
            var error = Marshal.GetLastPInvokeError();
            if (error == BrokenPipe)
                return;
            ContinueAfter(error, Writable);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            var read = Native.Read(_descriptor, buffer, (nuint)buffer.Length);
            if (read >= 0)
                return (int)read;

            ContinueAfter(Marshal.GetLastPInvokeError(), Readable);
        }
    }

    /// <summary>
    /// Returns when a failed read or write may be made again: at once after a signal interrupted it; when the descriptor
    /// is <paramref name="ready"/>, for one shared with a process that made it non-blocking (a shell, a pager, node).
    /// Any other error is thrown.
    /// </summary>
    private void ContinueAfter(int error, short ready)
    {
        if (error == WouldBlock)
        {
            var wait = new PollDescriptor { Descriptor = _descriptor, Events = ready };
            if (Native.Poll(ref wait, 1, -1) >= 0)
                return;
            error = Marshal.GetLastPInvokeError();
        }

        if (error != Interrupted)
            throw new IOException(Marshal.GetPInvokeErrorMessage(error), error);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short Returned;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct WindowSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort Width;
        public ushort Height;
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
        public static partial nint Write(int descriptor, ReadOnlySpan<byte> buffer, nuint count);

        [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
        public static partial nint Read(int descriptor, Span<byte> buffer, nuint count);

        [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
        public static partial int Poll(ref PollDescriptor descriptors, nuint count, int timeout);

        [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        public static partial int Control(int descriptor, nuint request, out WindowSize size);
    }
}

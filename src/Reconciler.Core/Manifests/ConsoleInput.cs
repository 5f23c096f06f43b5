namespace Reconciler.Core.Manifests;

/// <summary>The process's own standard input, refused when the command was started with it closed.</summary>
internal static class ConsoleInput
{
    // O_CLOEXEC as /proc/<pid>/fdinfo shows it (octal 02000000).
    private const int CloseOnExec = 0x80000;

    /// <summary>
    /// Standard input, or an <see cref="IOException"/> when it was closed at start (<c>reconciler apply -f - &lt;&amp;-</c>):
    /// descriptor 0 is then free, or the runtime has opened one of its own files on it (the random source, a pipe), and
    /// reading it would give that file's bytes, or wait for ever.
    /// </summary>
    public static Stream Open() =>
        WasClosed() ? throw new IOException("it was closed when the command started; pipe the manifests in (kustomize build … | reconciler apply -f -) or name files with -f") : Console.OpenStandardInput();

    // Whatever a parent passes as standard input is inherited, so it is never close-on-exec; everything the runtime
    // opens for itself is. Only Linux says which; elsewhere the input is read as it is.
    private static bool WasClosed()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/fdinfo/0"))
            {
                if (line.StartsWith("flags:", StringComparison.Ordinal))
                    return (Convert.ToInt32(line["flags:".Length..].Trim(), 8) & CloseOnExec) != 0;
            }

            return false;
        }
        catch (FileNotFoundException)
        {
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return false;
        }
    }
}

using System.Diagnostics;

namespace Reconciler.Cli.Tests;

/// <summary>Waiting for a test's child process without letting a hung one hang the run.</summary>
internal static class ProcessTimeout
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>Waits for <paramref name="process"/> to exit; after two minutes kills it with its children and fails the test.</summary>
    public static Task WaitForExitAsync(Process process) => WaitForExitAsync(process, Limit);

    /// <summary>Waits for <paramref name="process"/> to exit; after <paramref name="limit"/> kills it with its children and fails the test.</summary>
    public static async Task WaitForExitAsync(Process process, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{process.StartInfo.FileName} did not exit within {limit}");
        }
    }
}

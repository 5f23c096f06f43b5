using Microsoft.Extensions.Hosting;

namespace Reconciler.Platform;

/// <summary>
/// A host lifetime that leaves the process's signals to the process: the host stops when its owner disposes it, or, for
/// a server of its own, on the signals <see cref="PlatformServer"/> takes once the server is ready.
/// </summary>
internal sealed class SignalFreeLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using Microsoft.Extensions.Hosting;

namespace Reconciler.Platform;

/// <summary>A host lifetime that leaves the process's signals to the process: the host stops when its owner disposes it.</summary>
internal sealed class SignalFreeLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using System.CommandLine;
using Reconciler.Cli.Commands;
using Reconciler.Core.Engine;

namespace Reconciler.Cli.Plumbing;

/// <summary>One open session and one observation of the platform, for the commands that read it without planning (export, report, template).</summary>
internal sealed record PlatformObservation(PlatformSession Session, ObservedState Observed) : IAsyncDisposable
{
    /// <summary>Connects and observes once; on failure says why on <paramref name="error"/> and returns null.</summary>
    public static async Task<PlatformObservation?> OpenAsync(EngineOptions options, ParseResult parse, CliEnvironment environment, TextWriter error, CancellationToken cancellationToken)
    {
        if (await options.ReadingConnectionAsync(parse, environment, error) is not { } settings)
            return null;

        var (session, problem) = await PlatformSession.OpenAsync(settings, environment, error, cancellationToken);
        if (session is null)
        {
            await error.WriteLineAsync($"error: {problem}");
            return null;
        }

        var observed = await new ReconcileEngine(session.Client, new CliSecretResolver(_ => null, null)).ObserveAsync(cancellationToken);
        if (observed.IsOk)
            return new PlatformObservation(session, observed.Value!);

        await error.WriteLineAsync($"error: cannot observe the platform: {observed.Message}");
        await session.DisposeAsync();
        return null;
    }

    public ValueTask DisposeAsync() => Session.DisposeAsync();
}

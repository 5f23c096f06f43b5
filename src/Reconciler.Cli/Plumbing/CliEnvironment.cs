using Microsoft.Extensions.Logging;

namespace Reconciler.Cli.Plumbing;

/// <summary>What the commands take from the process: environment variables, the working directory, whether a person is at a terminal, where logs go. Tests supply their own.</summary>
internal sealed record CliEnvironment(Func<string, string?> GetVariable, string WorkingDirectory, bool IsInteractive, Action<ILoggingBuilder> ConfigureLogging)
{
    public static CliEnvironment FromProcess() => new(
        Environment.GetEnvironmentVariable,
        Directory.GetCurrentDirectory(),
        !Console.IsInputRedirected && !Console.IsOutputRedirected,
        logging => logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace))
    {
        CanAsk = !Console.IsInputRedirected && !(Console.IsOutputRedirected && Console.IsErrorRedirected),
    };

    /// <summary>
    /// Whether a question can be put to a person and answered: the answer comes from a terminal on standard input, and
    /// the question reaches one on standard output or, when that is piped (<c>apply | tee apply.log</c>, as Terraform
    /// still asks there), on standard error. Colour and live progress follow <see cref="IsInteractive"/> alone.
    /// </summary>
    public bool CanAsk { get; init; }

    /// <summary>The clock dated changes are evaluated by; tests supply a fake.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public string Resolve(string path) => Path.GetFullPath(path, WorkingDirectory);

    /// <summary>Colour only for a person at a terminal that can show it: never with NO_COLOR (no-color.org) or TERM=dumb.</summary>
    public bool UseColor => IsInteractive && string.IsNullOrEmpty(GetVariable("NO_COLOR")) && GetVariable("TERM") != "dumb";
}

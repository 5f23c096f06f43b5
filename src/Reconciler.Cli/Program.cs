using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text;
using Reconciler.Cli.Commands;
using Reconciler.Cli.Plumbing;

namespace Reconciler.Cli;

/// <summary>Entry point of the <c>reconciler</c> command.</summary>
internal static class Program
{
    private const string DynamicCodeSwitch = "System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported";

    private static int Main(string[] args)
    {
        if (RunsWithoutDynamicCode(args))
            AppContext.SetSwitch(DynamicCodeSwitch, false);
        try
        {
            var parse = Parse(CreateRootFor(args, CliEnvironment.FromProcess), args);

            BufferStandardOutput();

            // apply stops gracefully on Ctrl+C/SIGTERM itself (ApplyInterruption); the others keep the library's handling.
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = Console.Out };
            if (parse.CommandResult.Command.Name == "apply")
                configuration.ProcessTerminationTimeout = null;
            return Invoke(parse, configuration);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Cancelled; a re-run converges (creates in flight are idempotent).");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or HttpRequestException)
        {
            // Users get the problem, not a stack trace; RECONCILER_DEBUG=1 shows the full exception.
            Console.Error.WriteLine(Environment.GetEnvironmentVariable("RECONCILER_DEBUG") == "1" ? e.ToString() : $"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Parses <paramref name="args"/> as GNU getopt, Go's flag package and pflag (kubectl) read them: <c>--opt=</c> is the
    /// option with an empty value. System.CommandLine drops a value left empty after '=' (or ':') and takes the next
    /// argument instead, so <c>--secrets-dir= --prune</c> read secrets from a folder named --prune; an empty value is
    /// passed on as its own argument, and each option decides what empty means (<see cref="OptionValues.RefusingEmptyValues"/>).
    /// Tests run commands in-process through this too.
    /// </summary>
    internal static ParseResult Parse(RootCommand root, IReadOnlyList<string> args)
    {
        var aliases = OptionAliases(root).ToHashSet(StringComparer.Ordinal);
        var spelledOut = new List<string>(args.Count);
        var afterDoubleDash = false;
        foreach (var arg in args)
        {
            if (!afterDoubleDash && arg.Length > 1 && arg.AsSpan().IndexOfAny(':', '=') == arg.Length - 1 && aliases.Contains(arg[..^1]))
                spelledOut.AddRange([arg[..^1], ""]);
            else
                spelledOut.Add(arg);
            afterDoubleDash |= arg == "--";
        }

        return root.Parse(spelledOut);
    }

    private static IEnumerable<string> OptionAliases(Command command) =>
        command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Concat(command.Subcommands.SelectMany(OptionAliases));

    /// <summary>
    /// Runs a parsed command line; one the parser refused is reported by <see cref="UsageErrors"/> (standard error only)
    /// instead of the library's <see cref="ParseErrorAction"/>. Tests run commands in-process through this too.
    /// </summary>
    internal static int Invoke(ParseResult parse, InvocationConfiguration configuration) =>
        parse.Action is ParseErrorAction ? UsageErrors.Report(parse, configuration.Error) : parse.Invoke(configuration);

    /// <inheritdoc cref="Invoke"/>
    internal static Task<int> InvokeAsync(ParseResult parse, InvocationConfiguration configuration, CancellationToken cancellationToken = default) =>
        parse.Action is ParseErrorAction ? Task.FromResult(UsageErrors.Report(parse, configuration.Error)) : parse.InvokeAsync(configuration, cancellationToken);

    /// <summary>
    /// Standard output still flushed after every write, but through a 64 KiB buffer instead of <see cref="Console.Out"/>'s
    /// 256 characters: a 10,000-agent plan's 5 MB of text took 20,000 system calls, and now takes 80; a progress line is
    /// still one write, the moment it is made. It replaces <see cref="Console.Out"/> itself, so that the embedded
    /// platform's console log and the command's output keep sharing one lock and never split each other's lines.
    /// Left as it is when the encoding would need a byte-order mark dropped that is not UTF-8's, or stdout cannot be opened.
    /// </summary>
    private static void BufferStandardOutput()
    {
        var encoding = Console.OutputEncoding;
        if (!encoding.Preamble.IsEmpty)
        {
            if (encoding.CodePage != Encoding.UTF8.CodePage)
                return;
            encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        }

        Stream stdout;
        try
        {
            stdout = Console.OpenStandardOutput();
        }
        catch (IOException)
        {
            return;
        }

        Console.SetOut(TextWriter.Synchronized(new StreamWriter(stdout, encoding, bufferSize: 64 * 1024) { AutoFlush = true }));
    }

    /// <summary>
    /// Whether this run never hosts the embedded platform (whose Dapper emits IL): validate, and any command given
    /// --platform-url. Without dynamic code, System.Text.Json, dependency injection, reflection invoke and YamlDotNet's
    /// compiled regexes interpret instead of emitting ~460 methods that a short process would JIT at full optimisation:
    /// about a fifth of the example's validate CPU, a tenth of its plan. The switch is read once, so it is set before anything runs.
    /// </summary>
    internal static bool RunsWithoutDynamicCode(string[] args) =>
        args is ["validate", ..] || args.Any(a => a == "--platform-url" || a.StartsWith("--platform-url=", StringComparison.Ordinal));

    /// <summary>
    /// The tree a run needs. A validate, plan or apply run parses and runs the same under a root holding only its own
    /// command (a subcommand's tokens never match its siblings), and building the other twelve commands cost about 3 ms
    /// of CPU (a dozen generic option constructors are JIT-compiled); validate needs no process environment either.
    /// </summary>
    internal static RootCommand CreateRootFor(string[] args, Func<CliEnvironment> environment) => args switch
    {
        ["validate", ..] => Root(ValidateCommand.Create()),
        ["plan", ..] => Root(PlanCommand.Create(environment())),
        ["apply", ..] => Root(ApplyCommand.Create(environment())),
        _ => CreateRoot(environment()),
    };

    /// <summary>The command tree; tests build it with their own environment and run it in-process.</summary>
    internal static RootCommand CreateRoot(CliEnvironment environment) => Root(
        ValidateCommand.Create(),
        PlanCommand.Create(environment),
        ApplyCommand.Create(environment),
        ExportCommand.Create(environment),
        CrdsCommand.Create(),
        SchemaCommand.Create(environment),
        CompletionCommand.Create(),
        ImportCommand.Create(environment),
        TemplateCommand.Create(environment),
        ReportCommand.Create(environment),
        ImpactCommand.Create(environment),
        PlatformServeCommand.Create(),
        OperatorCommand.Create());

    private static RootCommand Root(params Command[] commands)
    {
        var root = new RootCommand("Reconciler keeps a support platform's organisation configuration in git and makes the platform match it.")
        {
            GlobalOptions.NoColor,
        };
        foreach (var command in commands)
            root.Subcommands.Add(command);
        return root.RefusingEmptyValues();
    }
}

using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
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
        UseStandardStreams();
        if (RunsWithoutDynamicCode(args))
            AppContext.SetSwitch(DynamicCodeSwitch, false);
        try
        {
            var parse = Parse(CreateRootFor(args, CliEnvironment.FromProcess), args);
            UsageErrors.FitHelpToTerminal(parse);

            // apply stops gracefully on Ctrl+C/SIGTERM itself (ApplyInterruption); the others keep the library's handling.
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = Console.Out };
            if (parse.CommandResult.Command.Name == "apply")
                configuration.ProcessTerminationTimeout = null;
            return Invoke(parse, configuration);
        }
        catch (OperationCanceledException)
        {
            return Failed("Cancelled; a re-run converges (creates in flight are idempotent).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or HttpRequestException)
        {
            // Users get the problem, not a stack trace; RECONCILER_DEBUG=1 shows the full exception.
            return Failed(Environment.GetEnvironmentVariable("RECONCILER_DEBUG") == "1" ? e.ToString() : $"error: {e.Message}");
        }
    }

    /// <summary>Says why on standard error and gives exit code 1, also when standard error itself cannot be written (<c>2&gt;&amp;-</c>, a full disk): the code still tells.</summary>
    private static int Failed(string message)
    {
        try
        {
            Console.Error.WriteLine(message);
        }
        catch (IOException)
        {
        }

        return 1;
    }

    /// <summary>
    /// Parses <paramref name="args"/> as GNU getopt, Go's flag package and pflag (kubectl) read them: <c>--opt=</c> is the
    /// option with an empty value. System.CommandLine drops a value left empty after '=' (or ':') and takes the next
    /// argument instead, so <c>--secrets-dir= --prune</c> read secrets from a folder named --prune; an empty value is
    /// passed on as its own argument, and each option decides what empty means (<see cref="OptionValues.RefusingEmptyValues"/>).
    /// A flag that takes one value and is given twice keeps the last, as pflag and Go's flag do: wrapper scripts override a
    /// default they pass that way (<c>plan $DEFAULTS --max-deletes 50</c>), which the library refused as two values.
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

        var parse = root.Parse(spelledOut);
        var repeated = GivenTwice(parse.CommandResult);
        return repeated.Count == 0 ? parse : root.Parse(LastOnly(spelledOut, repeated));
    }

    private static IEnumerable<string> OptionAliases(Command command) =>
        command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Concat(command.Subcommands.SelectMany(OptionAliases));

    /// <summary>The options of the command run (and those its ancestors pass down) that take one value and were given more.</summary>
    private static List<Option> GivenTwice(CommandResult command)
    {
        var repeated = new List<Option>();
        for (var current = command; current is not null; current = current.Parent as CommandResult)
        {
            foreach (var option in current.Children.OfType<OptionResult>())
            {
                if (option.Option.Arity.MaximumNumberOfValues == 1 && option.Option.ValueType != typeof(bool) && option.Tokens.Count > 1)
                    repeated.Add(option.Option);
            }
        }

        return repeated;
    }

    /// <summary><paramref name="args"/> with each of <paramref name="options"/> only where it was given last, with its value.</summary>
    private static List<string> LastOnly(List<string> args, List<Option> options)
    {
        var aliases = options.SelectMany(o => o.Aliases.Prepend(o.Name).Select(alias => (alias, o))).ToDictionary(a => a.alias, a => a.o, StringComparer.Ordinal);
        var occurrences = new Dictionary<Option, List<(int At, int Length)>>();
        for (var i = 0; i < args.Count && args[i] != "--"; i++)
        {
            var separator = args[i].IndexOfAny(['=', ':']);
            var name = separator > 0 ? args[i][..separator] : args[i];
            if (!aliases.TryGetValue(name, out var option))
                continue;
            var length = separator > 0 || i + 1 == args.Count ? 1 : 2;
            if (!occurrences.TryGetValue(option, out var found))
                occurrences[option] = found = [];
            found.Add((i, length));
            i += length - 1;
        }

        var dropped = new HashSet<int>();
        foreach (var found in occurrences.Values)
        {
            foreach (var (at, length) in found.SkipLast(1))
                dropped.UnionWith(Enumerable.Range(at, length));
        }

        return [.. args.Where((_, i) => !dropped.Contains(i))];
    }

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
    /// Standard output and error written straight to their descriptors (<see cref="StandardStream"/>: the console's own
    /// streams put terminal set-up bytes into output captured from a terminal), each still flushed after every write.
    /// Standard output goes through a 64 KiB buffer instead of <see cref="Console.Out"/>'s 256 characters: a 10,000-agent
    /// plan's 5 MB of text took 20,000 system calls, and now takes 80; a progress line is still one write, the moment it
    /// is made. They replace <see cref="Console.Out"/> and <see cref="Console.Error"/> themselves, and their writes go out one
    /// at a time, so that the embedded platform's console log and the command's output never split each other's lines.
    /// Set first, before anything is written. Left as they are when the encoding would need a byte-order mark dropped that
    /// is not UTF-8's, or (off Linux) the console's streams cannot be opened.
    /// </summary>
    private static void UseStandardStreams()
    {
        var encoding = Console.OutputEncoding;
        if (!encoding.Preamble.IsEmpty)
        {
            if (encoding.CodePage != Encoding.UTF8.CodePage)
                return;
            encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        }

        Stream stdout, stderr;
        try
        {
            (stdout, stderr) = (StandardStream.Output(), StandardStream.Error());
        }
        catch (IOException)
        {
            return;
        }

        Console.SetOut(TextWriter.Synchronized(new StreamWriter(stdout, encoding, bufferSize: 64 * 1024) { AutoFlush = true }));
        Console.SetError(TextWriter.Synchronized(new StreamWriter(stderr, encoding) { AutoFlush = true }));
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

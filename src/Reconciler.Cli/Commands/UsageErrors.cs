using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Reconciler.Cli.Plumbing;
using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;

namespace Reconciler.Cli.Commands;

/// <summary>
/// Reports a command line the parser refused, in place of System.CommandLine's <c>ParseErrorAction</c>, as kubectl does:
/// nothing on standard output (the library wrote its "Did you mean" lists there, so <c>plan -o json &gt; plan.json</c> with a
/// typo left them in the JSON file), the errors on standard error, a suggestion only when a mistyped command or flag is
/// close to a real one (the library offered <c>-h</c> for <c>-f</c> and <c>plan</c> for <c>json</c>), and where to read the
/// usage when the command line's shape is wrong. A command that needs a subcommand and got none shows its usage.
/// </summary>
internal static class UsageErrors
{
    /// <summary>What the commands are run as; the root command's own name is the host's (testhost in tests).</summary>
    private const string Executable = "reconciler";

    /// <summary>Writes the errors of <paramref name="parse"/> to <paramref name="error"/>; the exit code of a usage error.</summary>
    public static int Report(ParseResult parse, TextWriter error)
    {
        var command = parse.CommandResult.Command;
        var path = CommandPath(parse.CommandResult);
        var needsSubcommand = command is { Subcommands.Count: > 0, Action: null };

        if (needsSubcommand && parse.UnmatchedTokens.Count == 0 && parse.Errors.All(e => e.SymbolResult == parse.CommandResult))
        {
            ShowUsage(parse, error);
            return 1;
        }

        // `reconciler valdate -f org`: every token after the unknown command is unmatched too; only the command is the mistake.
        if (needsSubcommand && parse.UnmatchedTokens is [var unknown, ..] && !unknown.StartsWith('-'))
        {
            var candidates = command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name));
            error.WriteLine($"error: unknown command '{TerminalText.Printable(unknown)}' for '{path}'.{DidYouMean(unknown, candidates)}");
            error.WriteLine($"See '{path} --help' for usage.");
            return 1;
        }

        var flags = OptionsOf(parse.CommandResult).SelectMany(o => o.Aliases.Prepend(o.Name)).ToList();
        var mistyped = MistypedTokens(parse).Distinct().ToList();
        var values = ValuesOfUnknownFlags(parse, flags);
        foreach (var parseError in parse.Errors)
        {
            // The library's messages name a token in quotes ("Unrecognized command or argument '--prnue'.").
            var token = mistyped.FirstOrDefault(t => parseError.Message.Contains($"'{t}'", StringComparison.Ordinal));
            if (token is not null && values.Contains(token))
                continue;
            var message = parseError.Message;
            if (token is not null && FlagOf(token) is { } flag)
                (message, token) = (message.Replace(token, flag, StringComparison.Ordinal), flag);
            var hint = token is not null && token.StartsWith('-') ? DidYouMean(token, flags) : "";
            // The messages quote what was typed, and a value may hold an escape sequence or a line break (-o $'json\e[2J').
            error.WriteLine($"error: {TerminalText.Printable(message)}{hint}");
        }

        // A value out of range is one line naming what is valid; a command line of the wrong shape also says where the usage is.
        if (mistyped.Count > 0 || needsSubcommand)
            error.WriteLine($"See '{path} --help' for usage.");
        return 1;
    }

    /// <summary>" Did you mean 'x'?" for the closest candidate, or nothing when none is close (a different word, not a typo).</summary>
    internal static string DidYouMean(string typed, IEnumerable<string> candidates)
    {
        var core = typed.TrimStart('-');
        var closest = candidates
            .Where(c => c != typed)
            .Select(c => (Candidate: c, Distance: Suggestions.Distance(typed.ToLowerInvariant(), c.ToLowerInvariant())))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();

        // One or two edits is a typo when the word is long enough for them to be a small part of it: 'x' for '-o' is not.
        return closest.Candidate is not null && closest.Distance <= 2 && closest.Distance * 3 <= core.Length
            ? $" Did you mean '{closest.Candidate}'?"
            : "";
    }

    /// <summary>
    /// The values typed after unknown flags (<c>--tokne s3cret</c>), which are not named, as kubectl does not name them:
    /// a mistyped --token's value is the token, and the error would print it into the CI log.
    /// </summary>
    private static HashSet<string> ValuesOfUnknownFlags(ParseResult parse, List<string> flags)
    {
        var unmatched = parse.UnmatchedTokens.ToHashSet(StringComparer.Ordinal);
        var values = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < parse.Tokens.Count; i++)
        {
            var (flag, value) = (parse.Tokens[i].Value, parse.Tokens[i + 1].Value);
            // The flag itself may have been taken for an argument (apply's saved plan), so it is judged by name.
            if (flag.StartsWith('-') && !flag.Contains('=', StringComparison.Ordinal) && !flags.Contains(flag) && unmatched.Contains(value) && !value.StartsWith('-'))
                values.Add(value);
        }

        return values;
    }

    /// <summary>The flag of an unknown <c>--flag=value</c>, named without its value for the same reason; null for any other token.</summary>
    private static string? FlagOf(string token) =>
        token.StartsWith("--", StringComparison.Ordinal) && token.IndexOf('=', StringComparison.Ordinal) is var at and > 2 ? token[..at] : null;

    /// <summary>
    /// Tokens the command line did not place: unmatched ones, and flags an option taking several values refused as values
    /// (<see cref="OptionValues.RefusingFlags"/>: <c>-f org --prnue</c>).
    /// </summary>
    private static IEnumerable<string> MistypedTokens(ParseResult parse) =>
        parse.UnmatchedTokens.Concat(parse.CommandResult.Children
            .OfType<OptionResult>()
            .Where(r => r.Option.ValueType == typeof(string[]))
            .SelectMany(r => r.Tokens)
            .Select(t => t.Value)
            .Where(v => v.Length > 1 && v[0] == '-'));

    /// <summary>The options a command takes: its own and those its ancestors pass down (<c>--no-color</c>).</summary>
    private static IEnumerable<Option> OptionsOf(CommandResult result)
    {
        var options = result.Command.Options.Where(o => !o.Hidden);
        for (var parent = result.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
            options = options.Concat(parent.Command.Options.Where(o => o.Recursive && !o.Hidden));
        return options;
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (var current = result; current.Parent is CommandResult parent; current = parent)
            names.Insert(0, current.Command.Name);
        return string.Join(' ', names.Prepend(Executable));
    }

    /// <summary>The command's help, on standard error: what was asked for is not what is shown.</summary>
    private static void ShowUsage(ParseResult parse, TextWriter error)
    {
        var names = new List<string> { "--help" };
        for (var current = parse.CommandResult; current.Parent is CommandResult parent; current = parent)
            names.Insert(0, current.Command.Name);
        var help = parse.RootCommandResult.Command.Parse(names);
        FitHelpToTerminal(help);
        help.Invoke(new InvocationConfiguration { Output = error, Error = error });
    }

    /// <summary>Help wrapped at the terminal's width, asked of the terminal itself: the library's default is the console's width, whose first use sets the terminal up (<see cref="StandardStream"/>).</summary>
    public static void FitHelpToTerminal(ParseResult parse)
    {
        if (parse.Action is HelpAction help && StandardStream.TerminalWidth() is { } width)
            help.MaxWidth = width;
    }
}

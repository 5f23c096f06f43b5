using System.CommandLine;
using System.Globalization;
using System.CommandLine.Parsing;

namespace Reconciler.Cli.Commands;

/// <summary>
/// Checks on option values: options that take one of a few words (a wrong word is one line naming the valid ones, and
/// shells complete them), and options that take several values per flag.
/// </summary>
internal static class OptionValues
{
    /// <summary>
    /// An option that takes several values after one flag (<c>-f a.yaml b.yaml</c>) would otherwise take a mistyped or
    /// misplaced flag after them as one more value: <c>-f org --auto-aprove</c> said "--auto-aprove: no such file or
    /// folder". As kubectl does, a value that starts with a dash is an unknown flag; a file of such a name is written
    /// <c>./-name</c>, and <c>-</c> alone still means standard input.
    /// </summary>
    public static Option<string[]> RefusingFlags(this Option<string[]> option)
    {
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.Length > 1 && token.Value[0] == '-')
                    result.AddError($"Unrecognized command or argument '{token.Value}' (after {option.Name}; a file or folder whose name starts with a dash is written ./{token.Value}).");
            }
        });
        return option;
    }

    /// <summary>
    /// Refuses an empty value (<c>--platform-url=</c>, <c>--secrets-dir ""</c>) for every option of the tree that takes text,
    /// a file or a folder: an empty folder or file name meant the working directory, an empty URL no platform at all, and
    /// no option's help gives empty a meaning. Numeric options say that '' is not a number.
    /// </summary>
    public static TCommand RefusingEmptyValues<TCommand>(this TCommand command) where TCommand : Command
    {
        foreach (var option in command.Options.Where(o => TakesText(o.ValueType) && !o.Validators.Contains(RefuseEmpty)))
        {
            // First, and its error stops the conversion of the value: the parser converts an option's value only when none
            // of its validators reported an error.
            option.Validators.Insert(0, RefuseEmpty);
        }

        foreach (var subcommand in command.Subcommands)
            subcommand.RefusingEmptyValues();
        return command;
    }

    private static readonly Action<OptionResult> RefuseEmpty = result =>
    {
        if (result.Tokens.Any(t => t.Value.Length == 0))
            result.AddError($"{result.Option.Name} is empty");
    };

    private static bool TakesText(Type type) =>
        type == typeof(string) || type == typeof(string[]) || type == typeof(FileInfo) || type == typeof(DirectoryInfo);

    /// <summary>
    /// A numeric option (int, long or double, nullable or not) read without the library's messages, which named the .NET type
    /// ("as expected type 'System.Nullable`1[System.Int32]'"): a value that is not one is "--max-deletes: 'abc' is not a whole
    /// number" ("not a number" for a fraction). <paramref name="outOfRange"/> says why a number is refused, or null; it runs
    /// here because a validator reading the value of one that failed to convert throws instead of reporting.
    /// </summary>
    public static Option<T> Number<T>(this Option<T> option, Func<T, string?>? outOfRange = null)
    {
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        var whole = type == typeof(int) || type == typeof(long);
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
                return default;
            var text = result.Tokens[^1].Value;
            if (ParseNumber(text, type) is not T value)
            {
                result.AddError($"{option.Name}: '{text}' is not {(whole ? "a whole number" : "a number")}");
                return default;
            }

            if (outOfRange?.Invoke(value) is { } problem)
                result.AddError(problem);
            return value;
        };
        return option;
    }

    private static object? ParseNumber(string text, Type type) => type switch
    {
        _ when type == typeof(int) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : null,
        _ when type == typeof(long) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : null,
        _ when type == typeof(double) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null,
        _ => throw new NotSupportedException($"{type} is not a number type OptionValues.Number reads"),
    };

    /// <summary>An option that takes one of <paramref name="values"/> (<c>Option&lt;string&gt;</c> or <c>Option&lt;string?&gt;</c>).</summary>
    public static Option<TText> OneOf<TText>(this Option<TText> option, params string[] values) where TText : class?
    {
        option.CompletionSources.Add(values);
        option.HelpName = string.Join('|', values);
        option.Validators.Add(result =>
        {
            if (NotOneOf(option.Name, result.GetValueOrDefault<string?>(), values) is { } problem)
                result.AddError(problem);
        });
        return option;
    }

    /// <summary>
    /// An argument that takes one of <paramref name="values"/>, said in the same one line as an option's: the library's
    /// AcceptOnlyFromAmong wrote "Argument 'foo' not recognized. Must be one of:" and a line per value.
    /// </summary>
    public static Argument<string> OneOf(this Argument<string> argument, params string[] values)
    {
        argument.CompletionSources.Add(values);
        argument.Validators.Add(result =>
        {
            if (NotOneOf(argument.Name, result.GetValueOrDefault<string?>(), values) is { } problem)
                result.AddError(problem);
        });
        return argument;
    }

    // An empty value is said by RefuseEmpty (options) as "is empty"; an argument's is one more value that is not valid.
    private static string? NotOneOf(string name, string? value, string[] values) =>
        value is null || values.Contains(value, StringComparer.Ordinal) || value.Length == 0 && name.StartsWith('-')
            ? null
            : $"{name}: '{value}' is not valid; use one of: {string.Join(", ", values)}";

    /// <summary>
    /// A folder option that refuses <c>-</c>: elsewhere it means standard input (<c>-f -</c>), and <c>export --output-dir -</c>
    /// quietly wrote a folder named "-". A folder of that name is written <c>./-</c>.
    /// </summary>
    public static Option<string> RefusingStandardStream(this Option<string> option)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Any(t => t.Value == "-"))
                result.AddError($"{option.Name}: '-' is not a folder (it means standard input or output elsewhere); a folder named - is written ./-");
        });
        return option;
    }
}

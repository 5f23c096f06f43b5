using System.CommandLine;

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

    public static Option<string> OneOf(this Option<string> option, params string[] values)
    {
        option.CompletionSources.Add(values);
        option.HelpName = string.Join('|', values);
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!values.Contains(value, StringComparer.Ordinal))
                result.AddError($"{option.Name}: '{value}' is not valid; use one of: {string.Join(", ", values)}");
        });
        return option;
    }
}

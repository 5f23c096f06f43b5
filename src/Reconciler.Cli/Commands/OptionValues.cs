using System.CommandLine;

namespace Reconciler.Cli.Commands;

/// <summary>Options that take one of a few words: a wrong word is one line naming the valid ones, and shells complete them.</summary>
internal static class OptionValues
{
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

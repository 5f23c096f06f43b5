using System.CommandLine;

namespace Reconciler.Cli.Commands;

/// <summary>
/// <c>reconciler completion bash|zsh|fish|pwsh</c>: a script for the shell that asks reconciler itself for completions
/// (System.CommandLine's <c>[suggest:POSITION]</c> directive), so commands, options and option values are always current.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # reconciler completion for bash: source <(reconciler completion bash)
        _reconciler_complete() {
          local line="${COMP_LINE#* }"
          local position=$((COMP_POINT - ${#COMP_LINE} + ${#line}))
          local IFS=$'\n'
          COMPREPLY=( $(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${position}]" "${line}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _reconciler_complete reconciler

        """;

    private const string Zsh = """
        # reconciler completion for zsh: source <(reconciler completion zsh)
        _reconciler_complete() {
          local line="${BUFFER#* }"
          local position=$((CURSOR - ${#BUFFER} + ${#line}))
          local -a candidates
          candidates=("${(@f)$(${words[1]} "[suggest:${position}]" "${line}" 2>/dev/null)}")
          compadd -a candidates
        }
        compdef _reconciler_complete reconciler

        """;

    private const string Fish = """
        # reconciler completion for fish: reconciler completion fish | source
        function __reconciler_complete
            set -l line (commandline -cp | string replace -r '^\S+\s*' '')
            reconciler "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null
        end
        complete -c reconciler -f -a '(__reconciler_complete)'

        """;

    private const string Pwsh = """
        # reconciler completion for PowerShell: reconciler completion pwsh | Out-String | Invoke-Expression
        Register-ArgumentCompleter -Native -CommandName reconciler -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            $line = $commandAst.ToString()
            $skip = $commandAst.CommandElements[0].Extent.Text.Length + 1
            $rest = if ($line.Length -gt $skip) { $line.Substring($skip) } else { '' }
            $position = [Math]::Max(0, $cursorPosition - $commandAst.Extent.StartOffset - $skip)
            reconciler "[suggest:$position]" "$rest" 2>$null | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }

        """;

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh, fish or pwsh." };
        shell.OneOf("bash", "zsh", "fish", "pwsh");
        var command = new Command("completion", """
            Print a shell completion script for commands, options and their values.

            Examples:
              source <(reconciler completion bash)          # add to ~/.bashrc
              source <(reconciler completion zsh)           # add to ~/.zshrc (after compinit)
              reconciler completion fish | source           # or save to ~/.config/fish/completions/reconciler.fish
              reconciler completion pwsh | Out-String | Invoke-Expression
            """) { shell };
        command.SetAction(parse =>
        {
            parse.InvocationConfiguration.Output.Write(parse.GetValue(shell) switch
            {
                "bash" => Bash,
                "zsh" => Zsh,
                "fish" => Fish,
                _ => Pwsh,
            });
            return 0;
        });
        return command;
    }
}

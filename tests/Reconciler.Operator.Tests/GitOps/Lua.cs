using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Reconciler.Operator.Tests.GitOps;

/// <summary>Runs an Argo CD health-check script with a real Lua interpreter, <c>obj</c> set as Argo CD sets it.</summary>
public static class Lua
{
    /// <summary>Argo CD embeds gopher-lua, a Lua 5.1: 5.1 is preferred, else a later one (the script keeps to what they share).</summary>
    public static string? Interpreter { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .SelectMany(dir => new[] { "lua5.1", "lua5.4", "lua5.3", "lua" }.Select(name => Path.Combine(dir, name)))
        .FirstOrDefault(File.Exists);

    /// <summary>The script's <c>hs.status</c> and <c>hs.message</c> for <paramref name="resource"/>.</summary>
    public static async Task<(string Status, string Message)> HealthAsync(string scriptPath, JsonObject resource)
    {
        var runner = Path.Combine(Path.GetTempPath(), $"argocd-health-{Guid.NewGuid():N}.lua");
        var program = $"obj = {Literal(resource)}\nlocal hs = dofile({Quote(scriptPath)})\nio.write(hs.status, \"\\n\", hs.message or \"\")\n";
        await File.WriteAllTextAsync(runner, program);
        try
        {
            var start = new ProcessStartInfo(Interpreter ?? throw new InvalidOperationException("no Lua interpreter"), [runner])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"lua exited with {process.ExitCode}: {await error}");
            var lines = (await output).Split('\n', 2);
            return (lines[0], lines.Length > 1 ? lines[1] : "");
        }
        finally
        {
            File.Delete(runner);
        }
    }

    /// <summary>JSON as the Lua table Argo CD hands the script: objects and arrays become tables, null is nil.</summary>
    private static string Literal(JsonNode? node) => node switch
    {
        null => "nil",
        JsonObject o => "{" + string.Join(", ", o.Select(p => $"[{Quote(p.Key)}] = {Literal(p.Value)}")) + "}",
        JsonArray a => "{" + string.Join(", ", a.Select(Literal)) + "}",
        JsonValue v when v.TryGetValue<string>(out var s) => Quote(s),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => node.ToJsonString(),
    };

    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
            quoted.Append(c is '"' or '\\' ? "\\" + c : c == '\n' ? "\\n" : c.ToString());
        return quoted.Append('"').ToString();
    }
}

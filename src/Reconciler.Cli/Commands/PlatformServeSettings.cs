using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.Core.Manifests;
using Reconciler.Platform;
using Reconciler.Platform.Client;
using Reconciler.Platform.Contract;

namespace Reconciler.Cli.Commands;

/// <summary>
/// The knobs of <c>platform serve</c> that a config file (<c>--config</c>, JSON) or the command line sets: scoped
/// tokens, the per-token rate limit and the idempotency record lifetime. The command line wins over the file.
/// Settable, not init-only, for the generated reader: it keeps the initial value of a settable property the file leaves
/// out (an init-only one would read as null) and names the property's type when a value has the wrong one.
/// </summary>
internal sealed partial record PlatformServeSettings
{
    [JsonPropertyName("tokens")]
    public IReadOnlyList<TokenSetting> Tokens { get; set; } = [];

    [JsonPropertyName("rateLimit")]
    public RateLimitSetting? RateLimit { get; set; }

    [JsonPropertyName("idempotencyKeyLifetime")]
    public string? IdempotencyKeyLifetime { get; set; }

    /// <summary>A token: its principal (the audit actor), scopes, and where its value is (never in the file itself).</summary>
    internal sealed record TokenSetting
    {
        [JsonPropertyName("name")]
        public string? Name { get; set; }

        [JsonPropertyName("scopes")]
        public IReadOnlyList<string> Scopes { get; set; } = [AdminApi.ReadScope, AdminApi.WriteScope];

        [JsonPropertyName("tokenFile")]
        public string? TokenFile { get; set; }

        [JsonPropertyName("tokenEnvironmentVariable")]
        public string? TokenEnvironmentVariable { get; set; }
    }

    /// <summary>Per-token token bucket; <c>permitsPerSecond: 0</c> turns the limit off.</summary>
    internal sealed record RateLimitSetting
    {
        [JsonPropertyName("permitsPerSecond")]
        public int PermitsPerSecond { get; set; }

        [JsonPropertyName("burst")]
        public int? Burst { get; set; }
    }

    /// <summary>The most a config file is read for: it holds a few settings, and a device (<c>/dev/zero</c>) has no end.</summary>
    private const long MaxConfigBytes = 1024 * 1024;

    /// <summary>Reads a config file; a problem comes back as one line naming the file (and line for bad JSON).</summary>
    public static (PlatformServeSettings? Settings, string? Error) Load(string path)
    {
        byte[]? bytes;
        try
        {
            bytes = BoundedFile.ReadAllBytes(path, MaxConfigBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read the config file {path}: {e.Message}");
        }

        if (bytes is null)
            return (null, $"{path} holds more than {MaxConfigBytes / (1024 * 1024)} MiB, more than any config file; is it the right file?");
        // An editor's UTF-8 byte order mark is skipped, as File.ReadAllText skips it; the parser takes none.
        var json = bytes.AsSpan(bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0);
        PlatformServeSettings settings;
        try
        {
            settings = JsonSerializer.Deserialize(json, SettingsJson.Default.PlatformServeSettings) ?? new();
        }
        catch (JsonException e)
        {
            var (line, column) = JsonErrorPosition.Of(json, e);
            var where = e.LineNumber is null ? "" : $":{line}:{column}";
            return (null, $"{path}{where}: {e.Message.Split(" Path:")[0]}");
        }

        if (Unusable(settings) is { } member)
            return (null, $"{path}: {member}");

        // Token files are named relative to the config file, as kubeconfig names its certificate files.
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return (settings with
        {
            Tokens = [.. settings.Tokens.Select(t => t.TokenFile is null ? t : t with { TokenFile = Path.GetFullPath(t.TokenFile, folder) })],
        }, null);
    }

    /// <summary>
    /// The first member the file sets to what cannot be used, and what was expected there: a null where a value is needed
    /// (the reader keeps a written null; only a member left out gets its default) or a token file no path can name; either
    /// would otherwise stop the command with a stack trace.
    /// </summary>
    private static string? Unusable(PlatformServeSettings settings)
    {
        if (settings.Tokens is null)
            return "tokens is null; expected a list of tokens (or leave it out)";
        for (var i = 0; i < settings.Tokens.Count; i++)
        {
            if (settings.Tokens[i] is not { } token)
                return $"tokens[{i}] is null; expected a token {{\"name\": …, \"tokenFile\": …}}";
            if (token.Scopes is null)
                return $"tokens[{i}].scopes is null; expected a list of scopes ({AdminApi.ReadScope}, {AdminApi.WriteScope}) (or leave it out for both)";
            for (var j = 0; j < token.Scopes.Count; j++)
            {
                if (token.Scopes[j] is null)
                    return $"tokens[{i}].scopes[{j}] is null; expected {AdminApi.ReadScope} or {AdminApi.WriteScope}";
            }

            if (token.TokenFile is { } file && FileNameProblem(file) is { } problem)
                return $"tokens[{i}].tokenFile {problem}";
        }

        return null;
    }

    /// <summary>Parses <c>--token name=scim,scopes=admin:read,file=/run/scim-token</c> (scopes joined by '+').</summary>
    public static (TokenSetting? Token, string? Error) ParseToken(string text)
    {
        string? name = null, file = null, variable = null;
        IReadOnlyList<string> scopes = [AdminApi.ReadScope, AdminApi.WriteScope];
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
                return (null, $"--token '{text}': expected name=NAME,scopes=SCOPE[+SCOPE],file=FILE (or env=VARIABLE)");
            switch (pair[0])
            {
                case "name": name = pair[1]; break;
                case "scopes": scopes = pair[1].Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries); break;
                case "file" when FileNameProblem(pair[1]) is { } problem: return (null, $"--token '{text}': file= {problem}");
                case "file": file = Path.GetFullPath(pair[1]); break;
                case "env": variable = pair[1]; break;
                default: return (null, $"--token '{text}': unknown field '{pair[0]}' (name, scopes, file, env)");
            }
        }

        return (new TokenSetting { Name = name, Scopes = scopes, TokenFile = file, TokenEnvironmentVariable = variable }, null);
    }

    /// <summary>What makes a token file's name one no path can be (Path.GetFullPath throws on it), else null.</summary>
    private static string? FileNameProblem(string file) =>
        file.Length == 0 ? "is empty; expected the file holding the token"
        : file.Contains('\0', StringComparison.Ordinal) ? "holds a NUL character, which no file name can"
        : null;

    /// <summary>The platform tokens; the value comes from the file or variable, and a token without either is an error.</summary>
    public static (IReadOnlyList<PlatformToken> Tokens, string? Error) ResolveTokens(IEnumerable<TokenSetting> settings, Func<string, string?> environment)
    {
        var tokens = new List<PlatformToken>();
        foreach (var setting in settings)
        {
            if (string.IsNullOrWhiteSpace(setting.Name))
                return ([], "every token needs a name (the principal the audit trail records)");
            if (setting.TokenFile is { } named && setting.TokenEnvironmentVariable is { } alsoNamed)
                return ([], $"token '{setting.Name}' names both a file ({named}) and an environment variable ({alsoNamed}); give one, so that which token is in use is never a guess");
            string? value;
            string source;
            if (setting.TokenFile is { } file)
            {
                // A folder is read below, which says what it is.
                if (FileKinds.Of(file) is FileKind.None)
                    return ([], $"token '{setting.Name}': file {file} does not exist");
                source = $"the file {file}";
                try
                {
                    value = FileTokenProvider.Read(file);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return ([], $"token '{setting.Name}': cannot read {file}: {e.Message}");
                }
            }
            else if (setting.TokenEnvironmentVariable is { } variable)
            {
                value = environment(variable)?.Trim();
                source = $"the environment variable {variable}";
                if (string.IsNullOrEmpty(value))
                    return ([], $"token '{setting.Name}': environment variable {variable} is not set");
            }
            else
            {
                return ([], $"token '{setting.Name}' needs file=… (or tokenFile) or env=… (or tokenEnvironmentVariable); token values are never taken from the command line");
            }

            tokens.Add(new PlatformToken(setting.Name, value, [.. setting.Scopes]) { Source = source });
        }

        return (tokens, null);
    }

    [JsonSourceGenerationOptions(AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
    [JsonSerializable(typeof(PlatformServeSettings))]
    private sealed partial class SettingsJson : JsonSerializerContext;
}

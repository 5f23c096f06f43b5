namespace Reconciler.Cli.Plumbing;

/// <summary>
/// Reads --platform-url. A user name or password in it is refused and never repeated: not in the refusal, and not in
/// any message said before it, which is why the option's validator refuses it before a command runs.
/// </summary>
internal static class PlatformAddress
{
    /// <summary>The platform's base URL (ending in a slash), or why <paramref name="text"/> cannot be one.</summary>
    public static (Uri? Url, string? Problem) Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && parsed.UserInfo.Length > 0)
            return (null, $"--platform-url carries a user name or password ({parsed.Scheme}://…@{parsed.Authority}): the CLI authenticates with the token alone; remove them from the URL and give the token with {PlatformSession.TokenVariable} or --token-file");
        if (parsed is null || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps))
            return (null, $"--platform-url '{Shown(text)}' is not an absolute http(s) URL");
        return (parsed.AbsoluteUri.EndsWith('/') ? parsed : new Uri(parsed.AbsoluteUri + "/"), null);
    }

    // Text that does not parse may still hold a password before an '@' (a mistyped port, a stray space).
    private static string Shown(string text) =>
        text.LastIndexOf('@') is var at and >= 0
            ? (text.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0 && scheme < at ? text[..(scheme + 3)] : "") + "…" + text[at..]
            : text;
}

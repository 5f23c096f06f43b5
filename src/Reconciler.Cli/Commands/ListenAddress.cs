using System.Net;

namespace Reconciler.Cli.Commands;

/// <summary>
/// What <c>platform serve --urls</c> may name. Kestrel binds a host that is neither an IP address nor <c>localhost</c>
/// (a typo such as 999.1.1.1, or a host name) to every interface, so a mistyped loopback address would expose the admin
/// token's API to the network; such a host is refused, and every interface is had by asking for it (<c>*</c>, <c>+</c>,
/// <c>0.0.0.0</c> or <c>[::]</c>).
/// </summary>
internal static class ListenAddress
{
    /// <summary>The URLs of every --urls value, each of which may hold several separated by ';'.</summary>
    public static string[] Split(IEnumerable<string> values) =>
        [.. values.SelectMany(u => u.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    public static string? Problem(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
            return $"--urls '{url}' is not a URL to listen on (http://127.0.0.1:8080)";
        var authority = url[(start + 3)..];
        // Kestrel's http://unix:/run/x.sock is a Unix domain socket, reachable through the file system only.
        if (authority.StartsWith("unix:/", StringComparison.OrdinalIgnoreCase))
            return null;
        var slash = authority.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
            authority = authority[..slash];
        var colon = authority.LastIndexOf(':');
        var host = colon > authority.LastIndexOf(']') ? authority[..colon] : authority;
        return host is "*" or "+" || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host.Trim('[', ']'), out _)
            ? null
            : $"--urls '{url}': '{host}' is neither an IP address nor localhost, and the server would listen on every interface; to do that on purpose, use 0.0.0.0, [::] or *";
    }
}

using Cel;

namespace Reconciler.Core.Tests.Schema;

/// <summary>A CEL environment with the Kubernetes string extensions the CRDs' rules use.</summary>
internal static class KubernetesCel
{
    /// <summary>Functions of Kubernetes' CEL libraries that the C# implementation lacks, with the semantics of cel-go's ext.Strings.</summary>
    public static IReadOnlyList<string> ExtensionFunctions { get; } = ["lowerAscii", "replace", "substring"];

    public static CelEnvironment Create()
    {
        var cel = new CelEnvironment([], "");
        cel.RegisterFunction("lowerAscii", [typeof(string)], args => LowerAscii((string)args[0]!));
        cel.RegisterFunction("replace", [typeof(string), typeof(string), typeof(string)], args => ((string)args[0]!).Replace((string)args[1]!, (string)args[2]!, StringComparison.Ordinal));
        cel.RegisterFunction("substring", [typeof(string), typeof(long), typeof(long)], args => Substring((string)args[0]!, (long)args[1]!, (long)args[2]!));
        return cel;
    }

    // Only ASCII letters change case, as in cel-go.
    private static string LowerAscii(string text) => string.Concat(text.Select(c => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c));

    private static string Substring(string text, long start, long end)
    {
        if (start < 0 || end > text.Length || start > end)
            throw new CelArgumentRangeException($"substring({start}, {end}) out of range for a string of length {text.Length}");
        return text[(int)start..(int)end];
    }
}

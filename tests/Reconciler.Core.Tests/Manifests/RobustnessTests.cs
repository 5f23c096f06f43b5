using System.Diagnostics;
using System.Globalization;
using System.Text;
using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>Mutations of a realistic manifest: each must give diagnostics or success, never an exception, and quickly.</summary>
public sealed class RobustnessTests
{
    private static readonly string Realistic = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Manifests", "Resources", "realistic.yaml"));

    // A bound on super-linear blow-ups (milliseconds normally), loose enough for a 2-core CI running every suite at once.
    private static readonly TimeSpan PerVariant = TimeSpan.FromSeconds(10);

    [Fact]
    public void Validate_TheRealisticManifest_IsValidAndHasEveryKind()
    {
        var report = ManifestValidator.ValidateYaml(Realistic);

        report.Diagnostics.Should().BeEmpty(string.Join("\n", report.Diagnostics));
        report.Resources.Select(r => r.Kind).Distinct().Should().HaveCount(Resources.ResourceCatalog.Kinds.Count);
    }

    public static TheoryData<string> Mutations => new()
    {
        "truncated", "shuffled lines", "byte flips", "deleted lines", "duplicated lines",
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Validate_MutatedVariants_NeverThrowAndFinishQuickly(string mutation)
    {
        var variants = Variants(mutation).ToList();

        variants.Should().NotBeEmpty();
        foreach (var (label, text) in variants)
            ShouldValidateCleanly(label, text);
    }

    public static TheoryData<string, string, string> Hostile => new()
    {
        { "deep flow nesting", new string('[', 10_000) + new string(']', 10_000), DiagnosticCodes.TooDeep },
        { "deep block nesting", string.Concat(Enumerable.Range(0, 300).Select(i => new string(' ', i * 2) + "a:\n")), DiagnosticCodes.TooDeep },
        { "billion laughs", BillionLaughs(), DiagnosticCodes.AliasExpansion },
        { "an unclosed flow mapping", "k: {" + string.Concat(Enumerable.Repeat("a: {", 5000)), DiagnosticCodes.TooDeep },
        { "deep JSON nesting", string.Concat(Enumerable.Repeat("{\"a\": ", 5000)) + "1" + new string('}', 5000), DiagnosticCodes.TooDeep },
        { "a file that starts with { but is YAML's flow style, which kubectl reads as JSON and refuses", "{" + string.Concat(Enumerable.Repeat("a: {", 5000)), DiagnosticCodes.YamlSyntax },
        { "a very long line", "apiVersion: " + new string('x', 1_000_000) + "\nkind: Agent\n", DiagnosticCodes.UnknownApiVersion },
        { "a key longer than YAML's 1024-character limit", new string('k', 100_000) + ": v\nkind: Agent\n", DiagnosticCodes.YamlSyntax },
        { "many documents", string.Concat(Enumerable.Repeat("---\n# empty\n", 20_000)), DiagnosticCodes.TooManyDocuments },
        { "binary garbage", Encoding.Latin1.GetString(Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919) % 256)).ToArray()), DiagnosticCodes.ControlCharacter },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Validate_HostileInput_IsRejectedQuicklyWithAClearCode(string why, string text, string code)
    {
        var report = ShouldValidateCleanly(why, text);

        report.Diagnostics.Select(d => d.Code).Should().Contain(code, why);
    }

    /// <summary>Files of a few megabytes at most, each one mistake repeated on every line or document.</summary>
    public static TheoryData<string, string> RepeatedMistakes => new()
    {
        { "tabs indenting every line", "a:\n" + string.Concat(Enumerable.Repeat("\tx: 1\n", 50_000)) },
        { "content after every ---", string.Concat(Enumerable.Repeat("--- {}\n", 50_000)) },
        { "unknown fields in every document", string.Concat(Enumerable.Range(0, 5_000).Select(i => $"---\napiVersion: support.reconciler.dev/v1alpha1\nkind: Role\nmetadata: {{name: r{i}}}\nspec:\n  displayName: R\n  a: 1\n  b: 2\n")) },
    };

    [Theory]
    [MemberData(nameof(RepeatedMistakes))]
    public void Validate_AMistakeRepeatedThroughAFile_ListsAtMostTheLimitOfProblemsThenSaysSo(string why, string text)
    {
        // A 5 MB file of one repeated mistake was a million diagnostics: 0.4 GB, and 2-4 GB written as JSON or SARIF.
        var report = ShouldValidateCleanly(why, text);

        report.Diagnostics.Should().HaveCountLessThanOrEqualTo(ManifestLimits.Default.MaxDiagnosticsPerFile + 3, why);
        report.Diagnostics[^1].Code.Should().Be(DiagnosticCodes.TooManyProblems, why);
        report.Diagnostics[^1].Message.Should().StartWith("more than 1000 problems in this file; the rest of it is not checked", why);
    }

    [Fact]
    public void Load_WhenAFileExceedsTheSizeLimit_RejectsItWithoutParsing()
    {
        var set = ManifestLoader.LoadYaml(Realistic, "big.yaml", new ManifestLimits { MaxFileBytes = 100 });

        set.Diagnostics.Should().ContainSingle().Which.Code.Should().Be(DiagnosticCodes.FileTooLarge);
    }

    private static ValidationReport ShouldValidateCleanly(string label, string text)
    {
        var clock = Stopwatch.StartNew();
        ValidationReport? report = null;
        var act = () => report = ManifestValidator.ValidateYaml(text, "variant.yaml");

        act.Should().NotThrow(label);
        clock.Elapsed.Should().BeLessThan(PerVariant, label);
        (report!.IsValid || report.Diagnostics.Any(d => d.IsError)).Should().BeTrue(label);
        report.Diagnostics.Should().NotContain(d => d.Line < 0 || d.Column < 0, label);
        return report;
    }

    private static IEnumerable<(string Label, string Text)> Variants(string mutation)
    {
        var random = new Random(20260101);
        var lines = Realistic.Split('\n');
        switch (mutation)
        {
            case "truncated":
                for (var cut = 0; cut < Realistic.Length; cut += 23)
                    yield return ($"truncated at {cut}", Realistic[..cut]);
                break;
            case "shuffled lines":
                for (var i = 0; i < 40; i++)
                    yield return ($"shuffle {i}", string.Join('\n', lines.OrderBy(_ => random.Next())));
                break;
            case "byte flips":
                var bytes = Encoding.UTF8.GetBytes(Realistic);
                for (var i = 0; i < 300; i++)
                {
                    var copy = (byte[])bytes.Clone();
                    for (var flips = 0; flips < 1 + (i % 5); flips++)
                        copy[random.Next(copy.Length)] = (byte)random.Next(256);
                    yield return ($"byte flips {i}", Encoding.UTF8.GetString(copy));
                }

                break;
            case "deleted lines":
                for (var i = 0; i < lines.Length; i += 3)
                    yield return ($"without line {i + 1}", string.Join('\n', lines.Where((_, n) => n != i)));
                break;
            case "duplicated lines":
                for (var i = 0; i < lines.Length; i += 3)
                    yield return ($"line {i + 1} twice", string.Join('\n', lines.Take(i + 1).Concat(lines.Skip(i))));
                break;
        }
    }

    private static string BillionLaughs()
    {
        var text = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 10; i++)
            text.Append(CultureInfo.InvariantCulture, $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        return text.ToString();
    }
}

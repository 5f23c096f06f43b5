using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>Files are split into documents as kubectl splits them: checked against the real kubectl where it is installed.</summary>
public sealed class DocumentSeparatorsTests
{
    private static string Role(string name) =>
        $"apiVersion: support.reconciler.dev/v1alpha1\nkind: Role\nmetadata:\n  name: {name}\nspec:\n  displayName: R\n";

    public static TheoryData<string, string, bool> Files => new()
    {
        // why, file, whether both read it
        { "a comment after the separator", Role("a") + "--- # next\n" + Role("b"), true },
        { "spaces after the separator", Role("a") + "---   \n" + Role("b"), true },
        { "CRLF line ends", (Role("a") + "---\n" + Role("b")).Replace("\n", "\r\n", StringComparison.Ordinal), true },
        { "a byte order mark opening a part (files joined with cat)", Role("a") + "---\n\uFEFF" + Role("b"), true },
        { "a document on the separator's line", Role("a") + "--- {apiVersion: support.reconciler.dev/v1alpha1, kind: Role, metadata: {name: b}, spec: {displayName: R}}\n", false },
        { "a tag on the separator's line", Role("a") + "--- !!map\n" + Role("b"), false },
        { "a longer rule of dashes", Role("a") + "-----\n" + Role("b"), false },
        { "a YAML directive, which kubectl splits from its document", "%YAML 1.2\n---\n" + Role("a") + "---\n" + Role("b"), false },
        { "a document after an end marker without a separator, which kubectl drops", Role("a") + "...\n" + Role("b"), false },
        { "a document after an end marker and a separator", Role("a") + "...\n---\n" + Role("b"), true },
        { "comments and blank lines after an end marker", Role("a") + "...\n# b next\n\n---\n" + Role("b"), true },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void A_file_is_read_as_kubectl_reads_it(string why, string file, bool read)
    {
        var report = ManifestValidator.ValidateYaml(file, "test.yaml");

        report.IsValid.Should().Be(read, "{0}: {1}", why, string.Join("; ", report.Diagnostics));
        if (read)
            report.Resources.Select(r => r.Metadata.Name).Should().Equal(["a", "b"], why);
        if (Kubectl.Path is not null)
            KubectlReads(file).Should().Be(read, "kubectl agrees on {0}", why);
    }

    [Fact]
    public void Content_after_a_separator_is_placed_on_its_line()
    {
        var error = ManifestValidator.ValidateYaml(Role("a") + "--- !!map\n" + Role("b"), "test.yaml").Diagnostics.Single();

        (error.Line, error.Column).Should().Be((7, 5));
        error.Message.Should().Be("kubectl splits documents at every line starting with ---, and cannot read what follows it on that line (!!map); start the document on the next line");
    }

    [Theory]
    [InlineData("---#next", 4, "a comment after --- needs a space before its #")]
    [InlineData("%YAML 1.2", 1, "kubectl cannot read a YAML directive")]
    [InlineData("...\napiVersion: v1", 1, "kubectl reads only the first document between two --- lines")]
    public void What_kubectl_cannot_read_or_would_drop_is_placed_and_said(string lines, int column, string message)
    {
        var error = ManifestValidator.ValidateYaml(Role("a") + lines + "\n" + Role("b"), "test.yaml").Diagnostics.First();

        (error.Line, error.Column, error.Code).Should().Be((lines.Contains('\n', StringComparison.Ordinal) ? 8 : 7, column, DiagnosticCodes.YamlSyntax));
        error.Message.Should().StartWith(message);
    }

    private static bool KubectlReads(string text) => Kubectl.ReadFile(text) is (true, { Count: 2 });
}

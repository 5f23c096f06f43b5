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

        (error.Line, error.Column).Should().Be((7, 4));
        error.Message.Should().Be("kubectl splits documents at every line starting with ---, and cannot read what follows it on that line (!!map); start the document on the next line");
    }

    private static bool KubectlReads(string text) => Kubectl.ReadFile(text) is (true, { Count: 2 });
}

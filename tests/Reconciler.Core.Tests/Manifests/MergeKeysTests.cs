using Reconciler.Core.Manifests;
using Reconciler.Core.Validation;

namespace Reconciler.Core.Tests.Manifests;

/// <summary>
/// Merge keys read as kubectl reads them, or refused where go-yaml's order-dependent merging and the YAML merge rules
/// disagree: checked against the real kubectl where it is installed.
/// </summary>
public sealed class MergeKeysTests
{
    public static TheoryData<string, string, string, string?> Specs => new()
    {
        // why, the spec's lines, the display name by the YAML merge rules, the code refusing it where kubectl reads otherwise
        { "a merge first, then a key that overrides it", "<<: {displayName: Base, description: D}\ndisplayName: Written", "Written", null },
        { "a list of merges: the earlier wins", "<<: [{displayName: Base, description: D}, {displayName: Other}]", "Base", null },
        { "a merge after a key it sets", "displayName: Written\n<<: {displayName: Base, description: D}", "Written", DiagnosticCodes.MergeKey },
        { "a second merge setting a key the first set", "<<: {displayName: Base, description: D}\n<<: {displayName: Other}", "Base", DiagnosticCodes.DuplicateKey },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void A_merge_is_read_as_kubectl_reads_it_or_refused(string why, string spec, string byMergeRules, string? refusedWith)
    {
        var document = "apiVersion: support.reconciler.dev/v1alpha1\nkind: Role\nmetadata:\n  name: r\n"
            + "spec:\n" + string.Concat(spec.Split('\n').Select(line => "  " + line + "\n"));

        var report = ManifestValidator.ValidateYaml(document, "test.yaml");

        if (refusedWith is null)
            report.Resources.OfType<Resources.Role>().Single().Spec.DisplayName.Should().Be(byMergeRules, why);
        else
            report.Diagnostics.Should().ContainSingle(why).Which.Code.Should().Be(refusedWith, why);
        if (Kubectl.Path is not null)
        {
            var sent = Kubectl.Read([document])["r"]["spec"]!["displayName"]!.GetValue<string>();
            (sent == byMergeRules).Should().Be(refusedWith is null, "kubectl sends {0}: {1}", sent, why);
        }
    }
}

using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Manifests;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Tests.Engine;

/// <summary>A kind's manifests are split into files the loader reads, each within its limits, documents in order.</summary>
public sealed partial class ManifestWriterTests
{
    public static TheoryData<int, double, int, string[]> Splits => new()
    {
        // Few large documents over the byte limit (given in documents' sizes): two fit, a third does not.
        { 5, 2.5, 10_000, ["agents.yaml", "agents.2.yaml", "agents.3.yaml"] },
        // The document limit, the bytes plentiful.
        { 7, 1_000, 3, ["agents.yaml", "agents.2.yaml", "agents.3.yaml"] },
        // Exactly full: no empty continuation.
        { 3, 1_000, 3, ["agents.yaml"] },
        // A document larger than any file still gets a file of its own, for the loader to name.
        { 2, 0.5, 10_000, ["agents.yaml", "agents.2.yaml"] },
    };

    [Theory]
    [MemberData(nameof(Splits))]
    public void A_kind_is_split_into_continuation_files_each_within_the_loader_limits_in_order(int agents, double fileInDocuments, int maxDocuments, string[] expected)
    {
        var maxBytes = (long)(fileInDocuments * Encoding.UTF8.GetByteCount(ManifestWriter.ToYaml([Large(1)])));
        var limits = ManifestLimits.Default with { MaxFileBytes = maxBytes, MaxDocumentsPerFile = maxDocuments };
        var resources = Enumerable.Range(1, agents).Select(Large).ToList();

        var files = ManifestWriter.ToFiles("agents.yaml", resources, limits);

        files.Select(f => f.File).Should().Equal(expected);
        var read = new List<string>();
        foreach (var (file, text) in files)
        {
            var fits = Encoding.UTF8.GetByteCount(text) <= maxBytes;
            var set = ManifestLoader.LoadYaml(text, file, limits with { MaxFileBytes = Math.Max(maxBytes, Encoding.UTF8.GetByteCount(text)) });
            set.Diagnostics.Should().BeEmpty(file);
            set.Resources.Count.Should().BeInRange(1, maxDocuments);
            (fits || set.Resources.Count == 1).Should().BeTrue($"{file} is within {maxBytes} bytes unless it holds one document too large for any file");
            read.AddRange(set.Resources.Select(r => r.Metadata.Name));
        }

        read.Should().Equal(resources.Select(r => r.Metadata.Name), "every document is written once, in the order given");
    }

    [Fact]
    public void Files_of_the_default_limits_join_to_what_one_file_held()
    {
        var resources = Enumerable.Range(1, 4).Select(Large).ToList();

        var files = ManifestWriter.ToFiles("agents.yaml", resources, ManifestLimits.Default);

        files.Should().Equal([("agents.yaml", ManifestWriter.ToYaml(resources))]);
    }

    [Theory]
    [InlineData("agents.yaml", 2, "agents.2.yaml")]
    [InlineData("people/support.yaml", 11, "people/support.11.yaml")]
    public void A_continuation_is_named_after_the_file_it_continues(string file, int part, string expected) =>
        ManifestWriter.ContinuationOf(file, part).Should().Be(expected);

    /// <summary>An agent of some hundred bytes of YAML, each as long as the others.</summary>
    private static Agent Large(int i) => new()
    {
        Metadata = new() { Name = $"agent-{i:D3}" },
        Spec = new AgentSpec
        {
            Email = $"agent-{i:D3}@acme.example",
            DisplayName = $"Agent {i:D3} " + new string('x', 180),
            RoleRef = "agent",
        },
    };
}

using Reconciler.Cli.Tests.Spreadsheets;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Cli.Tests.Integration;

/// <summary>
/// kustomize as kubectl carries it: go-yaml reads the files, as it does for kubectl apply, Argo CD and Flux. The
/// independent reader of the manifests the CLI writes.
/// </summary>
internal static class Kustomize
{
    public static string? Kubectl { get; } = SpreadsheetTools.Which("kubectl");

    /// <summary>The documents <c>kubectl kustomize</c> makes of every YAML file in a folder (which gains a kustomization.yaml).</summary>
    public static async Task<IReadOnlyList<YamlMappingNode>> BuildAsync(string folder)
    {
        var kustomization = Path.Combine(folder, "kustomization.yaml");
        var files = Directory.GetFiles(folder, "*.yaml").Where(f => f != kustomization).Order(StringComparer.Ordinal);
        await File.WriteAllTextAsync(kustomization, "resources:\n" + string.Concat(files.Select(f => $"- {Path.GetFileName(f)}\n")));
        var (exit, output, error) = await SpreadsheetTools.RunAsync(Kubectl!, ["kustomize", folder], TimeSpan.FromMinutes(1));
        exit.Should().Be(0, error);
        var stream = new YamlStream();
        stream.Load(new StringReader(output));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    public static string? Text(YamlNode node, params string[] path)
    {
        foreach (var name in path)
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(name)];
        return ((YamlScalarNode)node).Value;
    }
}

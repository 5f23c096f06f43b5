using YamlDotNet.RepresentationModel;

namespace Reconciler.Core.Tests.Schema;

/// <summary>Reads generated CRDs as kubectl would: from their YAML text, not the generator's internal tree.</summary>
internal static class CrdYaml
{
    public static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    public static YamlMappingNode Version(YamlMappingNode crd) =>
        (YamlMappingNode)((YamlSequenceNode)crd.Map("spec").Children[new YamlScalarNode("versions")]).Children.Single();

    public static YamlMappingNode Root(YamlMappingNode crd) => Version(crd).Map("schema").Map("openAPIV3Schema");
}

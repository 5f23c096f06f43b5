using System.ComponentModel;
using System.Reflection;
using Reconciler.Core.Resources;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Reconciler.Core.Schema;

/// <summary>Generates the apiextensions.k8s.io/v1 CustomResourceDefinitions of the model from the resource types.</summary>
public static class CrdGenerator
{
    public const string Category = "reconciler";

    /// <summary>One CRD per kind of <see cref="ResourceCatalog"/>, as file name (<c>support.reconciler.dev_agents.yaml</c>) and YAML.</summary>
    public static IReadOnlyList<(string FileName, string Yaml)> GenerateAll() =>
        [.. ResourceCatalog.Kinds.Select(k => (FileName(k), Generate(k)))];

    public static string FileName(ResourceKindInfo kind) => $"{Resource.Group}_{kind.Plural}.yaml";

    /// <summary>The CRD of one kind as YAML; the same types always give the same bytes.</summary>
    public static string Generate(ResourceKindInfo kind) => ToYaml(Build(kind));

    private static SchemaNode Build(ResourceKindInfo kind)
    {
        var names = new SchemaNode
        {
            ["kind"] = kind.Kind,
            ["listKind"] = kind.Kind + "List",
            ["plural"] = kind.Plural,
            ["singular"] = kind.Singular,
            ["shortNames"] = kind.ShortNames.Count > 0 ? kind.ShortNames.ToList() : null,
            ["categories"] = new List<string> { Category },
        };

        var version = new SchemaNode
        {
            ["name"] = Resource.Version,
            ["served"] = true,
            ["storage"] = true,
            ["subresources"] = new SchemaNode { ["status"] = new SchemaNode() },
            ["additionalPrinterColumns"] = PrinterColumns(kind),
            ["schema"] = new SchemaNode { ["openAPIV3Schema"] = RootSchema(kind) },
        };

        return new SchemaNode
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new SchemaNode
            {
                ["name"] = $"{kind.Plural}.{Resource.Group}",
                ["labels"] = new SchemaNode { ["app.kubernetes.io/part-of"] = "reconciler" },
            },
            ["spec"] = new SchemaNode
            {
                ["group"] = Resource.Group,
                ["names"] = names,
                ["scope"] = kind.Namespaced ? "Namespaced" : "Cluster",
                ["versions"] = new List<SchemaNode> { version },
            },
        };
    }

    internal static SchemaNode RootSchema(ResourceKindInfo kind)
    {
        var description = kind.ResourceType.GetCustomAttribute<DescriptionAttribute>()?.Description ?? kind.Kind + ".";
        var spec = StructuralSchemaBuilder.Build(kind.SpecType, $"Desired state of the {kind.Kind}.", withDefaults: true);
        var status = StructuralSchemaBuilder.Build(kind.StatusType, $"Observed state of the {kind.Kind}, written by the reconciler.", withDefaults: false);

        // The descriptions of apiVersion, kind and metadata are those of every built-in Kubernetes type.
        var root = new SchemaNode
        {
            ["description"] = description,
            ["type"] = "object",
            ["required"] = new List<string> { "spec" },
            ["properties"] = new SchemaNode
            {
                ["apiVersion"] = new SchemaNode
                {
                    ["description"] = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.",
                    ["type"] = "string",
                },
                ["kind"] = new SchemaNode
                {
                    ["description"] = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. In CamelCase.",
                    ["type"] = "string",
                },
                ["metadata"] = new SchemaNode { ["type"] = "object" },
                ["spec"] = spec,
                ["status"] = status,
            },
        };

        // Rules of the resource type sit at the root, the only place where metadata.name is visible to CEL.
        StructuralSchemaBuilder.AddRules(root, kind.ResourceType);
        return root;
    }

    private static List<SchemaNode> PrinterColumns(ResourceKindInfo kind)
    {
        var columns = new List<SchemaNode>
        {
            Column("READY", "string", ConditionPath("Ready"), "Whether the platform object exists and matches the spec.", 0),
            Column("SYNCED", "string", ConditionPath("Synced"), "Whether the last reconcile succeeded.", 0),
        };
        columns.AddRange(kind.PrinterColumns.Select(c => Column(c.Name, c.Type, c.JsonPath, c.Description, c.Priority)));
        columns.Add(Column("AGE", "date", ".metadata.creationTimestamp", null, 0));
        return columns;
    }

    private static string ConditionPath(string type) => $".status.conditions[?(@.type==\"{type}\")].status";

    private static SchemaNode Column(string name, string type, string jsonPath, string? description, int priority) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["jsonPath"] = jsonPath,
        ["description"] = description,
        ["priority"] = priority > 0 ? priority : null,
    };

    private static string ToYaml(SchemaNode document)
    {
        var serializer = new SerializerBuilder()
            .WithIndentedSequences()
            .WithQuotingNecessaryStrings()
            .Build();
        using var writer = new StringWriter { NewLine = "\n" };

        // A very wide line keeps descriptions on one line, so diffs of crds/ stay readable.
        var emitter = new Emitter(writer, new EmitterSettings(2, int.MaxValue, false, 1024, false, true, "\n"));
        serializer.Serialize(emitter, document.ToDictionary());
        return writer.ToString();
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.Kubernetes.Models;

namespace Reconciler.Kubernetes;

/// <summary>The JSON conventions of the Kubernetes API: camelCase, omitted nulls, RFC 3339 times, enums as names.</summary>
public static class KubernetesJson
{
    /// <summary>Read-only options for serializing Kubernetes objects and the records inside their spec and status.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new KubernetesTimeConverter(), new JsonStringEnumConverter() },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

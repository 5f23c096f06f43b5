using System.Text.Json.Nodes;

namespace Reconciler.Operator.Tests.GitOps;

/// <summary>kstatus's verdict on a resource, as Flux's health checks and <c>kubectl wait</c> read it.</summary>
public enum KStatusVerdict
{
    InProgress,
    Failed,
    Current,
    Terminating,
}

/// <summary>
/// The generic rules of sigs.k8s.io/cli-utils pkg/kstatus/status, re-implemented from their documentation and source
/// (Compute in status.go, checkGenericProperties and checkGeneration in generic.go) for a custom resource, which has no
/// type-specific rule: deletionTimestamp wins; an observedGeneration that is present and differs means InProgress (a
/// missing one decides nothing); then the first condition in list order that is Reconciling=True (InProgress) or
/// Stalled=True (Failed); then Ready (True is Current, False or Unknown InProgress); with none of these, Current.
/// </summary>
public static class KStatus
{
    public static KStatusVerdict Compute(JsonObject resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var metadata = resource["metadata"] as JsonObject;
        if (metadata?["deletionTimestamp"] is JsonValue deletion && deletion.GetValue<string>().Length > 0)
            return KStatusVerdict.Terminating;

        var status = resource["status"] as JsonObject;
        if (Integer(metadata?["generation"]) is { } generation && Integer(status?["observedGeneration"]) is { } observed && observed != generation)
        {
            return KStatusVerdict.InProgress;
        }

        var conditions = (status?["conditions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        foreach (var condition in conditions)
        {
            var type = condition["type"]?.GetValue<string>();
            var value = condition["status"]?.GetValue<string>();
            if (type == "Reconciling" && value == "True")
                return KStatusVerdict.InProgress;
            if (type == "Stalled" && value == "True")
                return KStatusVerdict.Failed;
        }

        var ready = conditions.FirstOrDefault(c => c["type"]?.GetValue<string>() == "Ready");
        return ready?["status"]?.GetValue<string>() switch
        {
            "True" => KStatusVerdict.Current,
            "False" or "Unknown" => KStatusVerdict.InProgress,
            _ => KStatusVerdict.Current,
        };
    }

    /// <summary>An integer field however the JSON node holds it (int or long).</summary>
    public static long? Integer(JsonNode? node) =>
        node is null ? null : long.Parse(node.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Core.Resources;
using Reconciler.Core.Status;
using Reconciler.Kubernetes;

namespace Reconciler.Operator.Controllers;

/// <summary>Reads and writes <c>status</c> through the status subresource, and only when it differs from what is there.</summary>
public sealed class StatusWriter(IKubernetesClient client, TimeProvider time)
{
    public TimeProvider Time => time;

    public RecentWrites Recent { get; } = new();

    /// <summary>The status as <paramref name="statusType"/> (a kind's own status record, e.g. AgentStatus); the shared fields by default.</summary>
    public static ResourceStatus Read(CustomResource resource, Type? statusType = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        statusType ??= typeof(ResourceStatus);
        return (ResourceStatus?)resource.Status?.Deserialize(statusType, KubernetesJson.Options) ?? (ResourceStatus)Activator.CreateInstance(statusType)!;
    }

    public ResourceStatus SetCondition(ResourceStatus status, string type, bool value, string reason, string message, long? generation)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status with { Conditions = Conditions.Set(status.Conditions, type, value, reason, message, generation, time) };
    }

    /// <summary>Reconciling, Stalled or neither (<see cref="Conditions.SetProgress"/>).</summary>
    public ResourceStatus SetProgress(ResourceStatus status, ReconcileProgress progress, string reason, string message, long? generation)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status with { Conditions = Conditions.SetProgress(status.Conditions, progress, reason, message, generation, time) };
    }

    /// <summary>Patches status when it changed; fields the new status no longer has, at any depth, are removed (merge-patch nulls).</summary>
    public async Task<bool> WriteAsync(ResourceType type, CustomResource resource, ResourceStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var wanted = JsonSerializer.SerializeToNode(status, status.GetType(), KubernetesJson.Options)!.AsObject();
        var current = resource.Status ?? new JsonObject();
        if (JsonNode.DeepEquals(Normalize(current, status.GetType()), Normalize(wanted, status.GetType())))
            return false;

        var patch = (JsonObject)wanted.DeepClone();
        RemoveGone(patch, current);
        var written = await client.PatchStatusAsync<CustomResource>(type, resource.Metadata.Namespace, resource.Metadata.Name!, new JsonObject { ["status"] = patch }, cancellationToken);
        Recent.Wrote(resource, written);
        return true;
    }

    /// <summary>
    /// Nulls in <paramref name="patch"/> for what <paramref name="current"/> has and it lacks. A merge patch merges objects
    /// into the stored ones (RFC 7386), so a field gone from a nested object (the error message of a channel's connection
    /// once it reconnects) is removed only by a null at its own depth.
    /// </summary>
    private static void RemoveGone(JsonObject patch, JsonObject current)
    {
        foreach (var (name, before) in current)
        {
            if (!patch.ContainsKey(name))
                patch[name] = null;
            else if (before is JsonObject nestedBefore && patch[name] is JsonObject nestedPatch)
                RemoveGone(nestedPatch, nestedBefore);
        }
    }

    /// <summary>Round-trips through the typed status so that time formats and omitted defaults compare equal.</summary>
    private static JsonNode? Normalize(JsonObject status, Type statusType) =>
        JsonSerializer.SerializeToNode(status.Deserialize(statusType, KubernetesJson.Options), statusType, KubernetesJson.Options);
}

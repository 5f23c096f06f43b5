using System.Text.Json.Nodes;
using Reconciler.Operator.Tests.EndToEnd;

namespace Reconciler.Operator.Tests.GitOps;

/// <summary>docs/argocd-health.lua, run by a real Lua interpreter on the status shapes the operator writes.</summary>
public sealed class ArgoCdHealthTests
{
    private static readonly string Script = Path.Combine(OperatorFixture.RepositoryRoot(), "docs", "argocd-health.lua");

    private static JsonObject Condition(string type, string status, string reason, string message = "") =>
        new() { ["type"] = type, ["status"] = status, ["reason"] = reason, ["message"] = message, ["lastTransitionTime"] = "2026-11-22T10:00:00Z" };

    private static JsonObject Resource(long generation, long? observed, params JsonObject[] conditions)
    {
        var resource = new JsonObject
        {
            ["apiVersion"] = "support.reconciler.dev/v1alpha1",
            ["kind"] = "Agent",
            ["metadata"] = new JsonObject { ["name"] = "maria-santos", ["namespace"] = "acme", ["generation"] = generation },
        };
        if (observed is not null)
            resource["status"] = new JsonObject { ["observedGeneration"] = observed, ["conditions"] = new JsonArray([.. conditions]) };
        return resource;
    }

    public static TheoryData<string, JsonObject, string, string> Cases => new()
    {
        {
            "synced", Resource(2, 2, Condition("Drifted", "False", "NoDrift"), Condition("Ready", "True", "ReconcileSuccess", "the platform object exists"), Condition("Synced", "True", "ReconcileSuccess")),
            "Healthy", "the platform object exists"
        },
        {
            "drift reported under driftPolicy Report is still the spec's object, shown in the message", Resource(2, 2, Condition("Drifted", "True", "DriftDetected", "the platform differs in level"), Condition("Ready", "True", "ReconcileSuccess")),
            "Healthy", "drift reported, not corrected (driftPolicy Report): DriftDetected: the platform differs in level"
        },
        {
            "a synced resource retrying a platform outage", Resource(2, 2, Condition("Ready", "True", "ReconcileSuccess"), Condition("Reconciling", "True", "ReconcileError", "503 from the platform"), Condition("Synced", "False", "ReconcileError", "503 from the platform")),
            "Progressing", "ReconcileError: 503 from the platform"
        },
        {
            "waiting for a PlatformConnection", Resource(1, 1, Condition("Ready", "False", "PlatformUnavailable", "no ready PlatformConnection"), Condition("Reconciling", "True", "PlatformUnavailable", "no ready PlatformConnection"), Condition("Synced", "False", "PlatformUnavailable", "no ready PlatformConnection")),
            "Progressing", "PlatformUnavailable: no ready PlatformConnection"
        },
        {
            "an invalid spec", Resource(1, 1, Condition("Ready", "False", "ValidationFailed", "spec.timezone: unknown"), Condition("Stalled", "True", "ValidationFailed", "spec.timezone: unknown"), Condition("Synced", "False", "ValidationFailed", "spec.timezone: unknown")),
            "Degraded", "ValidationFailed: spec.timezone: unknown"
        },
        {
            "a missing reference", Resource(1, 1, Condition("Ready", "False", "ReferenceNotFound", "Role/x not found"), Condition("Reconciling", "True", "ReferenceNotFound", "Role/x not found"), Condition("Synced", "False", "ReferenceNotFound", "Role/x not found")),
            "Progressing", "ReferenceNotFound: Role/x not found"
        },
        {
            "a guard refusal", Resource(3, 3, Condition("Ready", "True", "ReconcileSuccess"), Condition("Stalled", "True", "GuardRefused", "guard admins"), Condition("Synced", "False", "GuardRefused", "guard admins")),
            "Degraded", "GuardRefused: guard admins"
        },
        {
            "paused, as the operator reports it", Resource(1, 1, Condition("Ready", "False", "Paused", "paused"), Condition("Synced", "False", "Paused", "paused")),
            "Suspended", "Paused: paused"
        },
        {
            "a spec the operator has not seen yet", Resource(3, 2, Condition("Ready", "True", "ReconcileSuccess")),
            "Progressing", "waiting for the operator to reconcile generation 3"
        },
        {
            "no status yet: unlike kstatus, not taken for healthy", Resource(1, null),
            "Progressing", "waiting for the operator to reconcile generation 1"
        },
        {
            "being deleted", Deleted(Resource(3, 2, Condition("Ready", "True", "ReconcileSuccess"))),
            "Progressing", "being deleted: the operator releases the platform object"
        },
    };

    private static JsonObject Deleted(JsonObject resource)
    {
        resource["metadata"]!["deletionTimestamp"] = "2026-11-22T10:00:00Z";
        return resource;
    }

    [LuaTheory]
    [MemberData(nameof(Cases))]
    public async Task TheHealthCheck_MapsTheStatusToArgoCdHealth(string why, JsonObject resource, string status, string message)
    {
        var health = await Lua.HealthAsync(Script, resource);

        health.Status.Should().Be(status, why);
        health.Message.Should().Be(message, why);
    }

    [LuaTheory]
    [InlineData("true", "Suspended")]
    [InlineData("True", "Suspended")]
    [InlineData("false", "Healthy")]
    public async Task ThePausedAnnotation_IsSuspendedBeforeTheOperatorHasSeenIt(string annotation, string status)
    {
        var resource = Resource(2, 2, Condition("Ready", "True", "ReconcileSuccess"));
        resource["metadata"]!["annotations"] = new JsonObject { ["support.reconciler.dev/paused"] = annotation };

        (await Lua.HealthAsync(Script, resource)).Status.Should().Be(status);
    }
}

using System.ComponentModel;
using System.Reflection;
using Reconciler.Core.Resources;
using Reconciler.Core.Status;

namespace Reconciler.Core.Schema;

/// <summary>
/// <c>status.conditions</c> of every kind, as upstream metav1.Condition's schema says it: written out here rather than
/// read from <see cref="Condition"/>, because DataAnnotations cannot say an enum of strings, and the minLength that
/// [Required] adds is not upstream's. The descriptions stay on the record.
/// </summary>
internal static class ConditionSchema
{
    /// <summary>metav1.Condition's type: a CamelCase word, optionally prefixed by a DNS subdomain and a slash.</summary>
    public const string TypePattern = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";

    public const int MaxTypeLength = 316;

    /// <summary>A list keyed by type, so server-side apply and strategic merge treat each condition as its own entry.</summary>
    public static SchemaNode List(string? description) => new()
    {
        ["description"] = description,
        ["type"] = "array",
        ["items"] = Item(),
        ["x-kubernetes-list-type"] = "map",
        ["x-kubernetes-list-map-keys"] = new List<string> { "type" },
    };

    private static SchemaNode Item() => new()
    {
        ["description"] = typeof(Condition).GetCustomAttribute<DescriptionAttribute>()?.Description,
        ["type"] = "object",
        ["required"] = new List<string> { "lastTransitionTime", "message", "reason", "status", "type" },
        ["properties"] = new SchemaNode
        {
            ["lastTransitionTime"] = Property(nameof(Condition.LastTransitionTime), "string", new() { ["format"] = "date-time" }),
            ["message"] = Property(nameof(Condition.Message), "string", new() { ["maxLength"] = Conditions.MaxMessageLength }),
            ["observedGeneration"] = Property(nameof(Condition.ObservedGeneration), "integer", new() { ["format"] = "int64", ["minimum"] = 0 }),
            ["reason"] = Property(nameof(Condition.Reason), "string", new()
            {
                ["pattern"] = Conditions.ReasonPattern,
                ["minLength"] = 1,
                ["maxLength"] = Conditions.MaxReasonLength,
            }),
            ["status"] = Property(nameof(Condition.Status), "string", new() { ["enum"] = new List<string> { "True", "False", "Unknown" } }),
            ["type"] = Property(nameof(Condition.Type), "string", new() { ["pattern"] = TypePattern, ["maxLength"] = MaxTypeLength }),
        },
    };

    private static SchemaNode Property(string name, string type, SchemaNode constraints)
    {
        var node = new SchemaNode
        {
            ["description"] = typeof(Condition).GetProperty(name)!.GetCustomAttribute<DescriptionAttribute>()?.Description,
            ["type"] = type,
        };
        foreach (var (key, value) in constraints)
            node[key] = value;
        return node;
    }
}

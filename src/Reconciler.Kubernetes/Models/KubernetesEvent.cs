using System.Text.Json.Serialization;

namespace Reconciler.Kubernetes.Models;

/// <summary>events.k8s.io/v1 Event: something that happened to the <see cref="Regarding"/> object.</summary>
public sealed record KubernetesEvent : IKubernetesObject
{
    public string ApiVersion { get; init; } = "events.k8s.io/v1";

    public string Kind { get; init; } = "Event";

    public ObjectMeta Metadata { get; init; } = new();

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? EventTime { get; init; }

    public EventSeries? Series { get; init; }

    public string? ReportingController { get; init; }

    public string? ReportingInstance { get; init; }

    public string? Action { get; init; }

    public string? Reason { get; init; }

    public ObjectReference? Regarding { get; init; }

    public ObjectReference? Related { get; init; }

    public string? Note { get; init; }

    /// <summary>"Normal" or "Warning".</summary>
    public string? Type { get; init; }
}

/// <summary>How often an isomorphic event has been seen, so repeats update one Event instead of creating many.</summary>
public sealed record EventSeries
{
    public int Count { get; init; }

    [JsonConverter(typeof(MicroTimeConverter))]
    public DateTimeOffset? LastObservedTime { get; init; }
}

/// <summary>core/v1 ObjectReference: enough to find one object.</summary>
public sealed record ObjectReference
{
    public string? ApiVersion { get; init; }

    public string? Kind { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public string? Uid { get; init; }

    public string? ResourceVersion { get; init; }

    public string? FieldPath { get; init; }

    /// <summary>A reference to <paramref name="obj"/> as it is now.</summary>
    public static ObjectReference For(IKubernetesObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new ObjectReference
        {
            ApiVersion = obj.ApiVersion,
            Kind = obj.Kind,
            Namespace = obj.Metadata.Namespace,
            Name = obj.Metadata.Name,
            Uid = obj.Metadata.Uid,
            ResourceVersion = obj.Metadata.ResourceVersion,
        };
    }
}

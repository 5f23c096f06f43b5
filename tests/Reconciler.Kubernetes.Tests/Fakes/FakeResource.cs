using System.Text;
using System.Text.Json.Nodes;

namespace Reconciler.Kubernetes.Tests.Fakes;

/// <summary>How the fake API server treats one resource type (what a CRD or a built-in strategy decides).</summary>
internal sealed partial class FakeResource(
    ResourceType type,
    bool hasStatusSubresource,
    bool isCustomResource,
    Action<FakeResource, string, JsonObject>? validate = null,
    Action<FakeResource, string, JsonObject, JsonObject>? validateUpdate = null,
    bool allowUnconditionalUpdate = true)
{
    public ResourceType Type { get; } = type;

    /// <summary>Status is written only through /status, and the main endpoint ignores it.</summary>
    public bool HasStatusSubresource { get; } = hasStatusSubresource;

    /// <summary>
    /// Custom resources track metadata.generation and, unlike most built-ins, refuse an update without
    /// metadata.resourceVersion (their strategy does not allow unconditional updates).
    /// </summary>
    public bool IsCustomResource { get; } = isCustomResource;

    /// <summary>Whether a PUT without metadata.resourceVersion is taken (the strategy's AllowUnconditionalUpdate); never for custom resources.</summary>
    public bool AllowsUnconditionalUpdate { get; } = allowUnconditionalUpdate && !isCustomResource;

    public void Validate(string name, JsonObject obj) => validate?.Invoke(this, name, obj);

    /// <summary>Rules on a change of a stored object (immutable fields), checked after <see cref="Validate"/>.</summary>
    public void ValidateUpdate(string name, JsonObject current, JsonObject next) => validateUpdate?.Invoke(this, name, current, next);

    public JsonObject Details(string name) => new()
    {
        ["name"] = name,
        ["group"] = Type.Group,
        ["kind"] = Type.Plural,
    };

    public static FakeResource Secrets() => new(ResourceType.Secrets, false, false, NormalizeSecret);

    /// <summary>The coordination strategy allows no unconditional update: every write of a Lease is checked against the version read.</summary>
    public static FakeResource Leases() => new(ResourceType.Leases, false, false, ValidateLease, allowUnconditionalUpdate: false);

    public static FakeResource Events() => new(ResourceType.Events, false, false, ValidateEvent, ValidateEventUpdate);

    /// <summary>stringData is write-only: merged into data (base64) and dropped, as the API server does.</summary>
    private static void NormalizeSecret(FakeResource resource, string name, JsonObject secret)
    {
        if (secret["data"] is JsonObject encoded)
        {
            foreach (var (key, value) in encoded)
            {
                if (value is not JsonValue text || !text.TryGetValue<string>(out var base64) || !IsBase64(base64))
                {
                    throw FakeApiException.BadRequest($"Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data in data.{key}");
                }
            }
        }

        if (secret["stringData"] is JsonObject stringData)
        {
            if (secret["data"] is not JsonObject data)
            {
                data = [];
                secret["data"] = data;
            }

            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
            }

            secret.Remove("stringData");
        }

        secret.TryAdd("type", "Opaque");
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private static void ValidateLease(FakeResource resource, string name, JsonObject lease)
    {
        if (FakeApiStore.Number(lease["spec"]?["leaseDurationSeconds"]) is <= 0 and var duration)
        {
            throw FakeApiException.Invalid(resource, name, "spec.leaseDurationSeconds", "FieldValueInvalid", $"Invalid value: {duration}: must be greater than 0");
        }

        // Lease times are metav1.MicroTime, which the API server decodes with exactly six fractional digits.
        foreach (var field in new[] { "acquireTime", "renewTime" })
        {
            if (lease["spec"]?[field] is JsonValue time && time.ToString().Split('.') is not [_, { Length: 7 }])
            {
                throw FakeApiException.Invalid(resource, name, $"spec.{field}", "FieldValueInvalid", "Invalid value: must be a MicroTime (RFC 3339 with 6 fractional digits)");
            }
        }
    }

    /// <summary>The events.k8s.io/v1 validation a recorder most easily gets wrong.</summary>
    private static void ValidateEvent(FakeResource resource, string name, JsonObject evt)
    {
        foreach (var field in new[] { "eventTime", "reportingController", "reportingInstance", "action", "reason" })
        {
            if (evt[field] is not JsonValue value || string.IsNullOrEmpty(value.ToString()))
            {
                throw FakeApiException.Invalid(resource, name, field, "FieldValueRequired", "Required value");
            }
        }

        var type = evt["type"]?.ToString();
        if (type is not ("Normal" or "Warning"))
        {
            throw FakeApiException.Invalid(resource, name, "type", "FieldValueNotSupported", $"Unsupported value: \"{type}\": supported values: \"Normal\", \"Warning\"");
        }

        if (evt["eventTime"]!.ToString().Split('.') is not [_, { Length: 7 }])
        {
            throw FakeApiException.Invalid(resource, name, "eventTime", "FieldValueInvalid", "Invalid value: must be a MicroTime (RFC 3339 with 6 fractional digits)");
        }

        if (Encoding.UTF8.GetByteCount(evt["note"]?.ToString() ?? "") > 1024)
        {
            throw FakeApiException.Invalid(resource, name, "note", "FieldValueTooLong", "Too long: may not be more than 1024 bytes");
        }

        // The rest of ValidateEventCreate (pkg/apis/core/validation/events.go), which reports core/v1 field paths.
        var controller = evt["reportingController"]!.ToString();
        if (!IsQualifiedName(controller))
        {
            throw FakeApiException.Invalid(resource, name, "reportingController", "FieldValueInvalid", $"Invalid value: \"{controller}\": must be a qualified name (an optional DNS subdomain prefix and '/', then at most 63 alphanumeric characters, '-', '_' or '.')");
        }

        foreach (var field in new[] { "reportingInstance", "action", "reason" })
        {
            if (Encoding.UTF8.GetByteCount(evt[field]!.ToString()) > 128)
            {
                throw FakeApiException.Invalid(resource, name, field, "FieldValueInvalid", "Invalid value: \"\": can have at most 128 characters");
            }
        }

        if (evt["series"] is JsonObject series)
        {
            if (FakeApiStore.Number(series["count"]) is not >= 2)
            {
                throw FakeApiException.Invalid(resource, name, "series.count", "FieldValueInvalid", "Invalid value: \"\": should be at least 2");
            }

            if (series["lastObservedTime"] is not JsonValue)
            {
                throw FakeApiException.Invalid(resource, name, "series.lastObservedTime", "FieldValueRequired", "Required value");
            }
        }

        foreach (var (field, path) in new[] { ("deprecatedFirstTimestamp", "firstTimestamp"), ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedSource", "source") })
        {
            if (evt[field] is JsonValue or JsonObject { Count: > 0 })
            {
                throw FakeApiException.Invalid(resource, name, path, "FieldValueInvalid", "Invalid value: \"\": needs to be unset");
            }
        }

        if (FakeApiStore.Number(evt["deprecatedCount"]) is not (null or 0))
        {
            throw FakeApiException.Invalid(resource, name, "count", "FieldValueInvalid", "Invalid value: \"\": needs to be unset");
        }

        // An event about a cluster-scoped object lives in default or kube-system; one about a namespaced object may be anywhere.
        var ns = FakeApiStore.Namespace(evt);
        if (string.IsNullOrEmpty(evt["regarding"]?["namespace"]?.ToString()) && ns is not ("default" or "kube-system"))
        {
            throw FakeApiException.Invalid(resource, name, "involvedObject.namespace", "FieldValueInvalid", "Invalid value: \"\": does not match event.namespace");
        }
    }

    /// <summary>ValidateEventUpdate: an Event may grow its series, but what it says, about what and from whom, is fixed.</summary>
    private static void ValidateEventUpdate(FakeResource resource, string name, JsonObject current, JsonObject next)
    {
        foreach (var (field, path) in new[]
        {
            ("regarding", "involvedObject"), ("note", "message"), ("reason", "reason"), ("type", "type"), ("eventTime", "eventTime"), ("action", "action"),
            ("related", "related"), ("reportingController", "reportingController"), ("reportingInstance", "reportingInstance"),
            ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"), ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
        })
        {
            if (!JsonNode.DeepEquals(current[field], next[field]))
            {
                throw FakeApiException.Invalid(resource, name, path, "FieldValueInvalid", "Invalid value: \"\": field is immutable");
            }
        }
    }

    private static bool IsQualifiedName(string value)
    {
        var parts = value.Split('/');
        var (prefix, local) = parts.Length switch
        {
            1 => (null, parts[0]),
            2 => (parts[0], parts[1]),
            _ => ("", ""),
        };
        return (prefix is null || (prefix.Length is > 0 and <= 253 && SubdomainPattern().IsMatch(prefix)))
            && local.Length is > 0 and <= 63 && QualifiedNamePattern().IsMatch(local);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial System.Text.RegularExpressions.Regex QualifiedNamePattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial System.Text.RegularExpressions.Regex SubdomainPattern();
}

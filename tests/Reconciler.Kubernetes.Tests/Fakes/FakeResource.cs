using System.Text;
using System.Text.Json.Nodes;

namespace Reconciler.Kubernetes.Tests.Fakes;

/// <summary>How the fake API server treats one resource type (what a CRD or a built-in strategy decides).</summary>
internal sealed class FakeResource(ResourceType type, bool hasStatusSubresource, bool isCustomResource, Action<FakeResource, string, JsonObject>? validate = null)
{
    public ResourceType Type { get; } = type;

    /// <summary>Status is written only through /status, and the main endpoint ignores it.</summary>
    public bool HasStatusSubresource { get; } = hasStatusSubresource;

    /// <summary>
    /// Custom resources track metadata.generation and, unlike most built-ins, refuse an update without
    /// metadata.resourceVersion (their strategy does not allow unconditional updates).
    /// </summary>
    public bool IsCustomResource { get; } = isCustomResource;

    public void Validate(string name, JsonObject obj) => validate?.Invoke(this, name, obj);

    public JsonObject Details(string name) => new()
    {
        ["name"] = name,
        ["group"] = Type.Group,
        ["kind"] = Type.Plural,
    };

    public static FakeResource Secrets() => new(ResourceType.Secrets, false, false, NormalizeSecret);

    public static FakeResource Leases() => new(ResourceType.Leases, false, false, ValidateLease);

    public static FakeResource Events() => new(ResourceType.Events, false, false, ValidateEvent);

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
    }
}

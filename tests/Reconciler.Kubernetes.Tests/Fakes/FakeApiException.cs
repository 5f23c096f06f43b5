using System.Text.Json.Nodes;

namespace Reconciler.Kubernetes.Tests.Fakes;

/// <summary>A request the fake API server refuses; rendered as a metav1.Status with <see cref="Code"/>.</summary>
internal sealed class FakeApiException(int code, string reason, string message, JsonObject? details = null) : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    /// <summary>details.retryAfterSeconds, which the API server also sends as the Retry-After header.</summary>
    public int? RetryAfterSeconds => (int?)FakeApiStore.Number(details?["retryAfterSeconds"]);

    public JsonObject ToStatus() => FakeApiStatus.Create(Code, Reason, Message, details);

    public static FakeApiException NotFound(FakeResource resource, string name) =>
        new(404, "NotFound", $"{resource.Type.QualifiedName} \"{name}\" not found", resource.Details(name));

    public static FakeApiException AlreadyExists(FakeResource resource, string name) =>
        new(409, "AlreadyExists", $"{resource.Type.QualifiedName} \"{name}\" already exists", resource.Details(name));

    public static FakeApiException Conflict(FakeResource resource, string name, string why = "the object has been modified; please apply your changes to the latest version and try again") =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource.Type.QualifiedName} \"{name}\": {why}", resource.Details(name));

    /// <summary>422 with one field cause, worded as the API server's field.ErrorList.</summary>
    public static FakeApiException Invalid(FakeResource resource, string name, string field, string causeReason, string detail)
    {
        var qualifiedKind = resource.Type.Group.Length == 0 ? resource.Type.Kind : $"{resource.Type.Kind}.{resource.Type.Group}";
        var details = resource.Details(name);
        details["kind"] = resource.Type.Kind;
        details["causes"] = new JsonArray(new JsonObject { ["reason"] = causeReason, ["message"] = detail, ["field"] = field });
        return new(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {field}: {detail}", details);
    }

    public static FakeApiException BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>403 worded as the RBAC authorizer's refusal of a collection request.</summary>
    public static FakeApiException Forbidden(FakeResource resource, string verb, string user, string? ns)
    {
        var type = resource.Type;
        var scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
        return new(403, "Forbidden", $"{type.QualifiedName} is forbidden: User \"{user}\" cannot {verb} resource \"{type.Plural}\" in API group \"{type.Group}\" {scope}",
            new JsonObject { ["group"] = type.Group, ["kind"] = type.Plural });
    }

    public static FakeApiException Expired(string message) => new(410, "Expired", message);
}

/// <summary>metav1.Status bodies.</summary>
internal static class FakeApiStatus
{
    public static JsonObject Create(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject Success(JsonObject details) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = details,
    };
}

namespace Reconciler.Platform.Storage;

/// <summary>A row of <c>objects</c>.</summary>
internal sealed record ObjectRow
{
    public long Seq { get; init; }

    public required string Id { get; init; }

    public required string Collection { get; init; }

    public required string Key { get; init; }

    public long Version { get; init; }

    public required string Doc { get; init; }
}

/// <summary>A row of <c>audit_events</c>.</summary>
internal sealed record AuditRow
{
    public long Sequence { get; init; }

    public required string Id { get; init; }

    public required string At { get; init; }

    public required string Actor { get; init; }

    public required string Action { get; init; }

    public required string Collection { get; init; }

    public required string ObjectId { get; init; }

    public required string Key { get; init; }

    public required string Changes { get; init; }

    public string? Reason { get; init; }

    public string? RequestId { get; init; }

    public string? TraceId { get; init; }
}

/// <summary>A row of <c>idempotency_keys</c>: the first response of a create.</summary>
internal sealed record IdempotencyRow
{
    public required string Collection { get; init; }

    public required string RequestHash { get; init; }

    public long Status { get; init; }

    public string? Location { get; init; }

    public string? Etag { get; init; }

    public required string Body { get; init; }
}

/// <summary>Who points at an object, for the 409 on delete.</summary>
internal sealed record ReferrerRow
{
    public required string Field { get; init; }

    public required string Collection { get; init; }

    public required string Key { get; init; }
}

/// <summary>A row of <c>object_labels</c>.</summary>
internal sealed record LabelRow(string ObjectId, string Name, string Value);

/// <summary>A row of <c>object_refs</c>.</summary>
internal sealed record RefRow(string FromId, string Field, string ToId);

using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Client;

/// <summary>
/// Build-time metadata of what the client reads as DTOs (audit events, problem details), with the wire's settings, so
/// reading them needs no reflection (the metadata the reflection reader needs is trimmed from a Native AOT build).
/// The generated reader sets an init-only property the JSON lacks to null instead of its initial value: an event
/// without <c>changes</c> reads with none, a problem without <c>type</c> with no type (the client reads neither default).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(List<AuditEventDto>))]
[JsonSerializable(typeof(ProblemDto))]
internal sealed partial class AdminApiReadJsonContext : JsonSerializerContext;

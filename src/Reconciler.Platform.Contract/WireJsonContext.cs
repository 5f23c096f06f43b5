using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Reconciler.Platform.Contract;

/// <summary>
/// Build-time JSON metadata of everything the wire carries — the kinds' DTOs and every type they reach, bodies as nodes,
/// pages, problems and the audit trail — with <see cref="WireJson.Options"/>' settings. It is the wire's only metadata
/// (<see cref="WireJson.Options"/>), in the JIT build as in Native AOT. Reading through it keeps a DTO's initial values
/// for the fields a body leaves out because those properties are settable (see Wire.cs).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AgentDto))]
[JsonSerializable(typeof(RoleDto))]
[JsonSerializable(typeof(BusinessUnitDto))]
[JsonSerializable(typeof(OfficeHoursDto))]
[JsonSerializable(typeof(SsoProviderDto))]
[JsonSerializable(typeof(TagGroupDto))]
[JsonSerializable(typeof(ChannelDto))]
[JsonSerializable(typeof(OrganizationDto))]
[JsonSerializable(typeof(ReplyTemplateDto))]
[JsonSerializable(typeof(JsonObject))]
// What the platform writes besides the kinds' DTOs: its pages, problems and audit trail (in a Native AOT build these are all it has).
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(Page<AgentDto>))]
[JsonSerializable(typeof(Page<RoleDto>))]
[JsonSerializable(typeof(Page<BusinessUnitDto>))]
[JsonSerializable(typeof(Page<OfficeHoursDto>))]
[JsonSerializable(typeof(Page<SsoProviderDto>))]
[JsonSerializable(typeof(Page<TagGroupDto>))]
[JsonSerializable(typeof(Page<ChannelDto>))]
[JsonSerializable(typeof(Page<OrganizationDto>))]
[JsonSerializable(typeof(Page<ReplyTemplateDto>))]
[JsonSerializable(typeof(Page<PermissionDto>))]
[JsonSerializable(typeof(Page<PlaceholderDto>))]
[JsonSerializable(typeof(List<FieldChangeDto>))]
[JsonSerializable(typeof(AuditEventPage))]
[JsonSerializable(typeof(ProblemDto))]
public sealed partial class WireJsonContext : JsonSerializerContext;

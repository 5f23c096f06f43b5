using System.Text.Json;
using System.Text.Json.Serialization;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Engine;

/// <summary>
/// Build-time JSON metadata of every kind's spec, with the settings manifests are written with (camelCase, enums by
/// name, nulls left out), so writing a manifest needs no reflection (a Native AOT build has none). Only for writing:
/// the generated reader would set a missing init-only property to null, not to its initial value.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PlatformConnectionSpec))]
[JsonSerializable(typeof(OfficeHoursSpec))]
[JsonSerializable(typeof(OrganizationSpec))]
[JsonSerializable(typeof(RoleSpec))]
[JsonSerializable(typeof(TagGroupSpec))]
[JsonSerializable(typeof(SsoProviderSpec))]
[JsonSerializable(typeof(BusinessUnitSpec))]
[JsonSerializable(typeof(AgentSpec))]
[JsonSerializable(typeof(ChannelSpec))]
[JsonSerializable(typeof(ReplyTemplateSpec))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;

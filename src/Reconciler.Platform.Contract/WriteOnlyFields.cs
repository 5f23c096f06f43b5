using System.Collections.Frozen;
using System.Text.Json.Serialization.Metadata;

namespace Reconciler.Platform.Contract;

/// <summary>The JSON paths of a DTO's <see cref="WriteOnlyAttribute"/> fields (<c>oidc.clientSecret</c>), nested objects included.</summary>
public static class WriteOnlyFields
{
    private static readonly Lazy<IReadOnlySet<string>> EveryKind = new(() => Union(
        typeof(AgentDto), typeof(RoleDto), typeof(BusinessUnitDto), typeof(OfficeHoursDto), typeof(SsoProviderDto),
        typeof(TagGroupDto), typeof(ChannelDto), typeof(OrganizationDto), typeof(ReplyTemplateDto)));

    /// <summary>The write-only paths of every kind's DTO together: what a body sent to any collection may hold as a secret.</summary>
    public static IReadOnlySet<string> OfEveryKind => EveryKind.Value;

    public static IReadOnlySet<string> Of(Type dtoType)
    {
        ArgumentNullException.ThrowIfNull(dtoType);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        Collect(dtoType, "", paths);
        return paths.ToFrozenSet(StringComparer.Ordinal);
    }

    private static IReadOnlySet<string> Union(params Type[] dtoTypes)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in dtoTypes)
            Collect(type, "", paths);
        return paths.ToFrozenSet(StringComparer.Ordinal);
    }

    private static void Collect(Type type, string prefix, HashSet<string> paths)
    {
        foreach (var property in WireJson.Options.GetTypeInfo(type).Properties)
        {
            var path = prefix + property.Name;
            if (property.AttributeProvider?.IsDefined(typeof(WriteOnlyAttribute), inherit: false) == true)
            {
                paths.Add(path);
            }
            else if (WireJson.Options.GetTypeInfo(property.PropertyType).Kind == JsonTypeInfoKind.Object
                && property.PropertyType.Assembly == typeof(WireObject).Assembly)
            {
                Collect(property.PropertyType, path + ".", paths);
            }
        }
    }
}

using System.Collections.Frozen;
using System.Text.Json.Serialization.Metadata;

namespace Reconciler.Platform.Contract;

/// <summary>The JSON paths of a DTO's <see cref="WriteOnlyAttribute"/> fields (<c>oidc.clientSecret</c>), nested objects included.</summary>
public static class WriteOnlyFields
{
    public static IReadOnlySet<string> Of(Type dtoType)
    {
        ArgumentNullException.ThrowIfNull(dtoType);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        Collect(dtoType, "", paths);
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

using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Mapping;

/// <summary>Custom roles; the built-in ones are only referenced, never written.</summary>
public sealed class RoleMapper : KindMapper<Role>
{
    public override IReadOnlyList<ComparisonRule> Rules { get; } =
    [
        new("name") { ManifestName = "metadata.name" },
        new("displayName"),
        new("description"),
        new("permissions", ComparisonShape.Set),
    ];

    protected override DesiredObject Map(Role resource, MappingContext context) => Plain(new JsonObject
    {
        ["name"] = resource.Metadata.Name,
        ["displayName"] = resource.Spec.DisplayName,
        ["description"] = resource.Spec.Description,
        ["permissions"] = Strings(resource.Spec.Permissions),
    });

    public override Role Export(PlatformObject platformObject, ExportContext context)
    {
        var f = platformObject.Fields;
        return new Role
        {
            Metadata = Meta(context.NameOf(Collection, platformObject.Id)!),
            Spec = new RoleSpec
            {
                DisplayName = ReadString(f["displayName"]) ?? platformObject.Key,
                Description = ReadString(f["description"]),
                Permissions = ReadStrings(f["permissions"]),
            },
        };
    }
}

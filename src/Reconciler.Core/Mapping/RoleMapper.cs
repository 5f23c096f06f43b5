using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Mapping;

/// <summary>Custom roles; the built-in ones are only referenced, never written.</summary>
public sealed class RoleMapper : KindMapper<Role, RoleDto>
{
    public override IReadOnlyList<ComparisonRule> Rules { get; } =
    [
        new("name") { ManifestName = "metadata.name" },
        new("displayName"),
        new("description"),
        new("permissions", ComparisonShape.Set),
    ];

    protected override DesiredObject Map(Role resource, MappingContext context) => Body(new RoleDto
    {
        Name = resource.Metadata.Name,
        DisplayName = resource.Spec.DisplayName,
        Description = resource.Spec.Description,
        Permissions = [.. resource.Spec.Permissions],
    });

    protected override Role Export(RoleDto wire, ExportContext context) => new()
    {
        Metadata = Meta(NameOf(wire, context)),
        Spec = new RoleSpec
        {
            DisplayName = wire.DisplayName ?? wire.Key!,
            Description = wire.Description,
            Permissions = wire.Permissions ?? [],
        },
    };
}

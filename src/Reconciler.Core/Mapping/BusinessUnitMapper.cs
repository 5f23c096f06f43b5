using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Mapping;

/// <summary>Business units: reference their office hours; routing defaults apply when absent.</summary>
public sealed class BusinessUnitMapper : KindMapper<BusinessUnit, BusinessUnitDto>
{
    public override IReadOnlyList<ComparisonRule> Rules { get; } =
    [
        new("name") { ManifestName = "metadata.name" },
        new("displayName"),
        new("description"),
        new("officeHoursId") { ReferenceKind = "OfficeHours" },
        new("routing", ComparisonShape.Object)
        {
            Children = [new("chatbotId"), new("strategy") { Default = "RoundRobin" }, new("queueLimit") { Default = 0 }],
        },
    ];

    protected override DesiredObject Map(BusinessUnit resource, MappingContext context)
    {
        var routing = resource.Spec.Routing ?? new Routing();
        return Body(new BusinessUnitDto
        {
            Name = resource.Metadata.Name,
            DisplayName = resource.Spec.DisplayName,
            Description = resource.Spec.Description,
            OfficeHoursId = ResolveOne(resource, context, "spec.officeHoursRef"),
            Routing = new RoutingDto { ChatbotId = routing.ChatbotId, Strategy = routing.Strategy.ToString(), QueueLimit = routing.QueueLimit },
        });
    }

    protected override BusinessUnit Export(BusinessUnitDto wire, ExportContext context) => new()
    {
        Metadata = Meta(NameOf(wire, context)),
        Spec = new BusinessUnitSpec
        {
            DisplayName = wire.DisplayName ?? wire.Key!,
            Description = wire.Description,
            OfficeHoursRef = RefTo<OfficeHours>(context, wire.OfficeHoursId),
            Routing = wire.Routing is not { } routing ? null : new Routing
            {
                ChatbotId = routing.ChatbotId,
                Strategy = ReadEnum(routing.Strategy, RoutingStrategy.RoundRobin),
                QueueLimit = routing.QueueLimit,
            },
        },
    };
}

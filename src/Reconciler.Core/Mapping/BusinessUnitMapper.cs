using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Mapping;

/// <summary>Business units: reference their office hours; routing defaults apply when absent.</summary>
public sealed class BusinessUnitMapper : KindMapper<BusinessUnit>
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
        var hours = References(resource).FirstOrDefault();
        return Plain(new JsonObject
        {
            ["name"] = resource.Metadata.Name,
            ["displayName"] = resource.Spec.DisplayName,
            ["description"] = resource.Spec.Description,
            ["officeHoursId"] = hours is null ? null : Resolve(context, hours),
            ["routing"] = new JsonObject
            {
                ["chatbotId"] = routing.ChatbotId,
                ["strategy"] = routing.Strategy.ToString(),
                ["queueLimit"] = routing.QueueLimit,
            },
        });
    }

    public override BusinessUnit Export(PlatformObject platformObject, ExportContext context)
    {
        var f = platformObject.Fields;
        var hoursId = ReadString(f["officeHoursId"]);
        var routing = f["routing"] as JsonObject;
        return new BusinessUnit
        {
            Metadata = Meta(context.NameOf(Collection, platformObject.Id)!),
            Spec = new BusinessUnitSpec
            {
                DisplayName = ReadString(f["displayName"]) ?? platformObject.Key,
                Description = ReadString(f["description"]),
                OfficeHoursRef = hoursId is null ? null : ResourceRef.FromString(context.NameOf("office-hours", hoursId) ?? hoursId),
                Routing = routing is null ? null : new Routing
                {
                    ChatbotId = ReadString(routing["chatbotId"]),
                    Strategy = ReadEnum(routing["strategy"], RoutingStrategy.RoundRobin),
                    QueueLimit = routing["queueLimit"]?.GetValue<int>() ?? 0,
                },
            },
        };
    }
}

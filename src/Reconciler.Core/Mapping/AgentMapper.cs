using Reconciler.Core.Engine;
using Reconciler.Core.Resources;
using Reconciler.Platform.Contract;

namespace Reconciler.Core.Mapping;

/// <summary>Agents: keyed by lower-cased e-mail; reference a role, business units and a supervisor.</summary>
public sealed class AgentMapper : KindMapper<Agent, AgentDto>
{
    public override IReadOnlyList<ComparisonRule> Rules { get; } =
    [
        new("email", ComparisonShape.CaseInsensitive),
        new("displayName"),
        new("mobile"),
        new("roleId") { ReferenceKind = "Role" },
        new("businessUnitIds", ComparisonShape.Set) { ReferenceKind = "BusinessUnit" },
        new("level") { Default = "L1" },
        new("supervisorId") { ReferenceKind = "Agent" },
        new("languages", ComparisonShape.Set),
        new("categories", ComparisonShape.Set),
        new("maxConcurrentChats") { Default = 3 },
        new("capabilities", ComparisonShape.Set),
        new("active") { Default = true },
    ];

    protected override DesiredObject Map(Agent resource, MappingContext context)
    {
        var spec = resource.Spec;
        return Body(new AgentDto
        {
            Email = spec.Email,
            DisplayName = spec.DisplayName,
            Mobile = spec.Mobile,
            RoleId = ResolveOne(resource, context, "spec.roleRef")!,
            BusinessUnitIds = ResolveAll(resource, context, "spec.businessUnitRefs"),
            Level = spec.Level.ToString(),
            SupervisorId = ResolveOne(resource, context, "spec.supervisorRef"),
            Languages = [.. spec.Languages],
            Categories = [.. spec.Categories],
            MaxConcurrentChats = spec.MaxConcurrentChats,
            Capabilities = Names(spec.Capabilities),
            Active = spec.Active,
        });
    }

    /// <summary>The capabilities' names as <c>ToString</c> gives them, without boxing each value: every agent mapped has some.</summary>
    private static List<string> Names(IReadOnlyList<AgentCapability> capabilities)
    {
        var names = new List<string>(capabilities.Count);
        for (var i = 0; i < capabilities.Count; i++)
            names.Add(Enum.GetName(capabilities[i]) ?? capabilities[i].ToString());
        return names;
    }

    protected override Agent Export(AgentDto wire, ExportContext context) => new()
    {
        Metadata = Meta(NameOf(wire, context)),
        Spec = new AgentSpec
        {
            Email = wire.Email ?? wire.Key!,
            DisplayName = wire.DisplayName ?? wire.Key!,
            Mobile = wire.Mobile,
            RoleRef = RefTo<Role>(context, wire.RoleId) ?? ResourceRef.FromString("agent"),
            BusinessUnitRefs = [.. (wire.BusinessUnitIds ?? []).Select(id => RefTo<BusinessUnit>(context, id)!)],
            Level = ReadEnum(wire.Level, AgentLevel.L1),
            SupervisorRef = RefTo<Agent>(context, wire.SupervisorId),
            Languages = wire.Languages ?? [],
            Categories = wire.Categories ?? [],
            MaxConcurrentChats = wire.MaxConcurrentChats,
            Capabilities = [.. (wire.Capabilities ?? []).Select(c => Enum.Parse<AgentCapability>(c, ignoreCase: true))],
            Active = wire.Active,
        },
    };
}

using System.Text.Json.Nodes;
using Reconciler.Core.Engine;
using Reconciler.Core.Platform;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Mapping;

/// <summary>Agents: keyed by lower-cased e-mail; reference a role, business units and a supervisor.</summary>
public sealed class AgentMapper : KindMapper<Agent>
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
        var refs = References(resource).ToList();
        return Plain(new JsonObject
        {
            ["email"] = spec.Email,
            ["displayName"] = spec.DisplayName,
            ["mobile"] = spec.Mobile,
            ["roleId"] = Resolve(context, refs[0]),
            ["businessUnitIds"] = Strings(refs.Where(r => r.Target.Kind == "BusinessUnit").Select(r => Resolve(context, r))),
            ["level"] = spec.Level.ToString(),
            ["supervisorId"] = spec.SupervisorRef is null ? null : Resolve(context, refs[^1]),
            ["languages"] = Strings(spec.Languages),
            ["categories"] = Strings(spec.Categories),
            ["maxConcurrentChats"] = spec.MaxConcurrentChats,
            ["capabilities"] = Strings(spec.Capabilities.Select(c => c.ToString())),
            ["active"] = spec.Active,
        });
    }

    public override Agent Export(PlatformObject platformObject, ExportContext context)
    {
        var f = platformObject.Fields;
        var supervisorId = ReadString(f["supervisorId"]);
        return new Agent
        {
            Metadata = Meta(context.NameOf(Collection, platformObject.Id)!),
            Spec = new AgentSpec
            {
                Email = ReadString(f["email"]) ?? platformObject.Key,
                DisplayName = ReadString(f["displayName"]) ?? platformObject.Key,
                Mobile = ReadString(f["mobile"]),
                RoleRef = context.NameOf("roles", ReadString(f["roleId"]) ?? "") ?? ReadString(f["roleId"]) ?? "agent",
                BusinessUnitRefs = [.. ReadStrings(f["businessUnitIds"]).Select(id => ResourceRef.FromString(context.NameOf("business-units", id) ?? id))],
                Level = ReadEnum(f["level"], AgentLevel.L1),
                SupervisorRef = supervisorId is null ? null : ResourceRef.FromString(context.NameOf(Collection, supervisorId) ?? supervisorId),
                Languages = ReadStrings(f["languages"]),
                Categories = ReadStrings(f["categories"]),
                MaxConcurrentChats = f["maxConcurrentChats"]?.GetValue<int>() ?? 3,
                Capabilities = [.. ReadStrings(f["capabilities"]).Select(c => Enum.Parse<AgentCapability>(c, ignoreCase: true))],
                Active = f["active"]?.GetValue<bool>() ?? true,
            },
        };
    }
}

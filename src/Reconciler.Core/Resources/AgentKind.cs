using Reconciler.Core.Mapping;
using Reconciler.Core.Schedules;

namespace Reconciler.Core.Resources;

/// <summary>Agents: keyed by lower-cased e-mail; reference a role, business units and a supervisor; the platform keeps their presence.</summary>
public static class AgentKind
{
    public static readonly KindDescription<Agent> Description = new()
    {
        Collection = "agents",
        ApplyOrder = 6,
        ExportFileName = "agents.yaml",
        KeyField = new("spec.email", a => a.Spec.Email, IgnoresCase: true),
        References =
        [
            ReferenceField<Agent>.One("spec.roleRef", "Role", a => a.Spec.RoleRef),
            ReferenceField<Agent>.Many("spec.businessUnitRefs", "BusinessUnit", a => a.Spec.BusinessUnitRefs),
            ReferenceField<Agent>.One("spec.supervisorRef", "Agent", a => a.Spec.SupervisorRef),
        ],
        DueReferences = TemporaryReferences,
        StatusFacts = (status, observed) => status is AgentStatus agent
            ? agent with
            {
                Presence = observed.Fields["presence"]?.GetValue<string>(),
                ActivatedAt = observed.Fields["activatedAt"]?.GetValue<DateTimeOffset>(),
                DeactivatedAt = observed.Fields["deactivatedAt"]?.GetValue<DateTimeOffset>(),
            }
            : status,
        Dated = new DatedChanges<Agent, AgentStatus>
        {
            Dated = AgentSchedule.IsDated,
            Evaluate = AgentSchedule.At,
            Transitions = AgentSchedule.Upcoming,
            NextTransition = status => status.NextTransitionAt,
            RecordNextTransition = (status, next) => status with { NextTransitionAt = next },
        },
        Mapper = new AgentMapper(),
    };

    private static IEnumerable<FoundReference> TemporaryReferences(Agent agent)
    {
        for (var t = 0; t < agent.Spec.Temporary.Count; t++)
        {
            var temporary = agent.Spec.Temporary[t];
            if (temporary.RoleRef is { } role)
                yield return new($"spec.temporary[{t}].roleRef", "spec.temporary.roleRef", "Role", role.Name);
            for (var i = 0; i < (temporary.BusinessUnitRefs?.Count ?? 0); i++)
                yield return new($"spec.temporary[{t}].businessUnitRefs[{i}]", "spec.temporary.businessUnitRefs", "BusinessUnit", temporary.BusinessUnitRefs![i].Name);
        }
    }
}

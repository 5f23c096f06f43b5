using System.Text.Json.Nodes;
using Reconciler.Core.Mapping;
using Reconciler.Core.Platform;
using Reconciler.Core.Schedules;
using Reconciler.Platform.Contract;

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
        StatusFacts = (status, observed, _) => status is AgentStatus agent
            ? agent with
            {
                Presence = observed.Fields["presence"]?.GetValue<string>(),
                ActivatedAt = observed.Fields["activatedAt"]?.GetValue<DateTimeOffset>(),
                DeactivatedAt = observed.Fields["deactivatedAt"]?.GetValue<DateTimeOffset>(),
                Invitation = InvitationOf(observed, agent.Invitation),
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
        Effects = InvitationEffects,
        Mapper = new AgentMapper(),
    };

    /// <summary>
    /// The platform's invitation rule, said before it happens: saving an active agent that has none sends one; a pending
    /// invitation follows a new address; an accepted one is final, and an inactive agent's stays as it is.
    /// </summary>
    private static IEnumerable<string> InvitationEffects(JsonObject wanted, PlatformObject? observed)
    {
        var email = wanted["email"]?.GetValue<string>().Trim();
        if (email is null)
            yield break;
        if (wanted["active"]?.GetValue<bool>() == false)
        {
            if (observed is null)
                yield return "no invitation is sent while the agent is inactive; it is sent when the agent is activated";
            yield break;
        }

        var invitation = observed?.Fields["invitation"] as JsonObject;
        var state = invitation?["state"]?.GetValue<string>();
        var sentTo = invitation?["sentTo"]?.GetValue<string>();
        if (observed is null || invitation is null)
            yield return $"invitation will be sent to {email}";
        else if (state != AgentInvitationDto.Accepted && sentTo is not null && !string.Equals(sentTo, email, StringComparison.OrdinalIgnoreCase))
            yield return $"invitation will be sent again, to {email} (the pending one went to {sentTo})";
    }

    /// <summary>The platform's invitation; the status's own instance when it says the same, so an unchanged report writes nothing.</summary>
    private static AgentInvitation? InvitationOf(PlatformObject observed, AgentInvitation? current)
    {
        if (observed.Fields["invitation"] is not JsonObject reported)
            return null;
        var invitation = new AgentInvitation
        {
            State = reported["state"]?.GetValue<string>(),
            InvitedAt = reported["invitedAt"]?.GetValue<DateTimeOffset>(),
            AcceptedAt = reported["acceptedAt"]?.GetValue<DateTimeOffset>(),
        };
        return invitation == current ? current : invitation;
    }

    private static IEnumerable<FoundReference> TemporaryReferences(Agent agent)
    {
        for (var t = 0; t < agent.Spec.Temporary.Count; t++)
        {
            var temporary = agent.Spec.Temporary[t];
            if (temporary.RoleRef is { } role)
                yield return new("spec.temporary.roleRef", "Role", role.Name) { Location = $"spec.temporary[{t}].roleRef" };
            for (var i = 0; i < (temporary.BusinessUnitRefs?.Count ?? 0); i++)
                yield return new("spec.temporary.businessUnitRefs", "BusinessUnit", temporary.BusinessUnitRefs![i].Name) { Location = $"spec.temporary[{t}].businessUnitRefs", Index = i };
        }
    }
}

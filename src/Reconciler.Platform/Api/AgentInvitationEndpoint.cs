using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Reconciler.Platform.Contract;
using Reconciler.Platform.Resources;

namespace Reconciler.Platform.Api;

/// <summary>
/// <c>POST /api/v1/agents/{id}/invitation/accept</c> and <c>…/invitation/resend</c>. On a real platform the person
/// accepts by following the e-mailed link and signing in; the reference platform has no agent sign-in, so ops and tests
/// stand in for the person with an <c>admin:write</c> token. Resend is the console's "resend invitation" button. The
/// agent's <c>invitation</c> is otherwise read-only: no create or replace can set it.
/// </summary>
internal static class AgentInvitationEndpoint
{
    public static void Map(RouteGroupBuilder api, AgentHandler handler)
    {
        api.MapPost($"/{handler.Collection}/{{id}}/invitation/accept", (string id, HttpContext http, MutationService mutations, CancellationToken ct) =>
                mutations.UpdateMaintainedAsync(handler, id, http, (agent, now) => AgentInvitations.Accept((AgentDto)agent, now), ct, agent => AgentInvitations.CannotAccept((AgentDto)agent)))
            .WithName("AcceptAgentInvitation").WithTags(handler.Collection)
            .WithSummary("The person accepts the agent's invitation (simulated: needs admin:write).")
            .WithDescription("Invited becomes Accepted with acceptedAt; accepting an accepted invitation changes nothing. 409 when no invitation was sent (an agent saved inactive) or the agent is deactivated. Audited like any update.")
            .Produces<AgentDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost($"/{handler.Collection}/{{id}}/invitation/resend", (string id, HttpContext http, MutationService mutations, CancellationToken ct) =>
                mutations.UpdateMaintainedAsync(handler, id, http, (agent, now) => AgentInvitations.Resend((AgentDto)agent, now), ct, agent => AgentInvitations.CannotResend((AgentDto)agent)))
            .WithName("ResendAgentInvitation").WithTags(handler.Collection)
            .WithSummary("Sends a pending invitation again, to the agent's current address.")
            .WithDescription("invitedAt moves to now; 409 when the invitation was already accepted or the agent is deactivated.")
            .Produces<AgentDto>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }
}

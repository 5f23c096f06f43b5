using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Resources;

/// <summary>
/// When the platform e-mails an agent an invitation. Saving an active agent sends one (an agent saved inactive gets
/// it when first activated); a pending invitation follows a changed address (it is sent again, to the new one); an
/// accepted invitation is final: no change of address, deactivation or reactivation sends another. A deactivated
/// agent's invitation stays as it is.
/// </summary>
internal static class AgentInvitations
{
    public static AgentInvitationDto? After(AgentDto agent, AgentDto? existing, DateTimeOffset now)
    {
        var current = existing?.Invitation;
        if (!agent.Active || current is { State: AgentInvitationDto.Accepted })
            return current;
        if (current is null || !SameAddress(current.SentTo, agent.Email))
            return Sent(agent.Email.Trim(), now);
        return current;
    }

    /// <summary>The person followed the link: a pending invitation of an active agent becomes Accepted (again accepting changes nothing).</summary>
    public static string? CannotAccept(AgentDto agent) => agent switch
    {
        { Invitation: null } => "no invitation has been sent to this agent (an agent saved inactive is invited when activated)",
        { Invitation.State: AgentInvitationDto.Accepted } => null,
        { Active: false } => "the agent is deactivated; an invitation cannot be accepted until it is active again",
        _ => null,
    };

    public static AgentDto Accept(AgentDto agent, DateTimeOffset now) =>
        agent.Invitation is { State: AgentInvitationDto.Invited } pending
            ? agent with { Invitation = pending with { State = AgentInvitationDto.Accepted, AcceptedAt = now } }
            : agent;

    /// <summary>Only a pending invitation of an active agent can be sent again; accepted is final.</summary>
    public static string? CannotResend(AgentDto agent) => agent switch
    {
        { Invitation.State: AgentInvitationDto.Accepted } => "the invitation was already accepted",
        { Active: false } => "the agent is deactivated; it is invited again only once active",
        _ => null,
    };

    public static AgentDto Resend(AgentDto agent, DateTimeOffset now) => agent with { Invitation = Sent(agent.Email, now) };

    private static AgentInvitationDto Sent(string address, DateTimeOffset now) =>
        new() { State = AgentInvitationDto.Invited, SentTo = address, InvitedAt = now };

    private static bool SameAddress(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}

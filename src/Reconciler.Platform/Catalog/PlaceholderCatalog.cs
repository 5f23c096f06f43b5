using System.Collections.Frozen;
using Reconciler.Platform.Contract;

namespace Reconciler.Platform.Catalog;

/// <summary>The placeholders a reply template may use: what the console fills in when an agent inserts a quick response.</summary>
internal static class PlaceholderCatalog
{
    public static IReadOnlyList<PlaceholderDto> All { get; } =
    [
        Of("customer.name", "The customer's full name."),
        Of("customer.firstName", "The customer's first name."),
        Of("customer.email", "The customer's e-mail address."),
        Of("customer.phone", "The customer's phone number."),
        Of("agent.name", "The replying agent's display name."),
        Of("agent.firstName", "The replying agent's first name."),
        Of("organization.name", "The organisation's display name."),
        Of("businessUnit.name", "The business unit the conversation is routed to."),
        Of("chat.id", "The conversation's id."),
        Of("ticket.id", "The ticket's id, when the conversation has one."),
        Of("date.today", "Today's date in the organisation's time zone."),
        Of("officeHours.today", "Today's opening hours of the conversation's business unit."),
    ];

    public static FrozenSet<string> Names { get; } = All.Select(p => p.Name).ToFrozenSet(StringComparer.Ordinal);

    private static PlaceholderDto Of(string name, string description) => new() { Name = name, Description = description };
}

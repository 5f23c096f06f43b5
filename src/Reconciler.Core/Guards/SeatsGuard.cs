using System.Globalization;
using Reconciler.Core.Impact;
using Reconciler.Core.Resources;

namespace Reconciler.Core.Guards;

/// <summary>
/// Refuses a plan that leaves more active agents than the account has seats when it activates agents and raises their
/// number; an organisation already over its seats is warned about, without refusing unrelated changes. Accounts
/// without a seat limit (the platform reports no licence) are never checked.
/// </summary>
public sealed class SeatsGuard : IPlanGuard
{
    public string Name => "seats";

    /// <summary>Within the seats, or no more active agents than before (a warning at most), is known from the totals.</summary>
    public IReadOnlyList<GuardViolation>? QuickCheck(GuardInput input)
    {
        if (OrgSnapshot.SeatsBoughtOf(input.Before.Organization?.Fields) is not int bought)
            return [];
        var (before, after) = (input.Before.Totals.ActiveAgents, input.After.Totals.ActiveAgents);
        if (after <= bought)
            return [];
        return after <= before ? [OverSeats(after, bought)] : null;
    }

    public IEnumerable<GuardViolation> Check(GuardInput input)
    {
        if (SeatUsage.Of(input.States) is not { IsOver: true } seats)
            yield break;
        var activated = SeatUsage.Activated(input.States).ToList();
        if (seats.After <= seats.Before || activated.Count == 0)
        {
            yield return OverSeats(seats.After, seats.Bought);
            yield break;
        }

        var who = string.Join(", ", activated.Take(10).Select(p => p.Name)) + (activated.Count > 10 ? ", …" : "");
        yield return new GuardViolation(
            string.Create(CultureInfo.InvariantCulture, $"the plan leaves {Agents(seats.After)} but {seats.Bought} seats are bought ({seats.After - seats.Bought} over); it activates {activated.Count}: {who}"),
            [.. activated.Select(p => input.States.AddressOf(p.Id)).OfType<ResourceId>().Distinct()]);
    }

    private static GuardViolation OverSeats(int active, int bought) => new(
        string.Create(CultureInfo.InvariantCulture, $"the organisation has {Agents(active)} but {bought} seats bought ({active - bought} over)"),
        [],
        WarningOnly: true);

    private static string Agents(int count) => count == 1 ? "1 active agent" : string.Create(CultureInfo.InvariantCulture, $"{count} active agents");
}

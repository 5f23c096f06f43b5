namespace Reconciler.Core.Guards;

/// <summary>Evaluates every guard on a plan, before anything is written; pure.</summary>
public static class PlanGuards
{
    public static IReadOnlyList<IPlanGuard> All { get; } = [new AdminsGuard(), new SignInGuard(), new MassChangeGuard(), new OrphansGuard(), new SeatsGuard()];

    public static IReadOnlySet<string> Names { get; } = All.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every guard's findings: its quick answer from the totals where it has one, else its full check.</summary>
    public static IReadOnlyList<GuardFinding> Evaluate(GuardInput input) => Evaluate(input, quick: true);

    /// <summary>Every guard's full check, the totals ignored: what the quick answers must agree with.</summary>
    internal static IReadOnlyList<GuardFinding> EvaluateFully(GuardInput input) => Evaluate(input, quick: false);

    private static IReadOnlyList<GuardFinding> Evaluate(GuardInput input, bool quick)
    {
        ArgumentNullException.ThrowIfNull(input);
        var policy = input.Policy;
        ArgumentNullException.ThrowIfNull(policy);
        return
        [
            .. All.SelectMany(guard => ((quick ? guard.QuickCheck(input) : null) ?? guard.Check(input)).Select(v => new GuardFinding(
                guard.Name,
                v.WarningOnly ? GuardVerdict.Warning : policy.Allowed.Contains(guard.Name) ? GuardVerdict.Allowed : GuardVerdict.Refused,
                v.Message,
                v.Resources,
                policy.HowToAllow(guard.Name)))),
        ];
    }

    /// <summary>The guard names in a comma-separated list (<c>admins,orphans</c>), or the first unknown name.</summary>
    public static (IReadOnlySet<string> Names, string? Unknown) Parse(IEnumerable<string> values)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var normalized = name.ToLowerInvariant();
            if (!Names.Contains(normalized))
                return (names, name);
            names.Add(normalized);
        }

        return (names, null);
    }
}

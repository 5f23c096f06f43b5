namespace Reconciler.Core.Guards;

/// <summary>The limits the guards enforce and the guards explicitly allowed for this run.</summary>
public sealed record GuardPolicy
{
    public const int DefaultMinAdmins = 2;

    public const double DefaultMaxRemovalFraction = 0.25;

    /// <summary>Fewest active admins a plan may leave; zero is refused even when this is 0.</summary>
    public int MinAdmins { get; init; } = DefaultMinAdmins;

    /// <summary>Largest share of active agents one run may deactivate, delete or demote.</summary>
    public double MaxRemovalFraction { get; init; } = DefaultMaxRemovalFraction;

    /// <summary>Guards overridden for this run (<c>--allow</c>, or the PlatformConnection's annotation).</summary>
    public IReadOnlySet<string> Allowed { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>How the user overrides a guard where the plan is made; <c>{0}</c> is the guard's name.</summary>
    public string OverrideHint { get; init; } = "--allow {0}";

    public string HowToAllow(string guard) => string.Format(System.Globalization.CultureInfo.InvariantCulture, OverrideHint, guard);
}

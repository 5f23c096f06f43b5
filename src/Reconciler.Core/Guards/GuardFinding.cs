using Reconciler.Core.Resources;

namespace Reconciler.Core.Guards;

/// <summary>What became of a guard's finding: it stops the plan, it was overridden, or it only warns (a state the plan did not cause).</summary>
public enum GuardVerdict
{
    Refused,
    Allowed,
    Warning,
}

/// <summary>One guard tripped (or warning): the guard's name, what it found, the resources that trip it and how to override it.</summary>
public sealed record GuardFinding(string Guard, GuardVerdict Verdict, string Message, IReadOnlyList<ResourceId> Resources, string Override);

/// <summary>What one guard found, before the allow list is applied; <see cref="WarningOnly"/> when the plan did not cause it.</summary>
public sealed record GuardViolation(string Message, IReadOnlyList<ResourceId> Resources, bool WarningOnly = false);

namespace Reconciler.Platform.Contract.Rules;

/// <summary>One broken wire rule: the field's JSON path (<c>weekly[1].closes</c>), the rule's code and what was expected.</summary>
public sealed record Violation(string Path, string Rule, string Expected)
{
    public override string ToString() => $"{Path}: {Expected}";
}

namespace Reconciler.Core.Resources;

/// <summary>
/// CEL expressions used by more than one <see cref="CelRuleAttribute"/>. They stay within what the
/// Kubernetes API server offers (the standard library plus its string extensions) and avoid
/// ordering strings, which not every CEL implementation supports: HH:MM becomes the integer HHMM.
/// </summary>
public static class CelRules
{
    /// <summary>A list of strings without two items that differ only in case.</summary>
    public const string DistinctIgnoringCase = "self.all(a, self.exists_one(b, b.lowerAscii() == a.lowerAscii()))";

    /// <summary>A list of objects without two names that differ only in case.</summary>
    public const string NamesDistinctIgnoringCase = "self.all(a, self.exists_one(b, b.name.lowerAscii() == a.name.lowerAscii()))";

    /// <summary>An object with opens and closes (HH:MM) that closes after it opens.</summary>
    public const string ClosesAfterOpens = "!has(self.opens) || !has(self.closes) || int(self.opens.replace(':', '')) < int(self.closes.replace(':', ''))";
}

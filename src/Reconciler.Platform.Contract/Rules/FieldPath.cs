namespace Reconciler.Platform.Contract.Rules;

/// <summary>
/// A field's JSON path as its parts (<c>languages</c>, 2 and <c>name</c> for <c>languages[2].name</c>): the rules check
/// every item of every list, and the text is made only for the few that break a rule.
/// </summary>
internal readonly record struct FieldPath(string Field, int Index = -1, string? Member = null)
{
    public static implicit operator FieldPath(string field) => new(field);

    public override string ToString() => (Index, Member) switch
    {
        (< 0, null) => Field,
        (< 0, _) => $"{Field}.{Member}",
        (_, null) => $"{Field}[{Index}]",
        _ => $"{Field}[{Index}].{Member}",
    };
}

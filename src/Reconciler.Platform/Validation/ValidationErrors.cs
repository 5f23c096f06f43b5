namespace Reconciler.Platform.Validation;

/// <summary>Per-field validation messages keyed by JSON path (<c>oidc.clientId</c>, <c>weekly[1].opens</c>).</summary>
internal sealed class ValidationErrors
{
    private readonly SortedDictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0 && Malformed is null;

    /// <summary>
    /// Why the body could not be read as JSON at all: the client's syntax error (400), not a field to correct (422).
    /// </summary>
    public string? Malformed { get; private set; }

    public void AddMalformed(string detail) => Malformed ??= detail;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }

        if (!list.Contains(message))
        {
            list.Add(message);
        }
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}

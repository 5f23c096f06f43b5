using System.Globalization;

namespace Reconciler.Platform.Validation;

/// <summary>Per-field validation messages keyed by JSON path (<c>oidc.clientId</c>, <c>weekly[1].opens</c>).</summary>
internal sealed class ValidationErrors
{
    /// <summary>
    /// Fields a problem lists: a body of a few megabytes with an error in every item of a list would otherwise be answered
    /// with several times its size, one entry per item; the first fields found say what is wrong.
    /// </summary>
    public const int MaxFields = 100;

    private readonly SortedDictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _omitted = new(StringComparer.Ordinal);

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
            if (_errors.Count >= MaxFields)
            {
                _omitted.Add(field);
                return;
            }

            list = [];
            _errors[field] = list;
        }

        if (!list.Contains(message))
        {
            list.Add(message);
        }
    }

    public Dictionary<string, string[]> ToDictionary()
    {
        var errors = _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
        if (_omitted.Count > 0)
        {
            var omitted = string.Create(CultureInfo.InvariantCulture, $"{_omitted.Count:N0} more fields are invalid; the first {MaxFields} are listed");
            errors["$"] = [.. errors.GetValueOrDefault("$", []), omitted];
        }

        return errors;
    }
}

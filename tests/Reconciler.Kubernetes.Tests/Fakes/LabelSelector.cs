using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Reconciler.Kubernetes.Tests.Fakes;

/// <summary>
/// A parsed Kubernetes label selector: equality (<c>a=b</c>, <c>a==b</c>, <c>a!=b</c>), set
/// (<c>a in (x,y)</c>, <c>a notin (x)</c>) and existence (<c>a</c>, <c>!a</c>) requirements, all of which must hold.
/// </summary>
public sealed partial class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    private enum Operator
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> with the offending requirement.</summary>
    public static LabelSelector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part));
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(JsonObject? labels)
    {
        foreach (var requirement in _requirements)
        {
            var value = labels?[requirement.Key] is JsonValue node && node.TryGetValue<string>(out var text) ? text : null;
            var satisfied = requirement.Operator switch
            {
                Operator.Exists => value is not null,
                Operator.DoesNotExist => value is null,
                Operator.Equals or Operator.In => value is not null && requirement.Values.Contains(value),
                Operator.NotEquals or Operator.NotIn => value is null || !requirement.Values.Contains(value),
                _ => false,
            };
            if (!satisfied)
            {
                return false;
            }
        }

        return true;
    }

    private static Requirement ParseRequirement(string text)
    {
        if (text.StartsWith('!'))
        {
            var key = text[1..].Trim();
            return KeyPattern().IsMatch(key)
                ? new Requirement(key, Operator.DoesNotExist, new HashSet<string>())
                : throw new FormatException($"Invalid label selector requirement '{text}'.");
        }

        if (EqualityPattern().Match(text) is { Success: true } equality)
        {
            var op = equality.Groups["op"].Value == "!=" ? Operator.NotEquals : Operator.Equals;
            return new Requirement(equality.Groups["key"].Value, op, new HashSet<string>(StringComparer.Ordinal) { equality.Groups["value"].Value });
        }

        if (SetPattern().Match(text) is { Success: true } set)
        {
            var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            return new Requirement(set.Groups["key"].Value, set.Groups["op"].Value == "in" ? Operator.In : Operator.NotIn, values);
        }

        return KeyPattern().IsMatch(text)
            ? new Requirement(text, Operator.Exists, new HashSet<string>())
            : throw new FormatException($"Invalid label selector requirement '{text}'.");
    }

    /// <summary>Splits on commas outside parentheses, so <c>a in (x,y),b</c> is two requirements.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0))
            {
                var part = text[start..i].Trim();
                if (part.Length > 0)
                {
                    yield return part;
                }

                start = i + 1;
            }
            else if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9][A-Za-z0-9._/-]*)\s*(?<op>==|!=|=)\s*(?<value>[A-Za-z0-9._-]*)$")]
    private static partial Regex EqualityPattern();

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9][A-Za-z0-9._/-]*)\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$")]
    private static partial Regex SetPattern();

    private sealed record Requirement(string Key, Operator Operator, IReadOnlySet<string> Values);
}

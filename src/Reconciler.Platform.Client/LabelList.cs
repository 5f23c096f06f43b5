using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Reconciler.Platform.Client;

/// <summary>
/// An observed object's few labels as one array of names and values, searched in order, read as a dictionary in the
/// order first set (as <see cref="Dictionary{TKey, TValue}"/> enumerates without removals): a dictionary per object
/// was a tenth of what an observation keeps per agent.
/// </summary>
internal sealed class LabelList : IReadOnlyDictionary<string, string>
{
    /// <summary>More labels than this are kept in a dictionary: a search in order would cost more than it saves.</summary>
    public const int MaxListed = 16;

    // Name, value, name, value...
    private readonly string[] _pairs;

    private LabelList(string[] pairs) => _pairs = pairs;

    public int Count => _pairs.Length / 2;

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<string> Values => this.Select(p => p.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No label '{key}'.");

    /// <summary>The labels of <paramref name="pairs"/> (name, value; a later value of a name replaces the earlier one).</summary>
    public static IReadOnlyDictionary<string, string> Of(List<KeyValuePair<string, string>> pairs)
    {
        if (pairs.Count > MaxListed)
        {
            var map = new Dictionary<string, string>(pairs.Count, StringComparer.Ordinal);
            foreach (var (name, value) in pairs)
                map[name] = value;
            return map;
        }

        var list = new List<string>(pairs.Count * 2);
        foreach (var (name, value) in pairs)
        {
            var at = IndexOf(list, name);
            if (at >= 0)
            {
                list[at + 1] = value;
            }
            else
            {
                list.Add(name);
                list.Add(value);
            }
        }

        return new LabelList([.. list]);
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < _pairs.Length; i += 2)
        {
            if (string.Equals(_pairs[i], key, StringComparison.Ordinal))
            {
                value = _pairs[i + 1];
                return true;
            }
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var i = 0; i < _pairs.Length; i += 2)
            yield return KeyValuePair.Create(_pairs[i], _pairs[i + 1]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static int IndexOf(List<string> pairs, string name)
    {
        for (var i = 0; i < pairs.Count; i += 2)
        {
            if (string.Equals(pairs[i], name, StringComparison.Ordinal))
                return i;
        }

        return -1;
    }
}

using System.Globalization;
using System.Text;
using CsCheck;
using Reconciler.Platform.Api;

namespace Reconciler.Platform.Tests.Api;

public sealed class IdempotencyFingerprintTests
{
    [Theory]
    [InlineData("""{"name":"vip","tags":[]}""", """{"tags":[],"name":"vip"}""", "member order")]
    [InlineData("""{"name":"vip","tags":[]}""", " {\n\t\"name\" : \"vip\" ,\r\n \"tags\" : [ ] } ", "whitespace")]
    [InlineData("""{"name":"A"}""", """{"name":"\u0041"}""", "an escaped letter")]
    [InlineData("""{"name":"A"}""", """{"\u006eame":"A"}""", "an escaped letter in a member name")]
    [InlineData("""{"name":"é"}""", """{"name":"\u00E9"}""", "an escaped non-ASCII letter, upper-case hex")]
    [InlineData("""{"name":"é"}""", """{"name":"\u00e9"}""", "an escaped non-ASCII letter, lower-case hex")]
    [InlineData("""{"path":"a/b"}""", """{"path":"a\/b"}""", "an escaped solidus")]
    [InlineData("""{"text":"a\nb"}""", """{"text":"a\u000ab"}""", "a short escape and its \\u form")]
    [InlineData("""{"emoji":"😀"}""", """{"emoji":"\ud83d\ude00"}""", "a surrogate pair escaped")]
    [InlineData("""{"a":{"y":1,"x":[{"q":true,"p":null}]}}""", """{"a":{"x":[{"p":null,"q":true}],"y":1}}""", "nested member order")]
    public void Formatting_never_makes_another_request(string first, string second, string why)
    {
        Fingerprint(second).Should().Be(Fingerprint(first), why);
    }

    [Theory]
    [InlineData("""{"name":"vip"}""", """{"name":"VIP"}""", "a string's case")]
    [InlineData("""{"name":"vip"}""", """{"name":"vip "}""", "whitespace inside a string")]
    [InlineData("""{"tags":["a","b"]}""", """{"tags":["b","a"]}""", "the order of an array")]
    [InlineData("""{"limit":1}""", """{"limit":1.0}""", "a number's text: 1.0 is kept as written")]
    [InlineData("""{"limit":1}""", """{"limit":"1"}""", "a number and a string")]
    [InlineData("""{"active":true}""", """{"active":false}""", "a boolean")]
    [InlineData("""{"supervisorId":null}""", """{}""", "null and absent")]
    [InlineData("""{"name":"vip"}""", """{"Name":"vip"}""", "a member name's case")]
    [InlineData("""{"a":{"b":1}}""", """{"a":[{"b":1}]}""", "an object and an array holding it")]
    [InlineData("""{"name":"vip"}""", """{"name":"vip",}""", "a body that is no JSON (compared as bytes)")]
    public void Any_other_value_is_another_request(string first, string second, string why)
    {
        Fingerprint(second).Should().NotBe(Fingerprint(first), why);
    }

    [Fact]
    public void Reformatting_never_changes_the_fingerprint()
    {
        Gen.Select(Trees, Gen.Int, Gen.Int).Sample(
            (tree, seed1, seed2) => Fingerprint(Render(tree, new Random(seed1))) == Fingerprint(Render(tree, new Random(seed2))),
            iter: 2000);
    }

    [Fact]
    public void Changing_any_value_or_member_changes_the_fingerprint()
    {
        Gen.Select(Trees, Gen.Int[0, 1000], Gen.Int, Gen.Int).Sample(
            (tree, at, seed1, seed2) => Fingerprint(Render(tree, new Random(seed1))) != Fingerprint(Render(Change(tree, at % Count(tree)), new Random(seed2))),
            iter: 2000);
    }

    private static string Fingerprint(string json) => IdempotencyFingerprint.Of(Encoding.UTF8.GetBytes(json));

    /// <summary>A JSON value: a string, a number or literal's text, an array or an object with distinct member names.</summary>
    private abstract record Json;

    private sealed record Text(string Value) : Json;

    private sealed record Token(string Raw) : Json;

    private sealed record Items(List<Json> Values) : Json;

    private sealed record Members(List<(string Name, Json Value)> Values) : Json;

    /// <summary>Characters that JSON writes in more than one way: quotes, backslashes, controls, non-ASCII, a surrogate pair.</summary>
    private static readonly Gen<string> Strings =
        Gen.OneOf("a", "B", "z", " ", "\"", "\\", "/", "\n", "\t", "\u0001", "é", "€", "😀", "<", "&", "'").List[0, 5].Select(parts => string.Concat(parts));

    private static readonly Gen<Json> Leaves = Gen.OneOf<Json>(
        Strings.Select(s => (Json)new Text(s)),
        Gen.OneOf("0", "-1", "7", "1.0", "12.50", "1e3", "-0.5E-2", "true", "false", "null").Select(t => (Json)new Token(t)));

    private static readonly Gen<Json> Trees = Gen.Recursive<Json>((depth, tree) => depth >= 3
        ? Leaves
        : Gen.Frequency(
            (3, Leaves),
            (1, tree.List[0, 4].Select(values => (Json)new Items(values))),
            (1, Gen.Select(Strings, tree).List[0, 4].Select(members => (Json)new Members(members.DistinctBy(m => m.Item1).ToList())))));

    private static readonly string[] Spaces = ["", " ", "\n", "\t", "\r\n  "];

    /// <summary>The value as JSON with random whitespace, member order and escapes.</summary>
    private static string Render(Json value, Random random)
    {
        var json = new StringBuilder();
        Write(value);
        return json.ToString();

        void Space() => json.Append(Spaces[random.Next(Spaces.Length)]);

        void Write(Json node)
        {
            Space();
            switch (node)
            {
                case Text text:
                    WriteString(text.Value);
                    break;
                case Token token:
                    json.Append(token.Raw);
                    break;
                case Items items:
                    json.Append('[');
                    for (var i = 0; i < items.Values.Count; i++)
                    {
                        json.Append(i == 0 ? "" : ",");
                        Write(items.Values[i]);
                    }

                    Space();
                    json.Append(']');
                    break;
                case Members members:
                    json.Append('{');
                    var shuffled = members.Values.ToArray();
                    random.Shuffle(shuffled);
                    for (var i = 0; i < shuffled.Length; i++)
                    {
                        json.Append(i == 0 ? "" : ",");
                        Space();
                        WriteString(shuffled[i].Name);
                        Space();
                        json.Append(':');
                        Write(shuffled[i].Value);
                    }

                    Space();
                    json.Append('}');
                    break;
            }

            Space();
        }

        void WriteString(string value)
        {
            json.Append('"');
            foreach (var rune in value.EnumerateRunes())
            {
                var c = rune.IsBmp ? (char)rune.Value : '\0';
                var shortEscape = c switch { '"' => "\\\"", '\\' => "\\\\", '/' => "\\/", '\n' => "\\n", '\t' => "\\t", _ => null };
                var mustEscape = rune.IsBmp && c is '"' or '\\' or < ' ';
                switch (random.Next(3))
                {
                    case 0 when !mustEscape:
                        json.Append(rune.ToString());
                        break;
                    case 1 when shortEscape is not null:
                        json.Append(shortEscape);
                        break;
                    default:
                        // Beyond the BMP a character is escaped as its surrogate pair, both halves.
                        foreach (var unit in rune.ToString())
                        {
                            json.Append("\\u").Append(((int)unit).ToString(random.Next(2) == 0 ? "x4" : "X4", CultureInfo.InvariantCulture));
                        }

                        break;
                }
            }

            json.Append('"');
        }
    }

    private static int Count(Json value) => value switch
    {
        Items items => 1 + items.Values.Sum(Count),
        Members members => 1 + members.Values.Sum(m => Count(m.Value)),
        _ => 1,
    };

    /// <summary>
    /// The value with its <paramref name="at"/>-th node (pre-order) changed: a leaf gets another value, an array loses its
    /// last item or gains one, an object renames a member or gains one.
    /// </summary>
    private static Json Change(Json value, int at)
    {
        if (at == 0)
        {
            return value switch
            {
                Text text => new Text(text.Value + "~"),
                Token token => new Token(token.Raw == "7" ? "8" : "7"),
                Items { Values.Count: > 0 } items => new Items(items.Values[..^1]),
                Items => new Items([new Token("null")]),
                Members { Values: [var first, .. var rest] } => new Members([(first.Name + "~", first.Value), .. rest]),
                _ => new Members([("~", new Token("null"))]),
            };
        }

        var offset = 1;
        switch (value)
        {
            case Items items:
                return new Items(items.Values.Select(item => Within(item)).ToList());
            case Members members:
                return new Members(members.Values.Select(m => (m.Name, Within(m.Value))).ToList());
            default:
                throw new ArgumentOutOfRangeException(nameof(at));
        }

        Json Within(Json child)
        {
            var size = Count(child);
            var changed = at >= offset && at < offset + size ? Change(child, at - offset) : child;
            offset += size;
            return changed;
        }
    }
}

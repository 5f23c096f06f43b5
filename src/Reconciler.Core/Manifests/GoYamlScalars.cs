using System.Numerics;
using System.Text.RegularExpressions;

namespace Reconciler.Core.Manifests;

/// <summary>
/// How go-yaml's YAML 1.1 resolver (gopkg.in/yaml.v2, which sigs.k8s.io/yaml and so kubectl, kustomize, Argo CD and Flux
/// read manifests with) reads a plain scalar where the core schema reads it otherwise: the CLI refuses what the cluster
/// would read as another type, rather than send a file kubectl would send differently.
/// </summary>
internal static partial class GoYamlScalars
{
    /// <summary>The boolean go-yaml reads a plain (or <c>!!bool</c>-tagged) scalar as, case by case as its table spells them, else null.</summary>
    public static bool? Boolean(string value) => value switch
    {
        "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON" => true,
        "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF" => false,
        _ => null,
    };

    /// <summary>
    /// What go-yaml reads a plain scalar as when the core schema reads it as text ("the boolean false"), else null:
    /// YAML 1.1's yes/no/on/off words, and numbers (from a digit or a sign) with underscores, upper-case prefixes, a sign
    /// before a prefix, or in binary.
    /// </summary>
    public static string? NonTextReading(string value)
    {
        if (value.Length == 0)
            return null;
        if (value.Length <= 3 && Boolean(value) is { } flag)
            return flag ? "the boolean true" : "the boolean false";
        if (value[0] is not ('-' or '+' or '.' or (>= '0' and <= '9')))
            return null; // what every number starts with; most values are names and skip the rest
        if (!value.Contains('_', StringComparison.Ordinal))
            return IsGoInteger(value) || FloatPattern().IsMatch(value) ? "a number" : null;

        // From a digit or a sign, go-yaml drops every underscore before parsing; from a dot, Go's ParseFloat takes an
        // underscore only between two digits.
        if (value[0] == '.' && !UnderscoresSeparateDigits(value))
            return null;
        var plain = value.Replace("_", "", StringComparison.Ordinal);
        return (value[0] != '.' && IsGoInteger(plain)) || FloatPattern().IsMatch(plain) ? "a number" : null;
    }

    /// <summary>
    /// The whole number kubectl sends for a plain scalar, or null when it sends none (text, a fraction, a number beyond
    /// what the API server takes as an integer). go-yaml drops a number's underscores and reads it with Go's
    /// <c>strconv.ParseInt(s, 0, 64)</c> (a sign, then 0x, 0o or 0b in either case, or a leading zero for octal), else
    /// as a float, which encoding/json writes as an integer when it is whole (<c>5.0</c>, <c>1e1</c>, <c>09</c>); the API
    /// server takes a whole float as an integer up to 2^53.
    /// </summary>
    public static BigInteger? WholeNumber(string value)
    {
        if (value.Length == 0 || value[0] is not ('-' or '+' or '.' or (>= '0' and <= '9')))
            return null;
        if (value[0] == '.' && value.Contains('_', StringComparison.Ordinal) && !UnderscoresSeparateDigits(value))
            return null;
        var plain = value.Replace("_", "", StringComparison.Ordinal);
        if (value[0] != '.' && GoInteger(plain) is { } integer)
            return integer;
        if (!FloatPattern().IsMatch(plain))
            return null;
        var number = double.Parse(plain, System.Globalization.CultureInfo.InvariantCulture);
        return double.IsFinite(number) && Math.Floor(number) == number && Math.Abs(number) <= LargestWholeDouble
            ? new BigInteger(number)
            : null;
    }

    /// <summary>Whether a number the core schema reads is too large for a double: Go's ParseFloat fails on it, so go-yaml keeps it as text.</summary>
    public static bool OverflowsToText(string value) =>
        FloatPattern().IsMatch(value) && double.IsInfinity(double.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Whether go-yaml writes a float key back as the same text (it formats a key's float as Go's
    /// <c>FormatFloat(v, 'g', -1, 32)</c>): a plain decimal below a million with no trailing zero, as a float's shortest text.
    /// </summary>
    public static bool FloatKeyStaysText(string key) =>
        PlainDecimal().IsMatch(key)
        && float.TryParse(key, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
        && value.ToString(System.Globalization.CultureInfo.InvariantCulture) == key;

    private static bool UnderscoresSeparateDigits(string text)
    {
        for (var i = text.IndexOf('_', StringComparison.Ordinal); i >= 0; i = text.IndexOf('_', i + 1))
        {
            if (i == 0 || i == text.Length - 1 || !char.IsAsciiDigit(text[i - 1]) || !char.IsAsciiDigit(text[i + 1]))
                return false;
        }

        return true;
    }

    /// <summary>The value of <paramref name="text"/> in Go's <c>strconv.ParseInt(text, 0, …)</c> syntax, of any size; null when it is not one.</summary>
    private static BigInteger? GoInteger(string text)
    {
        if (!IsGoInteger(text))
            return null;
        var negative = text[0] == '-';
        var digits = text.AsSpan().TrimStart("+-");
        var prefixed = digits.Length > 2 && digits[0] == '0' && char.ToLowerInvariant(digits[1]) is 'x' or 'o' or 'b';
        var radix = prefixed ? char.ToLowerInvariant(digits[1]) switch { 'x' => 16, 'o' => 8, _ => 2 } : digits.Length > 1 && digits[0] == '0' ? 8 : 10;
        var rest = prefixed ? digits[2..] : digits;
        if (radix == 8 && rest.ContainsAnyExceptInRange('0', '7'))
            return null; // 09: not octal; go-yaml then reads it as the float 9
        // Up to 15 digits fit a long in any base (16^15 = 2^60): every number a manifest holds, without BigInteger's arithmetic.
        if (rest.Length <= 15)
        {
            var small = 0L;
            foreach (var digit in rest)
                small = (small * radix) + DigitValue(digit);
            return negative ? -small : small;
        }

        var value = BigInteger.Zero;
        foreach (var digit in rest)
            value = (value * radix) + DigitValue(digit);
        return negative ? -value : value;
    }

    private static int DigitValue(char digit) => digit <= '9' ? digit - '0' : (digit | 0x20) - 'a' + 10;

    /// <summary>Whether Go's <c>strconv.ParseInt(text, 0, 64)</c> syntax (an optional sign, then decimal, or 0x/0o/0b in either case, or a leading-zero octal) holds; yaml.v2 also takes 0b binary this way.</summary>
    private static bool IsGoInteger(string text)
    {
        var digits = text.AsSpan().TrimStart("+-");
        if (digits.Length < text.Length - 1 || digits.IsEmpty)
            return false;
        if (digits.Length > 2 && digits[0] == '0' && char.ToLowerInvariant(digits[1]) is 'x' or 'o' or 'b')
        {
            var rest = digits[2..];
            return char.ToLowerInvariant(digits[1]) switch
            {
                'x' => !rest.ContainsAnyExcept("0123456789abcdefABCDEF"),
                'o' => !rest.ContainsAnyExceptInRange('0', '7'),
                _ => !rest.ContainsAnyExceptInRange('0', '1'),
            };
        }

        return !digits.ContainsAnyExceptInRange('0', '9');
    }

    // 2^53: the largest whole float the API server (go-openapi's IsFloat64AJSONInteger) takes for an integer.
    private const double LargestWholeDouble = 9007199254740992;

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^-?(0|[1-9][0-9]{0,5})\.[0-9]*[1-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlainDecimal();
}

using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Core.Tests.Schema;

/// <summary>YAML as the API server sees it after its YAML-to-JSON step: maps, lists, strings, longs, booleans.</summary>
internal static partial class YamlToJson
{
    public static object? FromYaml(YamlNode node, YamlMappingNode? schema = null) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => FromYaml(e.Value), StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(c => FromYaml(c)).ToList(),
        YamlScalarNode scalar => Scalar(scalar, schema?.Scalar("type")),
        _ => throw new InvalidOperationException($"unexpected node {node}"),
    };

    /// <summary>A stable text for comparing list items.</summary>
    public static string Key(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    private static object? Scalar(YamlScalarNode scalar, string? type)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any))
            return text;
        if (type == "string")
            return text; // defaults rendered by the generator are typed by their schema
        if (text is "" or "~" or "null")
            return null;
        if (text is "true" or "false")
            return text == "true";
        if (Integer().IsMatch(text))
            return long.Parse(text, CultureInfo.InvariantCulture);
        return text;
    }

    [GeneratedRegex("^-?[0-9]+$")]
    private static partial Regex Integer();
}

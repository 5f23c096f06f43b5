using System.Globalization;
using System.Text.Json.Nodes;
using Reconciler.Platform.Contract.Rules;

namespace Reconciler.Core.Manifests;

internal sealed partial class ShapeChecker
{
    private static readonly ScalarShape AnyString = new(ScalarKind.String);
    private static readonly ScalarShape AnyInteger = new(ScalarKind.Integer);
    private static readonly ScalarShape AnyBoolean = new(ScalarKind.Boolean);

    /// <summary>
    /// A free-form node as JSON, each scalar taken by its YAML type and checked as a field of that type is: a value
    /// kubectl would send otherwise (<c>no</c>, <c>010</c>) is reported here as anywhere else.
    /// </summary>
    private JsonNode? FreeForm(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var result = new JsonObject();
                foreach (var (key, value) in mapping.Entries)
                {
                    if (KeyReadOtherwise(key) is { } problem)
                    {
                        Error(DiagnosticCodes.WrongType, key.Start, problem);
                        continue;
                    }

                    // A duplicate key is reported where the document is read.
                    if (result.ContainsKey(key.Value))
                    {
                        Failed = true;
                        continue;
                    }

                    var parent = Enter(key.Value);
                    result[key.Value] = FreeForm(value);
                    Leave(parent);
                }

                return result;
            case YamlSequenceNode sequence:
                var items = new JsonArray();
                for (var i = 0; i < sequence.Items.Length; i++)
                {
                    var parent = EnterItem(i);
                    items.Add(FreeForm(sequence.Items[i]));
                    Leave(parent);
                }

                return items;
            default:
                var scalar = (YamlScalarNode)node;
                return Resolve(scalar) switch
                {
                    Scalar.Null => null,
                    Scalar.Boolean => Check(scalar, AnyBoolean) is bool flag ? JsonValue.Create(flag) : null,
                    Scalar.Integer => Check(scalar, AnyInteger) is long number ? JsonValue.Create(number) : null,
                    Scalar.Float => Number(scalar),
                    _ => Check(scalar, AnyString) is string text ? JsonValue.Create(text) : null,
                };
        }
    }

    /// <summary>A float as a JSON number; <c>.inf</c> and <c>.nan</c> have none, and kubectl cannot send them.</summary>
    private JsonValue? Number(YamlScalarNode scalar)
    {
        if (double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return JsonValue.Create(number);
        Error(DiagnosticCodes.WrongType, scalar.Start, $"{Excerpt.Of(scalar.Value)} is not a number JSON can carry, so kubectl cannot send it; quote it (\"{Excerpt.Of(scalar.Value)}\") if you mean the text");
        return null;
    }
}

using System.Text;
using System.Text.Json;
using Reconciler.Core.Manifests;

namespace Reconciler.Core.Tests.Manifests;

public sealed class JsonErrorPositionTests
{
    [Theory]
    [InlineData("{\"a\": x}", 1, 7)]
    [InlineData("{\"\u00e9\": x}", 1, 7)]
    [InlineData("[1,\n\"\u65e5\u672c\", x]", 2, 7)]
    [InlineData("[1,\r\n\"\U0001F600\", x]", 2, 7)]
    [InlineData("[\"\u00e9\",\n\n  x]", 3, 3)]
    [InlineData("{\"a\": 1", 1, 8)]
    [InlineData("{\"\u00e9\": 1", 1, 8)]
    public void The_column_counts_characters_not_bytes(string json, int line, int column)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var error = Parse(utf8);

        JsonErrorPosition.Of(utf8, error).Should().Be((line, column));
    }

    private static JsonException Parse(byte[] utf8)
    {
        try
        {
            using var _ = JsonDocument.Parse(utf8);
        }
        catch (JsonException e)
        {
            return e;
        }

        throw new InvalidOperationException("the JSON parsed");
    }
}

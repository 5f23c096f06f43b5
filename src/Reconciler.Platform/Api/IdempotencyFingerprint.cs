using System.Security.Cryptography;
using System.Text.Json;

namespace Reconciler.Platform.Api;

/// <summary>
/// What decides whether a create repeating an Idempotency-Key is the same request (replayed) or another one (422): the
/// SHA-256 of the body's JSON in a canonical form. A client's retry may serialise the same payload again with its members
/// in another order, other whitespace or other escapes (<c>\u0041</c> for <c>A</c>); that is the same request, and its
/// raw bytes differed. Members are sorted by name (ordinal, as RFC 8785 does), strings re-escaped one way, numbers kept
/// as written: neither the idempotency draft nor Stripe says <c>1.0</c> is <c>1</c>, and a server may read them apart.
/// </summary>
internal static class IdempotencyFingerprint
{
    /// <summary>JSON deeper than the request parser reads is refused anyway; its fingerprint is that of its bytes.</summary>
    private const int MaxDepth = 64;

    public static string Of(ReadOnlySpan<byte> body) => Convert.ToHexString(SHA256.HashData(Canonical(body) ?? body));

    /// <summary>
    /// Whether a recorded fingerprint is this request's. Records written before the canonical form hold the SHA-256 of
    /// the raw bytes, and nothing in the row says which kind it is; for the lifetime of such a record the same bytes sent
    /// again are still the same request (a reformatted retry of it cannot be recognised: its first bytes are gone).
    /// </summary>
    public static bool Matches(string recorded, string fingerprint, ReadOnlySpan<byte> body) =>
        recorded == fingerprint || recorded == Convert.ToHexString(SHA256.HashData(body));

    /// <summary>The canonical form, or null when the body is no JSON (the request is a 400 then, and its bytes are its fingerprint).</summary>
    private static byte[]? Canonical(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                Write(writer, document.RootElement);
            }

            return buffer.ToArray();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string escapes a lone surrogate, which no string can hold.
            return null;
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var member in element.EnumerateObject().OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(member.Name);
                    Write(writer, member.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                // Numbers, true, false and null: their text as written (a number's text is its value here).
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
        }
    }
}

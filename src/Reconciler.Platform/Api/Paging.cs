using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Reconciler.Platform.Api;

/// <summary>Opaque cursors: base64url of a versioned position, so clients cannot depend on their shape.</summary>
internal static class Cursor
{
    private const string Prefix = "c1:";

    public static string Encode(long position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + position.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string? cursor, out long position)
    {
        position = 0;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out position);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>Parses and checks <c>limit</c>.</summary>
internal static class Limits
{
    public const int Default = 100;

    public static bool TryParse(string? value, out int limit)
    {
        limit = Default;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= Contract.AdminApi.MaxPageSize;
    }
}

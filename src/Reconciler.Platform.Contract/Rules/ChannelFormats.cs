using System.Text.RegularExpressions;

namespace Reconciler.Platform.Contract.Rules;

/// <summary>
/// The value formats of channel settings that no other collection uses, in the same RE2-safe form as
/// <see cref="WireFormats"/> (the Channel CRD carries them too).
/// </summary>
public static partial class ChannelFormats
{
    /// <summary>A Telegram bot username: 5-32 letters, digits or '_', starting with a letter and ending in "bot" (any case).</summary>
    public const string TelegramUsername = "^[A-Za-z][A-Za-z0-9_]{1,28}[Bb][Oo][Tt]$";

    /// <summary>A numeric account id of a Meta product (WhatsApp Business account, Facebook page, Instagram account): 5-25 digits.</summary>
    public const string NumericId = "^[0-9]{5,25}$";

    public static bool IsTelegramUsername(string? value) => WireFormats.Whole(TelegramUsernameRegex(), value);

    public static bool IsNumericId(string? value) => WireFormats.Whole(NumericIdRegex(), value);

    [GeneratedRegex(TelegramUsername, RegexOptions.CultureInvariant)]
    private static partial Regex TelegramUsernameRegex();

    [GeneratedRegex(NumericId, RegexOptions.CultureInvariant)]
    private static partial Regex NumericIdRegex();
}

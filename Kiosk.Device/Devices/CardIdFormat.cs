using System.Globalization;

namespace Kiosk.Device.Devices;

/// <summary>How an office writes badge numbers. The roster stores badge ids in this format, so every reader
/// (RDM6300, PN532, USB wedge) normalises what it reads with the same function (issue 3, "Card readers").</summary>
public enum CardIdFormat
{
    /// <summary>The UID bytes as upper-case hex, e.g. "0A0018C3F2" (RDM6300) or "04A1B2C3" (MIFARE).</summary>
    Hex,

    /// <summary>The low 32 bits as a 10-digit decimal, as printed on EM4100 cards: "0001623026".</summary>
    Decimal10,
}

public static class CardIds
{
    /// <summary>Formats a card UID read from a reader (most significant byte first).</summary>
    public static string Format(ReadOnlySpan<byte> uid, CardIdFormat format)
    {
        if (uid.IsEmpty)
        {
            throw new ArgumentException("A card UID has at least one byte.", nameof(uid));
        }

        return format switch
        {
            CardIdFormat.Hex => Convert.ToHexString(uid),
            CardIdFormat.Decimal10 => Low32(uid).ToString("D10", CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown card id format."),
        };
    }

    /// <summary>Normalises what a keyboard-wedge reader typed. Such readers type the 10-digit decimal
    /// (hardware-protocols.md §4, unverified) or hex; both are brought to the office's format.</summary>
    public static bool TryFromTyped(string typed, CardIdFormat format, out string cardId)
    {
        cardId = string.Empty;
        var text = typed.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        if (text.All(char.IsAsciiDigit) && text.Length <= 10
            && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= uint.MaxValue)
        {
            var value = (uint)number;
            cardId = format == CardIdFormat.Decimal10
                ? value.ToString("D10", CultureInfo.InvariantCulture)
                : value.ToString("X8", CultureInfo.InvariantCulture);
            return true;
        }

        if (text.All(char.IsAsciiHexDigit) && text.Length % 2 == 0 && text.Length <= 20)
        {
            cardId = Format(Convert.FromHexString(text), format);
            return true;
        }

        return false;
    }

    private static uint Low32(ReadOnlySpan<byte> uid)
    {
        uint value = 0;
        var start = Math.Max(0, uid.Length - 4);
        foreach (var b in uid[start..])
        {
            value = (value << 8) | b;
        }

        return value;
    }
}

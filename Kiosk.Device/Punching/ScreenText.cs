using System.Globalization;
using Kiosk.Device.Devices;

namespace Kiosk.Device.Punching;

/// <summary>Fitting text to the 128×64 OLED: 4 lines of 16 columns, a hanzi (or any wide character) takes two
/// columns, ASCII one (hardware-protocols.md §6: Unifont 16×16 CJK, 8×16 ASCII → 8 hanzi or 16 ASCII a line).</summary>
internal static class ScreenText
{
    public const int Columns = 16;
    public const int Lines = 4;

    public static int Width(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var width = 0;
        foreach (var c in text)
        {
            width += c < 0x1100 ? 1 : 2;
        }

        return width;
    }

    /// <summary>Builds a screen, splitting a line that is too wide at its last space or full-width comma
    /// that fits (e.g. "上午签到 迟到2分钟" → "上午签到" / "迟到2分钟"), and keeping at most four lines.</summary>
    public static Screen Fit(params string?[] lines)
    {
        var result = new List<string>();
        foreach (var line in lines)
        {
            if (line is null)
            {
                continue;
            }

            var rest = line;
            while (Width(rest) > Columns)
            {
                var cut = BreakAt(rest);
                result.Add(rest[..cut].TrimEnd());
                rest = rest[cut..].TrimStart();
            }

            result.Add(rest);
        }

        return new Screen(result.Take(Lines).ToList());
    }

    public static string Hm(DateTimeOffset at) => at.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string Weekday(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "周一",
        DayOfWeek.Tuesday => "周二",
        DayOfWeek.Wednesday => "周三",
        DayOfWeek.Thursday => "周四",
        DayOfWeek.Friday => "周五",
        DayOfWeek.Saturday => "周六",
        _ => "周日",
    };

    private static int BreakAt(string text)
    {
        var width = 0;
        var lastBreak = -1;
        for (var i = 0; i < text.Length; i++)
        {
            width += text[i] < 0x1100 ? 1 : 2;
            if (width > Columns)
            {
                break;
            }

            if (text[i] == ' ')
            {
                lastBreak = i;
            }
            else if (text[i] == '，')
            {
                lastBreak = i + 1;
            }
        }

        if (lastBreak > 0)
        {
            return lastBreak;
        }

        // No break point: cut at the last character that fits.
        width = 0;
        for (var i = 0; i < text.Length; i++)
        {
            width += text[i] < 0x1100 ? 1 : 2;
            if (width > Columns)
            {
                return Math.Max(1, i);
            }
        }

        return text.Length;
    }
}

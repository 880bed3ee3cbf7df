using System.Globalization;
using Kiosk.Device.Devices;

namespace Kiosk.Device.Linux.Input;

/// <summary>Linux key codes the kiosk understands (hardware-protocols.md §4; linux include/uapi/linux/input-event-codes.h
/// for the navigation keys). Codes ignore the keyboard layout and NumLock: KP8 is always KP8.</summary>
public static class KeyCodes
{
    public const ushort Esc = 1;
    public const ushort Key1 = 2;   // KEY_1..KEY_9 = 2..10
    public const ushort Key0 = 11;
    public const ushort Backspace = 14;
    public const ushort Enter = 28;
    public const ushort LeftShift = 42;
    public const ushort RightShift = 54;
    public const ushort KpAsterisk = 55;
    public const ushort NumLock = 69;
    public const ushort KpMinus = 74;
    public const ushort KpPlus = 78;
    public const ushort KpDot = 83;
    public const ushort KpEnter = 96;
    public const ushort KpSlash = 98;
    public const ushort Up = 103;
    public const ushort Left = 105;
    public const ushort Right = 106;
    public const ushort Down = 108;

    // Keypad digits are not in code order (§4): KP7 71, KP8 72, KP9 73, KP4 75, KP5 76, KP6 77, KP1 79, KP2 80, KP3 81, KP0 82.
    private static readonly Dictionary<ushort, char> Characters = new()
    {
        [71] = '7', [72] = '8', [73] = '9', [75] = '4', [76] = '5', [77] = '6', [79] = '1', [80] = '2', [81] = '3', [82] = '0',
        [30] = 'A', [48] = 'B', [46] = 'C', [32] = 'D', [18] = 'E', [33] = 'F',
    };

    private static readonly Dictionary<ushort, string> Names = new()
    {
        [Esc] = "ESC", [Backspace] = "BACKSPACE", [Enter] = "ENTER", [LeftShift] = "LEFTSHIFT", [RightShift] = "RIGHTSHIFT",
        [KpAsterisk] = "KPASTERISK", [NumLock] = "NUMLOCK", [KpMinus] = "KPMINUS", [KpPlus] = "KPPLUS", [KpDot] = "KPDOT",
        [KpEnter] = "KPENTER", [KpSlash] = "KPSLASH", [Up] = "UP", [Left] = "LEFT", [Right] = "RIGHT", [Down] = "DOWN",
    };

    /// <summary>The character a wedge reader or keypad means: digits (top row and keypad) and hex letters A–F.</summary>
    public static bool TryGetChar(ushort code, out char character)
    {
        if (code is >= Key1 and <= Key0)
        {
            character = code == Key0 ? '0' : (char)('1' + (code - Key1));
            return true;
        }

        return Characters.TryGetValue(code, out character);
    }

    public static bool IsEnter(ushort code) => code is Enter or KpEnter;

    public static bool IsShift(ushort code) => code is LeftShift or RightShift;

    /// <summary>Menu keys for the secretary (documented in Devices/Keypad/README.md): digits, Enter/KPEnter,
    /// Backspace/Esc/`/` = back, Up/`-` and Down/`+` move, `*` = menu. NumLock and Shift give nothing.</summary>
    public static KeyPress? ToKeyPress(ushort code)
    {
        if (TryGetChar(code, out var character) && char.IsAsciiDigit(character))
        {
            return new KeyPress(KeyKind.Digit, character);
        }

        return code switch
        {
            Enter or KpEnter => new KeyPress(KeyKind.Enter),
            Backspace or Esc or KpSlash => new KeyPress(KeyKind.Back),
            Up or KpMinus => new KeyPress(KeyKind.Up),
            Down or KpPlus => new KeyPress(KeyKind.Down),
            KpAsterisk => new KeyPress(KeyKind.Menu),
            NumLock or LeftShift or RightShift => null,
            _ => new KeyPress(KeyKind.Other),
        };
    }

    public static string Name(ushort code)
    {
        if (Names.TryGetValue(code, out var name))
        {
            return name;
        }

        if (TryGetChar(code, out var character))
        {
            return code is >= 71 and <= 82 ? "KP" + character : character.ToString();
        }

        return "KEY_" + code.ToString(CultureInfo.InvariantCulture);
    }
}

using System.Globalization;

namespace Kiosk.Device.Devices.Text;

/// <summary>One bitmap glyph, 16 rows, 8 or 16 pixels wide (Unifont; hardware-protocols.md §6). Each row is kept as
/// the .hex file gives it: most significant bit = leftmost pixel.</summary>
public sealed class Glyph
{
    private readonly ushort[] _rows;

    private Glyph(int width, ushort[] rows)
    {
        Width = width;
        _rows = rows;
    }

    public int Width { get; }

    public static int Height => 16;

    public bool this[int x, int y] => x >= 0 && x < Width && y >= 0 && y < Height && ((_rows[y] >> (Width - 1 - x)) & 1) != 0;

    /// <summary>Parses the bitmap half of a .hex line: 32 hex digits = 8×16, 64 = 16×16 (§6). Wider glyphs (24/32 px)
    /// are refused: the screen's grid is 8 or 16 px per character.</summary>
    public static bool TryParseHex(ReadOnlySpan<char> hex, out Glyph? glyph)
    {
        glyph = null;
        var width = hex.Length switch
        {
            32 => 8,
            64 => 16,
            _ => 0,
        };
        if (width == 0)
        {
            return false;
        }

        var digitsPerRow = width / 4;
        var rows = new ushort[Height];
        for (var y = 0; y < Height; y++)
        {
            if (!ushort.TryParse(hex.Slice(y * digitsPerRow, digitsPerRow), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out rows[y]))
            {
                return false;
            }
        }

        glyph = new Glyph(width, rows);
        return true;
    }
}

/// <summary>Where glyphs come from: the system Unifont file, the shipped subset, or a chain of both.</summary>
public interface IGlyphSource
{
    bool TryGetGlyph(int codePoint, out Glyph? glyph);
}

/// <summary>Tries each source in order: the full system file first (any name a roster may hold), then the shipped
/// subset (a Pi without the `unifont` package still shows the menus and the common hanzi).</summary>
public sealed class GlyphChain(params IGlyphSource[] sources) : IGlyphSource
{
    public bool TryGetGlyph(int codePoint, out Glyph? glyph)
    {
        foreach (var source in sources)
        {
            if (source.TryGetGlyph(codePoint, out glyph))
            {
                return true;
            }
        }

        glyph = null;
        return false;
    }
}

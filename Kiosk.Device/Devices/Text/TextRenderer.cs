using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Devices.Text;

/// <summary>Draws a <see cref="Screen"/> into a 128×64 frame buffer: four 16-px lines, hanzi 16×16 and ASCII 8×16
/// from Unifont, so a line holds 8 hanzi or 16 ASCII characters (issue 3 "Display"). A character without a glyph is
/// drawn as a hollow box — visibly wrong rather than silently blank — counted, and logged once per code point.</summary>
public sealed class TextRenderer
{
    public const int LineHeight = 16;
    private readonly IGlyphSource _glyphs;
    private readonly ILogger _log;
    private readonly HashSet<int> _reported = [];
    private int _missing;

    public TextRenderer(IGlyphSource glyphs, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(glyphs);
        _glyphs = glyphs;
        _log = log ?? NullLogger.Instance;
    }

    /// <summary>How many characters were drawn as a missing-glyph box since start.</summary>
    public int MissingGlyphs => Volatile.Read(ref _missing);

    /// <summary>The distinct code points that had no glyph.</summary>
    public IReadOnlyCollection<int> MissingCodePoints
    {
        get
        {
            lock (_reported)
            {
                return _reported.ToArray();
            }
        }
    }

    public FrameBuffer Render(Screen screen, int width = 128, int height = 64)
    {
        var frame = new FrameBuffer(width, height);
        Render(screen, frame);
        return frame;
    }

    public void Render(Screen screen, FrameBuffer frame)
    {
        ArgumentNullException.ThrowIfNull(screen);
        ArgumentNullException.ThrowIfNull(frame);
        frame.Clear();
        var rows = frame.Height / LineHeight;
        if (screen.Lines.Count > rows)
        {
            _log.LogWarning("Screen has {Lines} lines, the display shows {Rows}; dropped: {Dropped}", screen.Lines.Count, rows, string.Join(" | ", screen.Lines.Skip(rows)));
        }

        for (var line = 0; line < Math.Min(rows, screen.Lines.Count); line++)
        {
            DrawLine(screen.Lines[line] ?? string.Empty, 0, line * LineHeight, frame);
        }

        if (screen.Inverted)
        {
            frame.Invert();
        }
    }

    /// <summary>Draws one line from (<paramref name="left"/>, <paramref name="top"/>); returns the width in pixels it
    /// takes (which may exceed the frame: the rest is clipped).</summary>
    public int DrawLine(string text, int left, int top, FrameBuffer frame)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(frame);
        var x = left;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune))
            {
                continue;
            }

            if (_glyphs.TryGetGlyph(rune.Value, out var glyph) && glyph is not null)
            {
                for (var gy = 0; gy < Glyph.Height; gy++)
                {
                    for (var gx = 0; gx < glyph.Width; gx++)
                    {
                        if (glyph[gx, gy])
                        {
                            frame[x + gx, top + gy] = true;
                        }
                    }
                }

                x += glyph.Width;
                continue;
            }

            var boxWidth = IsWide(rune.Value) ? 16 : 8;
            DrawMissingBox(frame, x, top, boxWidth);
            x += boxWidth;
            ReportMissing(rune.Value, text);
        }

        return x - left;
    }

    /// <summary>Width in pixels <paramref name="text"/> would take (for centring and for "fits on one line" checks).</summary>
    public int Measure(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsControl(rune))
            {
                width += _glyphs.TryGetGlyph(rune.Value, out var glyph) && glyph is not null ? glyph.Width : IsWide(rune.Value) ? 16 : 8;
            }
        }

        return width;
    }

    /// <summary>The box: a 1-px outline inset by one pixel, so two missing glyphs side by side stay distinguishable.</summary>
    public static void DrawMissingBox(FrameBuffer frame, int left, int top, int width)
    {
        ArgumentNullException.ThrowIfNull(frame);
        for (var x = left + 1; x <= left + width - 2; x++)
        {
            frame[x, top + 1] = true;
            frame[x, top + Glyph.Height - 2] = true;
        }

        for (var y = top + 1; y <= top + Glyph.Height - 2; y++)
        {
            frame[left + 1, y] = true;
            frame[left + width - 2, y] = true;
        }
    }

    // CJK, Hangul, fullwidth forms and everything above the BMP take a 16-px cell; the rest 8 px.
    private static bool IsWide(int codePoint) => codePoint >= 0x1100 && !(codePoint is >= 0xFF61 and <= 0xFFDC);

    private void ReportMissing(int codePoint, string text)
    {
        Interlocked.Increment(ref _missing);
        bool first;
        lock (_reported)
        {
            first = _reported.Add(codePoint);
        }

        if (first)
        {
            _log.LogWarning("No glyph for U+{CodePoint} in {Text}; drawn as a box (install the 'unifont' package or regenerate the subset)", codePoint.ToString("X4", CultureInfo.InvariantCulture), text);
        }
    }
}

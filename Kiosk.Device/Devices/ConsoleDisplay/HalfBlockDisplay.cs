using System.Globalization;
using System.Text;
using Kiosk.Device.Devices.Text;

namespace Kiosk.Device.Devices.ConsoleDisplay;

/// <summary>Shows the same frame buffer the OLED would get, in a terminal: each character cell carries two pixel rows
/// with Unicode half blocks (▀ top, ▄ bottom, █ both), so 128×64 pixels become 128 columns × 32 rows. For development
/// and `--simulate`; what you see is pixel for pixel what the panel shows.</summary>
public sealed class HalfBlockDisplay : IDisplay
{
    private readonly TextWriter _output;
    private readonly TextRenderer _renderer;
    private readonly bool _redrawInPlace;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _linesDrawn;

    /// <param name="redrawInPlace">Move the cursor back over the previous picture (ANSI) instead of scrolling; off
    /// when the output is redirected to a file or a test.</param>
    public HalfBlockDisplay(TextWriter output, TextRenderer renderer, bool redrawInPlace = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(renderer);
        _output = output;
        _renderer = renderer;
        _redrawInPlace = redrawInPlace;
    }

    public static string Draw(FrameBuffer frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var text = new StringBuilder((frame.Width + 3) * ((frame.Height / 2) + 2));
        text.Append('┌').Append('─', frame.Width).Append('┐').Append('\n');
        for (var y = 0; y < frame.Height; y += 2)
        {
            text.Append('│');
            for (var x = 0; x < frame.Width; x++)
            {
                text.Append((frame[x, y], frame[x, y + 1]) switch
                {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    _ => ' ',
                });
            }

            text.Append('│').Append('\n');
        }

        text.Append('└').Append('─', frame.Width).Append('┘').Append('\n');
        return text.ToString();
    }

    public async Task ShowAsync(Screen screen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(screen);
        var picture = Draw(_renderer.Render(screen));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_redrawInPlace && _linesDrawn > 0)
            {
                // ESC[nA moves the cursor up over the previous picture (34 lines for 64 px with the border).
                await _output.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"\u001b[{_linesDrawn}A")).ConfigureAwait(false);
            }

            await _output.WriteAsync(picture).ConfigureAwait(false);
            await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
            _linesDrawn = picture.Count(c => c == '\n');
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>Prints the screen's text lines, one display per output line: `[display] 张三 08:02 | 上午签到 迟到2分钟`.
/// For logs, tests and terminals without a Unicode font. Keeps the last screen; keeps every screen only when asked
/// (<c>keepHistory</c>, for tests): `kiosk run --simulate` shows screens for days, and an unbounded history there
/// grew the process without limit.</summary>
public sealed class PlainTextDisplay(TextWriter output, string prefix = "[display] ", bool keepHistory = false) : IDisplay
{
    private readonly Lock _gate = new();
    private readonly List<Screen>? _history = keepHistory ? [] : null;
    private Screen? _current;

    public Screen? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Every screen shown, oldest first. Only kept when constructed with <c>keepHistory: true</c>.</summary>
    public IReadOnlyList<Screen> History
    {
        get
        {
            lock (_gate)
            {
                return _history?.ToArray()
                    ?? throw new InvalidOperationException("This display keeps no history: construct it with keepHistory: true.");
            }
        }
    }

    public static string Format(Screen screen)
    {
        ArgumentNullException.ThrowIfNull(screen);
        return string.Join(" | ", screen.Lines) + (screen.Inverted ? " (inverted)" : string.Empty);
    }

    public Task ShowAsync(Screen screen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(screen);
        var line = prefix + Format(screen);
        lock (_gate)
        {
            _current = screen;
            _history?.Add(screen);
            output.WriteLine(line);
        }

        return Task.CompletedTask;
    }
}

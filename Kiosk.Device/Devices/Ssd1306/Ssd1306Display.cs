using Kiosk.Device.Devices.Text;
using Kiosk.Device.Linux.I2c;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Devices.Ssd1306;

/// <summary>The kiosk's screen: renders a <see cref="Screen"/> with Unifont and pushes it to the SSD1306. A failed
/// write (loose cable, panel unplugged) is logged and counted, never thrown at the punch flow — a punch must not fail
/// because the screen did; the next show re-sends the init sequence, so a re-plugged panel comes back by itself.</summary>
public sealed class Ssd1306Display : IDisplay, IDisposable
{
    private readonly Ssd1306 _panel;
    private readonly TextRenderer _renderer;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FrameBuffer? _shown;
    private bool _initialised;
    private int _failures;

    public Ssd1306Display(Ssd1306 panel, TextRenderer renderer, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(renderer);
        _panel = panel;
        _renderer = renderer;
        _log = log ?? NullLogger.Instance;
    }

    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Opens /dev/i2c-N at the address through i2c-dev.</summary>
    public static Ssd1306Display Open(string busPath, int address, IGlyphSource glyphs, ILogger? log = null)
    {
        var device = new I2cDevDevice(new LinuxI2cFiles(), busPath, address);
        return new Ssd1306Display(new Ssd1306(device), new TextRenderer(glyphs, log), log);
    }

    public async Task ShowAsync(Screen screen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(screen);
        var frame = _renderer.Render(screen, Ssd1306.Width, Ssd1306.Height);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // An unchanged frame is not re-sent: a push costs ~25 ms at 400 kHz, ~93 ms at 100 kHz (§6).
            if (_initialised && frame.Equals(_shown))
            {
                return;
            }

            // i2c-dev writes block; keep them off the caller's thread.
            await Task.Run(() => Push(frame), cancellationToken).ConfigureAwait(false);
            _shown = frame;
        }
        catch (IOException ex)
        {
            _initialised = false;
            var failures = Interlocked.Increment(ref _failures);
            _log.LogError(ex, "Display write failed ({Failures} so far) showing {Lines}", failures, string.Join(" | ", screen.Lines));
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _panel.Dispose();
        _gate.Dispose();
    }

    private void Push(FrameBuffer frame)
    {
        if (!_initialised)
        {
            _panel.Initialise();
            _initialised = true;
        }

        _panel.PushFrame(frame);
    }
}

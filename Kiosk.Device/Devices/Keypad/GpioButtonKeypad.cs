using System.Runtime.CompilerServices;
using Kiosk.Device.Linux.Gpio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Devices.Keypad;

/// <summary>Push buttons on header pins, wired between the pin and GND with the internal pull-up: a press pulls the
/// line low, so a falling edge is a press (hardware-protocols.md §5 "Button example": INPUT|PULL_UP|EDGE_FALLING plus
/// kernel debounce, so contact bounce never reaches us).</summary>
public sealed class GpioButtonKeypad : IKeypad
{
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(20);
    private readonly GpioLines _lines;
    private readonly IReadOnlyDictionary<int, KeyPress> _keys;
    private readonly ILogger _log;

    public GpioButtonKeypad(GpioLines lines, IReadOnlyDictionary<int, KeyPress> keys, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(keys);
        _lines = lines;
        _keys = keys;
        _log = log ?? NullLogger.Instance;
    }

    /// <summary>Requests the buttons' lines on <paramref name="chip"/>: pull-up, falling edges, kernel debounce.</summary>
    public static GpioButtonKeypad Open(GpioChip chip, IReadOnlyDictionary<int, KeyPress> keys, TimeSpan? debounce = null, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(keys);
        var lines = chip.RequestInputs("kiosk-keys", keys.Keys.ToList(), GpioBias.PullUp, GpioEdges.Falling, debounce ?? DefaultDebounce);
        return new GpioButtonKeypad(lines, keys, log);
    }

    public async IAsyncEnumerable<KeyPress> ReadKeysAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var edge in _lines.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (edge.Edge != GpioEdge.Falling)
            {
                continue;
            }

            if (_keys.TryGetValue((int)edge.Offset, out var key))
            {
                yield return key;
            }
            else
            {
                _log.LogWarning("Edge on GPIO {Offset}, which is not mapped to a key", edge.Offset);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _lines.Dispose();
        return ValueTask.CompletedTask;
    }
}

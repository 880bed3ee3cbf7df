using System.Runtime.CompilerServices;

namespace Kiosk.Device.Linux.Input;

/// <summary>Reads struct input_event records from a stream (an evdev device, or a pipe in tests). A read may return
/// part of a record (pipes do), so bytes are gathered until a whole record is there.</summary>
public sealed class EvdevReader : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;

    public EvdevReader(Stream stream, InputEventLayout layout, bool ownsStream = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(layout);
        _stream = stream;
        Layout = layout;
        _ownsStream = ownsStream;
    }

    public InputEventLayout Layout { get; }

    /// <summary>Events until the stream ends (device gone or pipe closed) or cancellation. A device unplugged while
    /// reading surfaces as an IOException from the stream, which the caller logs and reopens.</summary>
    public async IAsyncEnumerable<InputEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var size = Layout.Size;
        var buffer = new byte[size * 64];
        var filled = 0;
        while (true)
        {
            var count = await _stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (count == 0)
            {
                yield break;
            }

            filled += count;
            var whole = filled / size * size;
            for (var at = 0; at < whole; at += size)
            {
                yield return Layout.Decode(buffer.AsSpan(at, size));
            }

            buffer.AsSpan(whole, filled - whole).CopyTo(buffer);
            filled -= whole;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsStream)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}

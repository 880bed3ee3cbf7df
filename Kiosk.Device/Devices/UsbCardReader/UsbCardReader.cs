using System.Runtime.CompilerServices;
using System.Text;
using Kiosk.Device.Linux.Input;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Devices.UsbCardReader;

/// <summary>A USB card reader that types like a keyboard: the badge number as digits (or hex letters), then Enter
/// (hardware-protocols.md §4). The keys are grabbed, so nothing reaches the console. An entry becomes a card only if it
/// parses (<see cref="CardIds.TryFromTyped"/>); anything else — a stray key, an entry interrupted for longer than a
/// reader would ever pause, one too long — is dropped, counted in <see cref="Rejected"/> and logged. A corrupt entry
/// never yields a card id.</summary>
public sealed class UsbCardReader : ICardReader
{
    /// <summary>Readers type a whole id within milliseconds; a gap this long means a human or a broken entry.</summary>
    public static readonly TimeSpan MaxKeyGap = TimeSpan.FromMilliseconds(500);

    /// <summary>20 hex digits = a 10-byte UID, the longest a reader sends.</summary>
    public const int MaxLength = 20;

    private readonly IInputEventSource _source;
    private readonly CardIdFormat _format;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private int _rejected;

    public UsbCardReader(IInputEventSource source, CardIdFormat format, TimeProvider time, ILogger? log = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(time);
        _source = source;
        _format = format;
        _time = time;
        _log = log ?? NullLogger.Instance;
        Name = name ?? "usb:" + source.Name;
    }

    public string Name { get; }

    public int Rejected => Volatile.Read(ref _rejected);

    public async IAsyncEnumerable<CardPresented> ReadCardsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var typed = new StringBuilder(MaxLength);
        var garbage = new StringBuilder();
        TimeSpan? lastKey = null;
        await foreach (var inputEvent in _source.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!inputEvent.IsKeyDown || KeyCodes.IsShift(inputEvent.Code))
            {
                continue;
            }

            // The gap is measured on the kernel's event times, not on when we got round to reading them.
            var at = TimeSpan.FromSeconds(inputEvent.Seconds) + TimeSpan.FromMicroseconds(inputEvent.Microseconds);
            if (lastKey is { } previous && (typed.Length > 0 || garbage.Length > 0) && at - previous > MaxKeyGap)
            {
                Reject(typed, garbage, $"entry interrupted for {(at - previous).TotalMilliseconds:F0} ms");
            }

            lastKey = at;
            if (KeyCodes.IsEnter(inputEvent.Code))
            {
                if (typed.Length == 0 && garbage.Length == 0)
                {
                    continue;   // a lone Enter: nothing was typed, nothing to reject
                }

                if (garbage.Length == 0 && CardIds.TryFromTyped(typed.ToString(), _format, out var cardId))
                {
                    typed.Clear();
                    var now = _time.GetElapsedTime(0, _time.GetTimestamp());
                    yield return new CardPresented(cardId, Name, now);
                    continue;
                }

                Reject(typed, garbage, garbage.Length > 0 ? "unexpected keys" : "not a badge number");
                continue;
            }

            if (KeyCodes.TryGetChar(inputEvent.Code, out var character) && typed.Length < MaxLength && garbage.Length == 0)
            {
                typed.Append(character);
            }
            else
            {
                garbage.Append(KeyCodes.TryGetChar(inputEvent.Code, out character) ? character.ToString() : $"<{KeyCodes.Name(inputEvent.Code)}>");
            }
        }

        if (typed.Length > 0 || garbage.Length > 0)
        {
            Reject(typed, garbage, "input ended before Enter");
        }
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private void Reject(StringBuilder typed, StringBuilder garbage, string reason)
    {
        var rejected = Interlocked.Increment(ref _rejected);
        _log.LogWarning("{Reader} dropped typed entry {Typed}{Garbage}: {Reason} ({Rejected} dropped so far)", Name, typed.ToString(), garbage.ToString(), reason, rejected);
        typed.Clear();
        garbage.Clear();
    }
}

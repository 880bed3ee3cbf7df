using System.Runtime.CompilerServices;
using Kiosk.Device.Linux.Serial;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Devices.Rdm6300;

/// <summary>Options for the RDM6300. The card counts as removed after <see cref="RemovedAfter"/> without a
/// frame of it: python-rdm6300 uses 0.5 s of silence, arduino12 treats the same id within 220 ms as "still
/// present" (hardware-protocols.md §2). The module repeats roughly every 100 ms while a card is held, so
/// 0.5 s covers both.</summary>
public sealed record Rdm6300Options(CardIdFormat Format = CardIdFormat.Hex, string Name = "rdm6300")
{
    public TimeSpan RemovedAfter { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one read waits before checking again (silence is not an error for this module).</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>9600 8N1, §2.</summary>
    public const int BaudRate = 9600;
}

/// <summary>The 125 kHz EM4100 reader on the UART (hardware-protocols.md §2). TX only: we just listen.
/// A card held in the field repeats its frame; it is reported once per presentation.</summary>
public sealed class Rdm6300Reader : ICardReader
{
    private readonly ISerialTransport _port;
    private readonly Rdm6300Options _options;
    private readonly TimeProvider _time;
    private readonly CardPresence _presence;
    private readonly ILogger _log;
    private readonly Rdm6300FrameParser _parser = new();

    public Rdm6300Reader(ISerialTransport port, Rdm6300Options options, TimeProvider time, ILogger? log = null)
    {
        _port = port;
        _options = options;
        _time = time;
        _presence = new CardPresence(time, options.RemovedAfter);
        _log = log ?? NullLogger.Instance;
    }

    public string Name => _options.Name;

    public FrameStatistics Statistics => _parser.Statistics;

    public async IAsyncEnumerable<CardPresented> ReadCardsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[256];
        var tag = new byte[5];
        while (!cancellationToken.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await _port.ReadAsync(buffer, _options.ReadTimeout, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            catch (SerialPortGoneException gone)
            {
                // Without the reopening wrapper there is nothing to wait for: say so and stop.
                _log.LogError("RDM6300 on {Port} is gone: {Reason}", _port.Name, gone.Reason);
                yield break;
            }

            for (var i = 0; i < n; i++)
            {
                if (_parser.TryPush(buffer[i], tag))
                {
                    var presented = Accept(tag);
                    if (presented is not null)
                    {
                        yield return presented;
                    }
                }
                else if (_parser.LastError is not (Rdm6300FrameError.None or Rdm6300FrameError.Garbage))
                {
                    _log.LogWarning("Bad RDM6300 frame on {Port}: {Reason} ({Stats})", _port.Name, _parser.LastError, _parser.Statistics);
                }
                else if (_parser.LastError == Rdm6300FrameError.Garbage && _parser.Statistics.GarbageBytes % 64 == 1)
                {
                    _log.LogWarning("Garbage between RDM6300 frames on {Port} ({Stats})", _port.Name, _parser.Statistics);
                }
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _port.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Presence logic, §2: the same id again before <see cref="Rdm6300Options.RemovedAfter"/> of
    /// silence is the card still in the field, not a new presentation.</summary>
    internal CardPresented? Accept(ReadOnlySpan<byte> tag)
    {
        var id = CardIds.Format(tag, _options.Format);
        if (_presence.Seen(id) is not { } now)
        {
            return null;
        }

        _log.LogInformation("Card {CardId} presented on {Reader}", id, Name);
        return new CardPresented(id, Name, _time.GetElapsedTime(0, now));
    }
}

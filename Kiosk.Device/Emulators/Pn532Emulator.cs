using Kiosk.Device.Devices.Pn532;
using Kiosk.Device.Linux.Serial;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Emulators;

/// <summary>A PN532 in HSU mode on the other end of a serial line (hardware-protocols.md §3, UM0701 §6–7):
/// it sleeps until the 0x55 wake-up, ACKs every well-formed command, answers with code + 1, sends NACK-driven
/// repeats, the error frame for unknown commands, and InListPassiveTarget results for the card on it.</summary>
public sealed class Pn532Emulator : IAsyncDisposable
{
    private readonly ISerialTransport _port;
    private readonly ILogger _log;
    private readonly object _gate = new();
    private readonly Pn532FrameParser _parser = new(Pn532Codec.HostToPn532);
    private readonly CancellationTokenSource _stop = new();
    private byte[]? _card;
    private byte[]? _lastResponse;
    private bool _pendingInList;
    private Task? _loop;

    public Pn532Emulator(ISerialTransport port, ILogger? log = null)
    {
        _port = port;
        _log = log ?? NullLogger.Instance;
    }

    /// <summary>Firmware reported by GetFirmwareVersion: IC 0x32 (PN532), version 1.6, support 7 (common boards).</summary>
    public byte[] FirmwareResponse { get; init; } = [0x32, 0x01, 0x06, 0x07];

    public bool Awake { get; private set; }

    public bool SamConfigured { get; private set; }

    /// <summary>MxRtyPassiveActivation from RFConfiguration item 5 (0xFF = retry for ever, the default).</summary>
    public byte PassiveActivationRetries { get; private set; } = 0xFF;

    /// <summary>When true, commands are neither ACKed nor answered (a reader gone silent).</summary>
    public bool Silent { get; set; }

    public int CommandsHandled { get; private set; }

    /// <summary>When true, ACKs from the host do not abort the running command (a chip that missed the abort).</summary>
    public bool IgnoreAborts { get; set; }

    /// <summary>ACK frames received from the host (each aborts the running command).</summary>
    public int AbortsReceived { get; private set; }

    public FrameStatistics Statistics => _parser.Statistics;

    /// <summary>Starts answering. The loop starts here, not via Task.Run, and resumes on the port's waiter thread
    /// (ConfigureAwait(false)), so a busy or starved thread pool cannot delay the first answer past the driver's
    /// timeout (the "first command after open gets no reply" symptom).</summary>
    public void Start() => _loop ??= RunAsync(_stop.Token);

    /// <summary>Puts a type A card on the reader: 4-byte UID (MIFARE Classic 1K) or 7-byte (Ultralight/NTAG).</summary>
    public void PresentCard(byte[] uid)
    {
        if (uid.Length is not (4 or 7 or 10))
        {
            throw new ArgumentException("A type A UID is 4, 7 or 10 bytes.", nameof(uid));
        }

        bool answerPending;
        lock (_gate)
        {
            _card = uid;
            answerPending = _pendingInList;
            _pendingInList = false;
        }

        if (answerPending)
        {
            _ = SendAsync(Pn532Codec.Encode(Pn532Codec.Pn532ToHost, InListResponse(uid)), _stop.Token).AsTask();
        }
    }

    public void RemoveCard()
    {
        lock (_gate)
        {
            _card = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _port.Dispose();
        _stop.Dispose();
    }

    /// <summary>D5 4B NbTg=1 Tg=1 SENS_RES SEL_RES NFCIDLen UID (§3).</summary>
    public static byte[] InListResponse(byte[] uid)
    {
        // SENS_RES 00 04 / SEL_RES 08 for a MIFARE Classic 1K; 00 44 / 00 for a 7-byte Ultralight.
        var (sens, sel) = uid.Length == 4 ? ((byte)0x04, (byte)0x08) : ((byte)0x44, (byte)0x00);
        return [0x4B, 0x01, 0x01, 0x00, sens, sel, (byte)uid.Length, .. uid];
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[512];
        while (!cancellationToken.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await _port.ReadAsync(buffer, TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SerialPortGoneException)
            {
                return;
            }

            for (var i = 0; i < n; i++)
            {
                if (buffer[i] == 0x55)
                {
                    // HSU wake-up (§3): the chip leaves power-down on the 0x55 bytes.
                    Awake = true;
                }

                if (_parser.TryPush(buffer[i], out var frame))
                {
                    do
                    {
                        await HandleAsync(frame!, cancellationToken).ConfigureAwait(false);
                    }
                    while (_parser.TryTake(out frame));
                }
            }
        }
    }

    private async Task HandleAsync(Pn532Frame frame, CancellationToken cancellationToken)
    {
        if (!Awake || Silent)
        {
            return;
        }

        switch (frame.Kind)
        {
            case Pn532FrameKind.Ack:
                // An ACK from the host aborts the running command (§3).
                lock (_gate)
                {
                    AbortsReceived++;
                    if (!IgnoreAborts)
                    {
                        _pendingInList = false;
                    }
                }

                return;
            case Pn532FrameKind.Nack:
                if (_lastResponse is not null)
                {
                    await SendAsync(_lastResponse, cancellationToken);
                }

                return;
            case Pn532FrameKind.Information when frame.Data.Length > 0:
                CommandsHandled++;
                await SendAsync(Pn532Codec.Ack, cancellationToken);
                var response = Execute(frame.Data);
                if (response is not null)
                {
                    _lastResponse = response;
                    await SendAsync(response, cancellationToken);
                }

                return;
            default:
                return;
        }
    }

    private byte[]? Execute(byte[] command)
    {
        switch (command[0])
        {
            case 0x02:
                return Pn532Codec.Encode(Pn532Codec.Pn532ToHost, [0x03, .. FirmwareResponse]);
            case 0x14:
                SamConfigured = true;
                return Pn532Codec.Encode(Pn532Codec.Pn532ToHost, [0x15]);
            case 0x32 when command.Length >= 5 && command[1] == 0x05:
                PassiveActivationRetries = command[4];
                return Pn532Codec.Encode(Pn532Codec.Pn532ToHost, [0x33]);
            case 0x32:
                return Pn532Codec.Encode(Pn532Codec.Pn532ToHost, [0x33]);
            case 0x4A when command.Length >= 3 && command[1] >= 1 && command[2] == 0x00:
                lock (_gate)
                {
                    if (_card is not null)
                    {
                        return Pn532Codec.Encode(Pn532Codec.Pn532ToHost, InListResponse(_card));
                    }

                    if (PassiveActivationRetries == 0xFF)
                    {
                        // Retries for ever: the answer comes only when a card arrives (or the host aborts).
                        _pendingInList = true;
                        return null;
                    }
                }

                return Pn532Codec.Encode(Pn532Codec.Pn532ToHost, [0x4B, 0x00]);
            default:
                _log.LogWarning("PN532 emulator: unsupported command 0x{Command:X2}", command[0]);
                return Pn532Codec.Error;
        }
    }

    private async ValueTask SendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await _port.WriteAsync(bytes, cancellationToken);
        }
        catch (Exception ex) when (ex is SerialPortGoneException or OperationCanceledException or ObjectDisposedException)
        {
            _log.LogDebug("PN532 emulator could not send: {Reason}", ex.Message);
        }
    }
}

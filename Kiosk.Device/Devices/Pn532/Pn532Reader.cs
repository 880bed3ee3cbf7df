using System.Runtime.CompilerServices;
using Kiosk.Device.Linux.Serial;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Devices.Pn532;

public sealed record Pn532Options(CardIdFormat Format = CardIdFormat.Hex, string Name = "pn532")
{
    /// <summary>HSU is 115200 8N1 (§3).</summary>
    public const int BaudRate = 115200;

    /// <summary>MxRtyPassiveActivation for RFConfiguration item 5. The default 0xFF retries for ever, which
    /// would block our poll loop; 1 answers "no target" at once (the §3 example frame uses 1).</summary>
    public byte PassiveActivationRetries { get; init; } = 0x01;

    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Pause between InListPassiveTarget polls; zero polls back to back.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Same UID again within this time is the card still lying on the reader.</summary>
    public TimeSpan RemovedAfter { get; init; } = TimeSpan.FromMilliseconds(500);
}

public enum Pn532Status { Ok, Timeout, NoAck, Nack, ErrorFrame, UnexpectedResponse, PortGone }

/// <summary>A command's outcome: Ok with the response data after the response code, or why not.</summary>
public sealed record Pn532Response(Pn532Status Status, byte[] Data)
{
    public bool IsOk => Status == Pn532Status.Ok;
}

public sealed record Pn532Firmware(byte Ic, byte Version, byte Revision, byte Support)
{
    public override string ToString() => $"PN5{Ic:X2} firmware {Version}.{Revision} support 0x{Support:X2}";
}

/// <summary>A target found by InListPassiveTarget (106 kbps type A).</summary>
public sealed record Pn532Target(byte[] Uid, ushort SensRes, byte SelRes);

/// <summary>PN532 NFC reader over HSU (hardware-protocols.md §3; command set UM0701 §7).</summary>
public sealed class Pn532Reader : ICardReader
{
    private const byte GetFirmwareVersion = 0x02, SamConfiguration = 0x14, RfConfiguration = 0x32, InListPassiveTarget = 0x4A;

    // At 115200 a whole 262-byte frame takes 23 ms; 50 ms of silence inside a frame means it ended.
    private static readonly TimeSpan InterByteGap = TimeSpan.FromMilliseconds(50);

    private readonly ISerialTransport _port;
    private readonly Pn532Options _options;
    private readonly TimeProvider _time;
    private readonly CardPresence _presence;
    private readonly ILogger _log;
    private readonly Pn532FrameParser _parser = new(Pn532Codec.Pn532ToHost);
    private readonly Queue<Pn532Frame> _frames = new();
    private readonly byte[] _readBuffer = new byte[300];
    private volatile bool _needsInit = true;

    public Pn532Reader(ISerialTransport port, Pn532Options options, TimeProvider time, ILogger? log = null)
    {
        _port = port;
        _options = options;
        _time = time;
        _presence = new CardPresence(time, options.RemovedAfter);
        _log = log ?? NullLogger.Instance;
        if (port is ReopeningSerialPort reopening)
        {
            // After an unplug the PN532 powered down: wake it and configure it again.
            reopening.Reconnected += (_, _) => _needsInit = true;
        }
    }

    public string Name => _options.Name;

    public FrameStatistics Statistics => _parser.Statistics;

    public Pn532Firmware? Firmware { get; private set; }

    /// <summary>Wake-up + SAMConfiguration (§3: sent at once after the wake-up bytes), the retry limit via
    /// RFConfiguration item 5, then GetFirmwareVersion. Returns false (logged) if the module did not answer.</summary>
    public async Task<bool> InitializeAsync(CancellationToken cancellationToken)
    {
        _port.DiscardInput();
        _frames.Clear();
        await _port.WriteAsync(Pn532Codec.WakeUp, cancellationToken);
        var sam = await CallAsync(SamConfiguration, [0x01, 0x14, 0x01], cancellationToken);
        if (!sam.IsOk)
        {
            _log.LogWarning("PN532 on {Port} did not accept SAMConfiguration: {Status}", _port.Name, sam.Status);
            return false;
        }

        var rf = await CallAsync(RfConfiguration, [0x05, 0xFF, 0x01, _options.PassiveActivationRetries], cancellationToken);
        if (!rf.IsOk)
        {
            _log.LogWarning("PN532 on {Port} did not accept RFConfiguration: {Status}", _port.Name, rf.Status);
            return false;
        }

        var fw = await CallAsync(GetFirmwareVersion, [], cancellationToken);
        if (fw.IsOk && fw.Data.Length >= 4)
        {
            Firmware = new Pn532Firmware(fw.Data[0], fw.Data[1], fw.Data[2], fw.Data[3]);
            _log.LogInformation("PN532 on {Port}: {Firmware}", _port.Name, Firmware);
        }

        _needsInit = !fw.IsOk;
        return fw.IsOk;
    }

    /// <summary>One InListPassiveTarget for one type A target. Ok with a null target when the field is empty;
    /// any other status means the poll itself failed (which says nothing about the card).</summary>
    public async Task<(Pn532Status Status, Pn532Target? Target)> PollAsync(CancellationToken cancellationToken)
    {
        var response = await CallAsync(InListPassiveTarget, [0x01, 0x00], cancellationToken);
        if (!response.IsOk)
        {
            return (response.Status, null);
        }

        // D5 4B NbTg Tg SENS_RES(2) SEL_RES NFCIDLen UID… (§3); Data starts after the response code.
        var d = response.Data;
        if (d.Length >= 1 && d[0] == 0)
        {
            return (Pn532Status.Ok, null);
        }

        if (d.Length < 6 || d[5] is not (4 or 7 or 10) || d.Length < 6 + d[5])
        {
            _log.LogWarning("PN532 on {Port}: malformed InListPassiveTarget response {Bytes}", _port.Name, Convert.ToHexString(d));
            return (Pn532Status.UnexpectedResponse, null);
        }

        return (Pn532Status.Ok, new Pn532Target(d.AsSpan(6, d[5]).ToArray(), (ushort)((d[2] << 8) | d[3]), d[4]));
    }

    public async IAsyncEnumerable<CardPresented> ReadCardsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            CardPresented? presented = null;
            try
            {
                if (_needsInit && _port is ReopeningSerialPort reopening)
                {
                    // Unplugged: wait (with the wrapper's backoff) for the node before waking the chip again.
                    await reopening.WaitUntilOpenAsync(cancellationToken);
                }

                if (_needsInit && !await InitializeAsync(cancellationToken))
                {
                    await DelayAsync(TimeSpan.FromSeconds(1), cancellationToken);
                    continue;
                }

                var (status, target) = await PollAsync(cancellationToken);
                // A failed poll proves nothing about the card: keep the presence state as it is.
                presented = status == Pn532Status.Ok ? Accept(target) : null;
                if (presented is null)
                {
                    await DelayAsync(_options.PollInterval, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            catch (SerialPortGoneException gone)
            {
                _log.LogError("PN532 on {Port} is gone: {Reason}", _port.Name, gone.Reason);
                if (_port is not ReopeningSerialPort)
                {
                    yield break;
                }

                _needsInit = true;
            }

            if (presented is not null)
            {
                yield return presented;
            }
        }
    }

    /// <summary>Sends a command frame, expects the ACK, then the response whose code is command + 1 (§3).
    /// A timeout sends an ACK, which aborts the running command, so the next call starts clean.</summary>
    public async Task<Pn532Response> CallAsync(byte command, byte[] parameters, CancellationToken cancellationToken)
    {
        var data = new byte[parameters.Length + 1];
        data[0] = command;
        parameters.CopyTo(data, 1);
        try
        {
            // Command/response: the PN532 sends nothing unprompted, so anything queued is a late answer to an
            // aborted command and must not be taken for this command's ACK or response.
            _port.DiscardInput();
            _frames.Clear();
            await _port.WriteAsync(Pn532Codec.Encode(Pn532Codec.HostToPn532, data), cancellationToken);
            var ack = await ReadFrameAsync(_options.AckTimeout, command, cancellationToken);
            if (ack is null)
            {
                _log.LogWarning("PN532 on {Port}: no ACK for command 0x{Command:X2}", _port.Name, command);
                return new Pn532Response(Pn532Status.NoAck, []);
            }

            if (ack.Kind == Pn532FrameKind.Nack)
            {
                return new Pn532Response(Pn532Status.Nack, []);
            }

            var response = ack.Kind == Pn532FrameKind.Ack ? await ReadFrameAsync(_options.ResponseTimeout, command, cancellationToken) : ack;
            if (response is null)
            {
                await _port.WriteAsync(Pn532Codec.Ack, cancellationToken);
                _log.LogWarning("PN532 on {Port}: no response to command 0x{Command:X2}; aborted with ACK", _port.Name, command);
                return new Pn532Response(Pn532Status.Timeout, []);
            }

            if (response.Kind == Pn532FrameKind.Error)
            {
                _log.LogWarning("PN532 on {Port}: error frame for command 0x{Command:X2}", _port.Name, command);
                return new Pn532Response(Pn532Status.ErrorFrame, []);
            }

            if (response.Kind != Pn532FrameKind.Information)
            {
                _log.LogWarning("PN532 on {Port}: unexpected {Kind} instead of the response to command 0x{Command:X2}", _port.Name, response.Kind, command);
                return new Pn532Response(Pn532Status.UnexpectedResponse, []);
            }

            return new Pn532Response(Pn532Status.Ok, response.Data[1..]);
        }
        catch (SerialPortGoneException) when (_port is ReopeningSerialPort)
        {
            _needsInit = true;
            return new Pn532Response(Pn532Status.PortGone, []);
        }
    }

    public ValueTask DisposeAsync()
    {
        _port.Dispose();
        return ValueTask.CompletedTask;
    }

    internal CardPresented? Accept(Pn532Target? target)
    {
        if (target is null)
        {
            _presence.Removed();
            return null;
        }

        var id = CardIds.Format(target.Uid, _options.Format);
        if (_presence.Seen(id) is not { } now)
        {
            return null;
        }

        _log.LogInformation("Card {CardId} presented on {Reader}", id, Name);
        return new CardPresented(id, Name, _time.GetElapsedTime(0, now));
    }

    /// <summary>The next ACK/NACK/error frame, or the information frame answering <paramref name="command"/>.
    /// An information frame with another code is a late answer to an aborted command: logged and skipped.</summary>
    private async Task<Pn532Frame?> ReadFrameAsync(TimeSpan timeout, byte command, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            while (_frames.Count == 0)
            {
                var remaining = timeout - _time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    return null;
                }

                // Mid-frame, a quiet line means the frame was cut short (or its LEN was noise): give up on it after
                // the inter-byte gap and rescan, instead of waiting for bytes that will never come.
                var inFrame = _parser.InFrame;
                var n = await _port.ReadAsync(_readBuffer, inFrame && remaining > InterByteGap ? InterByteGap : remaining, cancellationToken);
                if (n == 0)
                {
                    if (!inFrame)
                    {
                        return null;
                    }

                    _parser.Flush();
                    while (_parser.TryTake(out var rescued))
                    {
                        _frames.Enqueue(rescued!);
                    }

                    _log.LogWarning("Truncated PN532 frame on {Port} ({Stats})", _port.Name, _parser.Statistics);
                    continue;
                }

                for (var i = 0; i < n; i++)
                {
                    if (_parser.TryPush(_readBuffer[i], out var parsed))
                    {
                        do
                        {
                            _frames.Enqueue(parsed!);
                        }
                        while (_parser.TryTake(out parsed));
                    }
                    else if (_parser.LastError is not (Pn532FrameError.None or Pn532FrameError.Garbage))
                    {
                        _log.LogWarning("Bad PN532 frame on {Port}: {Reason} ({Stats})", _port.Name, _parser.LastError, _parser.Statistics);
                    }
                }
            }

            var frame = _frames.Dequeue();
            if (frame.Kind == Pn532FrameKind.Information && (frame.Data.Length == 0 || frame.Data[0] != command + 1))
            {
                _log.LogWarning("PN532 on {Port}: skipped a stale frame {Bytes} while waiting for command 0x{Command:X2}", _port.Name, Convert.ToHexString(frame.Data), command);
                continue;
            }

            return frame;
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _time, cancellationToken);
}

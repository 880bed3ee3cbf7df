using System.Buffers.Binary;
using Kiosk.Device.Linux.Serial;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Devices.Fingerprint;

/// <summary>The instruction set of the ZhianTec R30x/R50x/AS608 family, one method per instruction
/// (hardware-protocols.md §1). Half duplex: one transaction at a time, each ending in a typed
/// <see cref="R30xCode"/> — timeouts and corrupt replies included, never an exception for the module's
/// behaviour (only cancellation escapes). After a host-side failure (no reply, a corrupt reply, the port gone) the
/// module's state is unknown: <see cref="ResyncNeeded"/> stays set until a VfyPwd is answered 00 (§1 "Liveness").</summary>
public sealed class R30xModule : IDisposable
{
    private readonly ISerialTransport _port;
    private readonly R30xOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly R30xPacketParser _parser;
    private readonly Queue<R30xPacket> _packets = new();
    private readonly byte[] _readBuffer = new byte[512];
    private readonly SemaphoreSlim _lock = new(1, 1);
    private volatile bool _resyncNeeded = true;

    // A UART sends a packet's bytes back to back; 50 ms of silence inside one means it ended.
    private static readonly TimeSpan InterByteGap = TimeSpan.FromMilliseconds(50);

    public R30xModule(ISerialTransport port, R30xOptions options, TimeProvider time, ILogger? log = null)
    {
        _port = port;
        _options = options;
        _time = time;
        _log = log ?? NullLogger.Instance;
        _parser = new R30xPacketParser(options.Address);
        if (port is ReopeningSerialPort reopening)
        {
            // A re-plugged (or power-cycled) module may have a new password state: verify again.
            reopening.Reconnected += (_, _) => _resyncNeeded = true;
        }
    }

    /// <summary>True until the first good VfyPwd, and again after a timeout, a corrupt reply, the port disappearing
    /// or a reconnect: a lost or garbled reply leaves the module's state unknown (it may have run the command, or
    /// been power-cycled and forgotten the verified password, §1 code 21). A VfyPwd answered 00 clears it.</summary>
    public bool ResyncNeeded => _resyncNeeded;

    public string PortName => _port.Name;

    public FrameStatistics Statistics => _parser.Statistics;

    /// <summary>Data packet size for DownChar; set from ReadSysPara (default code 2 = 128 bytes).</summary>
    public int PacketBytes { get; set; } = 128;

    public async Task<R30xReply> VerifyPasswordAsync(CancellationToken cancellationToken)
    {
        var pwd = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(pwd, _options.Password);
        var reply = await SendAsync(R30xInstruction.VfyPwd, pwd, cancellationToken);
        if (reply.IsOk)
        {
            _resyncNeeded = false;
        }

        return reply;
    }

    public async Task<(R30xCode Code, R30xSystemParameters? Parameters)> ReadSystemParametersAsync(CancellationToken cancellationToken)
    {
        var reply = await SendAsync(R30xInstruction.ReadSysPara, [], cancellationToken);
        if (!reply.IsOk)
        {
            return (reply.Code, null);
        }

        if (reply.Data.Length < 16)
        {
            return (R30xCode.BadReply, null);
        }

        var parameters = R30xSystemParameters.Parse(reply.Data);
        PacketBytes = parameters.PacketBytes;
        return (R30xCode.Ok, parameters);
    }

    /// <summary>GenImg: 00 = image taken, 02 = no finger (poll it).</summary>
    public async Task<R30xCode> CaptureImageAsync(CancellationToken cancellationToken) =>
        (await SendAsync(R30xInstruction.GenImg, [], cancellationToken)).Code;

    /// <summary>Img2Tz: features of the image into char buffer 1 or 2 (1..6 on the R503).</summary>
    public async Task<R30xCode> ImageToBufferAsync(byte buffer, CancellationToken cancellationToken) =>
        (await SendAsync(R30xInstruction.Img2Tz, [buffer], cancellationToken)).Code;

    /// <summary>Match buffer 1 against buffer 2 → score.</summary>
    public async Task<(R30xCode Code, int Score)> MatchAsync(CancellationToken cancellationToken)
    {
        var reply = await SendAsync(R30xInstruction.Match, [], cancellationToken);
        return reply.IsOk && reply.Data.Length >= 2
            ? (R30xCode.Ok, BinaryPrimitives.ReadUInt16BigEndian(reply.Data))
            : (reply.IsOk ? R30xCode.BadReply : reply.Code, 0);
    }

    /// <summary>Search: BufID, StartPage(2), PageNum(2) → PageID(2), Score(2); 09 = not found.</summary>
    public async Task<(R30xCode Code, int Slot, int Score)> SearchAsync(byte buffer, int start, int count, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(R30xInstruction.Search, [buffer, Hi(start), Lo(start), Hi(count), Lo(count)], cancellationToken);
        if (!reply.IsOk)
        {
            return (reply.Code, -1, 0);
        }

        return reply.Data.Length >= 4
            ? (R30xCode.Ok, BinaryPrimitives.ReadUInt16BigEndian(reply.Data), BinaryPrimitives.ReadUInt16BigEndian(reply.Data.AsSpan(2)))
            : (R30xCode.BadReply, -1, 0);
    }

    public async Task<R30xCode> RegisterModelAsync(CancellationToken cancellationToken) =>
        (await SendAsync(R30xInstruction.RegModel, [], cancellationToken)).Code;

    public async Task<R30xCode> StoreAsync(byte buffer, int slot, CancellationToken cancellationToken) =>
        (await SendAsync(R30xInstruction.Store, [buffer, Hi(slot), Lo(slot)], cancellationToken)).Code;

    public async Task<R30xCode> LoadCharAsync(byte buffer, int slot, CancellationToken cancellationToken) =>
        (await SendAsync(R30xInstruction.LoadChar, [buffer, Hi(slot), Lo(slot)], cancellationToken)).Code;

    public async Task<R30xCode> DeleteAsync(int slot, int count, CancellationToken cancellationToken) =>
        (await SendAsync(R30xInstruction.DeleteChar, [Hi(slot), Lo(slot), Hi(count), Lo(count)], cancellationToken)).Code;

    public async Task<(R30xCode Code, int Count)> TemplateCountAsync(CancellationToken cancellationToken)
    {
        var reply = await SendAsync(R30xInstruction.TemplateNum, [], cancellationToken);
        return reply.IsOk && reply.Data.Length >= 2
            ? (R30xCode.Ok, BinaryPrimitives.ReadUInt16BigEndian(reply.Data))
            : (reply.IsOk ? R30xCode.BadReply : reply.Code, 0);
    }

    /// <summary>ReadIndexTable(page 0..3) → 32 bytes; bit b of byte i = slot page*256 + i*8 + b, LSB first (§1).</summary>
    public async Task<(R30xCode Code, byte[] Table)> ReadIndexTableAsync(int page, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(R30xInstruction.ReadIndexTable, [(byte)page], cancellationToken);
        return reply.IsOk && reply.Data.Length >= 32
            ? (R30xCode.Ok, reply.Data[..32])
            : (reply.IsOk ? R30xCode.BadReply : reply.Code, []);
    }

    /// <summary>AuraLedConfig (R50x): ctrl 1 breathing … 4 off, speed, colour 1 red 2 blue 3 purple, count 0 = for ever.</summary>
    public async Task<R30xCode> AuraLedAsync(byte control, byte speed, byte colour, byte count, CancellationToken cancellationToken) =>
        (await SendAsync(R30xInstruction.AuraLedConfig, [control, speed, colour, count], cancellationToken)).Code;

    /// <summary>UpChar: the ack, then data packets (PID 02) until the end packet (PID 08) — read until PID 08,
    /// never assume a count (§1 "Template transfer"; a 512-byte template is 4×128 on R30x, 1536 on new R503).</summary>
    public async Task<(R30xCode Code, byte[] Template)> UploadTemplateAsync(byte buffer, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            // Any rejected packet or stray byte during the transfer may be a lost data packet (a corrupt header
            // turns a whole packet into skipped bytes), which would silently shorten the template: refuse it whole.
            // Counted from before the command: data packets read in the same chunk as the ack are parsed with it.
            var faultsBefore = TransferFaults();
            var reply = await TransactAsync(R30xPacket.Command(R30xInstruction.UpChar, buffer), cancellationToken);
            if (!reply.IsOk)
            {
                return (reply.Code, []);
            }

            var template = new List<byte>(1536);
            while (true)
            {
                var packet = await ReadPacketAsync(cancellationToken);
                if (packet is null)
                {
                    _log.LogWarning("Fingerprint module on {Port}: template upload stopped after {Bytes} bytes (timeout)", _port.Name, template.Count);
                    return (Lost(R30xCode.Timeout), []);
                }

                if (packet.Pid is not (R30xPid.Data or R30xPid.EndOfData) || TransferFaults() != faultsBefore)
                {
                    _log.LogWarning("Fingerprint module on {Port}: corrupt packet during template upload ({Stats})", _port.Name, _parser.Statistics);
                    return (Lost(R30xCode.BadReply), []);
                }

                template.AddRange(packet.Payload);
                if (packet.Pid == R30xPid.EndOfData)
                {
                    return (R30xCode.Ok, template.ToArray());
                }
            }
        }
        catch (SerialPortGoneException gone)
        {
            // The data packets are read here, outside TransactAsync: the contract (a typed code, never an
            // exception for the module's behaviour) holds for them too.
            _log.LogWarning("Fingerprint module on {Port} is gone during a template upload: {Reason}", _port.Name, gone.Reason);
            return (Lost(R30xCode.PortGone), []);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>DownChar: the ack, then the host sends data packets of <see cref="PacketBytes"/>, the last one
    /// PID 08 — each checksummed with the PID it carries (§1; Adafruit adds 0x02 even for 08, a bug).</summary>
    public async Task<R30xCode> DownloadTemplateAsync(byte buffer, ReadOnlyMemory<byte> template, CancellationToken cancellationToken)
    {
        if (template.IsEmpty)
        {
            throw new ArgumentException("A template has at least one byte.", nameof(template));
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            var reply = await TransactAsync(R30xPacket.Command(R30xInstruction.DownChar, buffer), cancellationToken);
            if (!reply.IsOk)
            {
                return reply.Code;
            }

            for (var offset = 0; offset < template.Length; offset += PacketBytes)
            {
                var size = Math.Min(PacketBytes, template.Length - offset);
                var last = offset + size >= template.Length;
                var packet = new R30xPacket(last ? R30xPid.EndOfData : R30xPid.Data, template.Slice(offset, size).ToArray(), _options.Address);
                await _port.WriteAsync(packet.Encode(), cancellationToken);
            }

            return R30xCode.Ok;
        }
        catch (SerialPortGoneException gone)
        {
            _log.LogWarning("Fingerprint module on {Port} is gone: {Reason}", _port.Name, gone.Reason);
            return Lost(R30xCode.PortGone);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>One command → one ack. The ack's first payload byte is the confirmation code.</summary>
    public async Task<R30xReply> SendAsync(R30xInstruction instruction, byte[] parameters, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return await TransactAsync(R30xPacket.Command(instruction, parameters), cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _port.Dispose();
        _lock.Dispose();
    }

    private async Task<R30xReply> TransactAsync(R30xPacket command, CancellationToken cancellationToken)
    {
        var instruction = (R30xInstruction)command.Payload[0];
        try
        {
            // Half duplex: anything queued now is stale (e.g. the R503's 0x55 "ready" byte, §1).
            _port.DiscardInput();
            _packets.Clear();
            await _port.WriteAsync((command with { Address = _options.Address }).Encode(), cancellationToken);
            var ack = await ReadPacketAsync(cancellationToken);
            if (ack is null)
            {
                _log.LogWarning("Fingerprint module on {Port}: no reply to {Instruction} within {Timeout}", _port.Name, instruction, _options.ReplyTimeout);
                return new R30xReply(Lost(R30xCode.Timeout), []);
            }

            if (ack.Pid != R30xPid.Ack || ack.Payload.Length == 0)
            {
                _log.LogWarning("Fingerprint module on {Port}: expected an ack to {Instruction}, got PID {Pid}", _port.Name, instruction, ack.Pid);
                return new R30xReply(Lost(R30xCode.BadReply), []);
            }

            var code = R30xCodes.FromByte(ack.Payload[0]);
            if (code is not (R30xCode.Ok or R30xCode.NoFinger))
            {
                _log.LogDebug("Fingerprint module on {Port}: {Instruction} → 0x{Code:X2} {Meaning}", _port.Name, instruction, ack.Payload[0], R30xCodes.Describe(code));
            }

            return new R30xReply(code, ack.Payload[1..]);
        }
        catch (SerialPortGoneException gone)
        {
            _log.LogWarning("Fingerprint module on {Port} is gone during {Instruction}: {Reason}", _port.Name, instruction, gone.Reason);
            return new R30xReply(Lost(R30xCode.PortGone), []);
        }
    }

    private async Task<R30xPacket?> ReadPacketAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (_packets.Count == 0)
        {
            var remaining = _options.ReplyTimeout - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            // Mid-packet, a quiet line means the packet was cut short (or its length field was noise): give up on
            // it after the inter-byte gap and rescan, instead of waiting for bytes that will never come.
            var inPacket = _parser.InFrame;
            var n = await _port.ReadAsync(_readBuffer, inPacket && remaining > InterByteGap ? InterByteGap : remaining, cancellationToken);
            if (n == 0)
            {
                if (inPacket && _parser.Flush())
                {
                    while (_parser.TryTake(out var rescued))
                    {
                        _packets.Enqueue(rescued!);
                    }

                    continue;
                }

                if (inPacket && remaining > InterByteGap)
                {
                    _log.LogWarning("Truncated packet from the fingerprint module on {Port} ({Stats})", _port.Name, _parser.Statistics);
                    continue;
                }

                return null;
            }

            for (var i = 0; i < n; i++)
            {
                if (_parser.TryPush(_readBuffer[i], out var packet))
                {
                    do
                    {
                        _packets.Enqueue(packet!);
                    }
                    while (_parser.TryTake(out packet));
                }
                else if (_parser.LastError is not (R30xPacketError.None or R30xPacketError.Garbage))
                {
                    _log.LogWarning("Bad packet from the fingerprint module on {Port}: {Reason} ({Stats})", _port.Name, _parser.LastError, _parser.Statistics);
                }
            }
        }

        return _packets.Dequeue();
    }

    /// <summary>A host-side failure: the module's state is unknown until the next good VfyPwd.</summary>
    private R30xCode Lost(R30xCode code)
    {
        _resyncNeeded = true;
        return code;
    }

    private long TransferFaults() => _parser.Statistics.Errors + _parser.Statistics.GarbageBytes;

    private static byte Hi(int value) => (byte)(value >> 8);

    private static byte Lo(int value) => (byte)value;
}

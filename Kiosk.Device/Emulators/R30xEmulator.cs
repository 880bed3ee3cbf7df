using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Kiosk.Device.Devices.Fingerprint;
using Kiosk.Device.Linux.Serial;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Emulators;

public sealed record R30xEmulatorOptions
{
    /// <summary>1000 like the R307 (the R503 has 200), §1 "Timing".</summary>
    public int Capacity { get; init; } = 1000;

    /// <summary>512-byte templates (R30x/ZFM), sent as data packets of <see cref="PacketBytes"/>.</summary>
    public int TemplateBytes { get; init; } = 512;

    /// <summary>Packet-size code 2 = 128 bytes (the default, §1 "Template transfer").</summary>
    public int PacketSizeCode { get; init; } = 2;

    public uint Address { get; init; } = R30xPacket.DefaultAddress;

    public uint Password { get; init; }

    /// <summary>When true, commands other than VfyPwd answer 0x21 until the password was verified (R50x).</summary>
    public bool RequirePassword { get; init; } = true;

    public ushort SecurityLevel { get; init; } = 3;

    /// <summary>Baud multiplier N reported by ReadSysPara (6 × 9600 = 57600).</summary>
    public ushort BaudMultiplier { get; init; } = 6;

    public int PacketBytes => 32 << PacketSizeCode;
}

/// <summary>An R30x/R50x fingerprint module on the other end of a serial line, speaking the real packet
/// protocol (hardware-protocols.md §1): a template library in memory, a finger that is on or off the sensor,
/// search/match, template upload/download in multi-packet form, every confirmation code, plus fault injection.
/// A "finger" is a name; its template is derived from the name, so the same finger always matches itself.
/// Product code: the kiosk's --simulate mode runs it too.</summary>
public sealed class R30xEmulator : IAsyncDisposable
{
    private readonly ISerialTransport _port;
    private readonly R30xEmulatorOptions _options;
    private readonly ILogger _log;
    private readonly object _gate = new();
    private readonly Dictionary<int, byte[]> _library = [];
    private readonly byte[]?[] _buffers = new byte[]?[7];
    private readonly Dictionary<R30xInstruction, R30xCode> _failNext = [];
    private readonly CancellationTokenSource _stop = new();
    private byte[]? _finger;
    private int _fingerScore = 100;
    private byte[]? _image;
    private bool _passwordVerified;
    private int _downloadBuffer = -1;
    private List<byte>? _download;
    private Task? _loop;

    public R30xEmulator(ISerialTransport port, R30xEmulatorOptions? options = null, ILogger? log = null)
    {
        _port = port;
        _options = options ?? new R30xEmulatorOptions();
        _log = log ?? NullLogger.Instance;
    }

    public int CommandsHandled { get; private set; }

    /// <summary>Instructions in the order received (for tests that check what the driver sent).</summary>
    public IReadOnlyList<R30xInstruction> Received
    {
        get
        {
            lock (_gate)
            {
                return _received.ToArray();
            }
        }
    }

    private readonly List<R30xInstruction> _received = [];

    /// <summary>The last AuraLedConfig (control, speed, colour, count), if any.</summary>
    public (byte Control, byte Speed, byte Colour, byte Count)? Aura { get; private set; }

    /// <summary>When true the module ignores commands (a reader gone silent).</summary>
    public bool Silent { get; set; }

    /// <summary>Bytes written before the next reply (garbage on the line).</summary>
    public byte[]? GarbageBeforeNextReply { get; set; }

    /// <summary>The next reply goes out with a wrong checksum.</summary>
    public bool CorruptNextReply { get; set; }

    public FrameStatistics Statistics => _parser.Statistics;

    private readonly R30xPacketParser _parser = new();

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>The template a named finger produces (deterministic, <see cref="R30xEmulatorOptions.TemplateBytes"/> long).</summary>
    public byte[] TemplateOf(string finger)
    {
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(finger));
        var template = new byte[_options.TemplateBytes];
        for (var i = 0; i < template.Length; i++)
        {
            template[i] = (byte)(seed[i % seed.Length] ^ (i / seed.Length));
        }

        return template;
    }

    /// <summary>Puts a finger's template straight into the library (a worker enrolled earlier).</summary>
    public void Enrol(int slot, string finger)
    {
        lock (_gate)
        {
            _library[slot] = TemplateOf(finger);
        }
    }

    /// <summary>A finger touches the sensor; searches report <paramref name="score"/> when it matches.</summary>
    public void PutFinger(string finger, int score = 100)
    {
        lock (_gate)
        {
            _finger = TemplateOf(finger);
            _fingerScore = score;
        }
    }

    /// <summary>"Next finger = slot N": the finger of whoever is stored in that slot.</summary>
    public void PutFingerOfSlot(int slot, int score = 100)
    {
        lock (_gate)
        {
            _finger = _library.TryGetValue(slot, out var t) ? t : throw new InvalidOperationException($"Slot {slot} is empty.");
            _fingerScore = score;
        }
    }

    /// <summary>A finger nobody enrolled.</summary>
    public void PutUnknownFinger() => PutFinger("unknown " + Guid.NewGuid().ToString("N"));

    public void LiftFinger()
    {
        lock (_gate)
        {
            _finger = null;
        }
    }

    /// <summary>The next <paramref name="instruction"/> answers <paramref name="code"/> instead of its result.</summary>
    public void FailNext(R30xInstruction instruction, R30xCode code)
    {
        lock (_gate)
        {
            _failNext[instruction] = code;
        }
    }

    public IReadOnlyDictionary<int, byte[]> Library
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<int, byte[]>(_library);
            }
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

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        while (!cancellationToken.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await _port.ReadAsync(buffer, TimeSpan.FromMilliseconds(200), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SerialPortGoneException)
            {
                return;
            }

            for (var i = 0; i < n; i++)
            {
                if (_parser.TryPush(buffer[i], out var packet))
                {
                    await HandleAsync(packet!, cancellationToken);
                }
                else if (_parser.LastError == R30xPacketError.Checksum && !Silent)
                {
                    // The module's answer to a packet it could not read (§1 code 01).
                    await ReplyAsync(R30xPacket.Ack(R30xCode.ReceiveError), cancellationToken);
                }
            }
        }
    }

    private async Task HandleAsync(R30xPacket packet, CancellationToken cancellationToken)
    {
        if (packet.Pid is R30xPid.Data or R30xPid.EndOfData)
        {
            ReceiveTemplatePart(packet);
            return;
        }

        if (packet.Pid != R30xPid.Command || packet.Payload.Length == 0 || Silent)
        {
            return;
        }

        var instruction = (R30xInstruction)packet.Payload[0];
        var p = packet.Payload.AsSpan(1);
        List<R30xPacket> replies;
        lock (_gate)
        {
            CommandsHandled++;
            _received.Add(instruction);
            if (_failNext.Remove(instruction, out var injected))
            {
                replies = [R30xPacket.Ack(injected)];
            }
            else if (_options.RequirePassword && !_passwordVerified && instruction != R30xInstruction.VfyPwd)
            {
                replies = [R30xPacket.Ack(R30xCode.PasswordNotVerified)];
            }
            else
            {
                replies = Execute(instruction, p);
            }
        }

        foreach (var reply in replies)
        {
            await ReplyAsync(reply, cancellationToken);
        }
    }

    // Runs under _gate. One method per instruction would be clearer but longer; each case cites §1's table.
    private List<R30xPacket> Execute(R30xInstruction instruction, ReadOnlySpan<byte> p)
    {
        switch (instruction)
        {
            case R30xInstruction.VfyPwd when p.Length == 4:
                _passwordVerified = BinaryPrimitives.ReadUInt32BigEndian(p) == _options.Password;
                return [R30xPacket.Ack(_passwordVerified ? R30xCode.Ok : R30xCode.WrongPassword)];
            case R30xInstruction.ReadSysPara:
                var sys = new byte[16];
                BinaryPrimitives.WriteUInt16BigEndian(sys.AsSpan(4), (ushort)_options.Capacity);
                BinaryPrimitives.WriteUInt16BigEndian(sys.AsSpan(6), _options.SecurityLevel);
                BinaryPrimitives.WriteUInt32BigEndian(sys.AsSpan(8), _options.Address);
                BinaryPrimitives.WriteUInt16BigEndian(sys.AsSpan(12), (ushort)_options.PacketSizeCode);
                BinaryPrimitives.WriteUInt16BigEndian(sys.AsSpan(14), _options.BaudMultiplier);
                return [R30xPacket.Ack(R30xCode.Ok, sys)];
            case R30xInstruction.GenImg:
                _image = _finger;
                return [R30xPacket.Ack(_finger is null ? R30xCode.NoFinger : R30xCode.Ok)];
            case R30xInstruction.Img2Tz when p.Length == 1 && p[0] is >= 1 and <= 6:
                if (_image is null)
                {
                    return [R30xPacket.Ack(R30xCode.NoValidImage)];
                }

                _buffers[p[0]] = _image;
                return [R30xPacket.Ack(R30xCode.Ok)];
            case R30xInstruction.Match:
                return _buffers[1] is { } a && _buffers[2] is { } b && a.AsSpan().SequenceEqual(b)
                    ? [R30xPacket.Ack(R30xCode.Ok, Be16(_fingerScore))]
                    : [R30xPacket.Ack(R30xCode.NoMatch, 0, 0)];
            case R30xInstruction.Search or (R30xInstruction)0x1B when p.Length == 5:
                return [Search(p[0], BinaryPrimitives.ReadUInt16BigEndian(p[1..]), BinaryPrimitives.ReadUInt16BigEndian(p[3..]))];
            case R30xInstruction.RegModel:
                if (_buffers[1] is null || _buffers[2] is null || !_buffers[1].AsSpan().SequenceEqual(_buffers[2]))
                {
                    return [R30xPacket.Ack(R30xCode.MergeFailed)];
                }

                return [R30xPacket.Ack(R30xCode.Ok)];
            case R30xInstruction.Store when p.Length == 3:
                var storeSlot = BinaryPrimitives.ReadUInt16BigEndian(p[1..]);
                if (storeSlot >= _options.Capacity)
                {
                    return [R30xPacket.Ack(R30xCode.PageOutOfRange)];
                }

                if (_buffers[p[0]] is not { } model)
                {
                    return [R30xPacket.Ack(R30xCode.TemplateEmpty)];
                }

                _library[storeSlot] = model;
                return [R30xPacket.Ack(R30xCode.Ok)];
            case R30xInstruction.LoadChar when p.Length == 3:
                var loadSlot = BinaryPrimitives.ReadUInt16BigEndian(p[1..]);
                if (loadSlot >= _options.Capacity)
                {
                    return [R30xPacket.Ack(R30xCode.PageOutOfRange)];
                }

                if (!_library.TryGetValue(loadSlot, out var loaded))
                {
                    return [R30xPacket.Ack(R30xCode.TemplateInvalid)];
                }

                _buffers[p[0]] = loaded;
                return [R30xPacket.Ack(R30xCode.Ok)];
            case R30xInstruction.UpChar when p.Length == 1:
                return UpChar(p[0]);
            case R30xInstruction.DownChar when p.Length == 1:
                _downloadBuffer = p[0];
                _download = [];
                return [R30xPacket.Ack(R30xCode.Ok)];
            case R30xInstruction.DeleteChar when p.Length == 4:
                var first = BinaryPrimitives.ReadUInt16BigEndian(p);
                var count = BinaryPrimitives.ReadUInt16BigEndian(p[2..]);
                if (first + count > _options.Capacity)
                {
                    return [R30xPacket.Ack(R30xCode.DeleteFailed)];
                }

                for (var s = first; s < first + count; s++)
                {
                    _library.Remove(s);
                }

                return [R30xPacket.Ack(R30xCode.Ok)];
            case R30xInstruction.Empty:
                _library.Clear();
                return [R30xPacket.Ack(R30xCode.Ok)];
            case R30xInstruction.TemplateNum:
                return [R30xPacket.Ack(R30xCode.Ok, Be16(_library.Count))];
            case R30xInstruction.ReadIndexTable when p.Length == 1 && p[0] <= 3:
                var table = new byte[32];
                var page = p[0];
                foreach (var slot in _library.Keys.Where(s => s / 256 == page))
                {
                    var i = slot % 256;
                    table[i / 8] |= (byte)(1 << (i % 8));
                }

                return [R30xPacket.Ack(R30xCode.Ok, table)];
            case R30xInstruction.AuraLedConfig when p.Length == 4:
                Aura = (p[0], p[1], p[2], p[3]);
                return [R30xPacket.Ack(R30xCode.Ok)];
            case R30xInstruction.CheckSensor or R30xInstruction.HandShake:
                return [R30xPacket.Ack(R30xCode.Ok)];
            default:
                _log.LogWarning("R30x emulator: unsupported or malformed instruction 0x{Instruction:X2}", (byte)instruction);
                return [R30xPacket.Ack(R30xCode.Unsupported)];
        }
    }

    private R30xPacket Search(byte buffer, int start, int count)
    {
        if (buffer is < 1 or > 6 || _buffers[buffer] is not { } probe)
        {
            return R30xPacket.Ack(R30xCode.NotFound, 0, 0, 0, 0);
        }

        foreach (var (slot, template) in _library.OrderBy(kv => kv.Key))
        {
            if (slot >= start && slot < start + count && template.AsSpan().SequenceEqual(probe))
            {
                return R30xPacket.Ack(R30xCode.Ok, [.. Be16(slot), .. Be16(_fingerScore)]);
            }
        }

        return R30xPacket.Ack(R30xCode.NotFound, 0, 0, 0, 0);
    }

    private List<R30xPacket> UpChar(byte buffer)
    {
        if (buffer is < 1 or > 6 || _buffers[buffer] is not { } template)
        {
            return [R30xPacket.Ack(R30xCode.TemplateUploadError)];
        }

        // Ack, then PID 02 packets and a final PID 08 (§1 "Template transfer").
        var replies = new List<R30xPacket> { R30xPacket.Ack(R30xCode.Ok) };
        var size = _options.PacketBytes;
        for (var offset = 0; offset < template.Length; offset += size)
        {
            var n = Math.Min(size, template.Length - offset);
            var pid = offset + n >= template.Length ? R30xPid.EndOfData : R30xPid.Data;
            replies.Add(new R30xPacket(pid, template.AsSpan(offset, n).ToArray(), _options.Address));
        }

        return replies;
    }

    private void ReceiveTemplatePart(R30xPacket packet)
    {
        lock (_gate)
        {
            if (_download is null)
            {
                _log.LogWarning("R30x emulator: data packet without DownChar");
                return;
            }

            _download.AddRange(packet.Payload);
            if (packet.Pid == R30xPid.EndOfData)
            {
                _buffers[_downloadBuffer] = _download.ToArray();
                _download = null;
            }
        }
    }

    private async Task ReplyAsync(R30xPacket reply, CancellationToken cancellationToken)
    {
        var bytes = (reply with { Address = _options.Address }).Encode();
        byte[]? garbage;
        lock (_gate)
        {
            garbage = GarbageBeforeNextReply;
            GarbageBeforeNextReply = null;
            if (CorruptNextReply)
            {
                bytes[^1] ^= 0x5A;
                CorruptNextReply = false;
            }
        }

        try
        {
            if (garbage is not null)
            {
                await _port.WriteAsync(garbage, cancellationToken);
            }

            await _port.WriteAsync(bytes, cancellationToken);
        }
        catch (SerialPortGoneException)
        {
            // The host went away; the loop ends on its next read.
        }
    }

    private static byte[] Be16(int value) => [(byte)(value >> 8), (byte)value];
}

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
public sealed partial class R30xEmulator : IAsyncDisposable
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
        // §1 "Packet": the module answers only packets carrying its own address; the parser drops the others.
        _parser = new R30xPacketParser(_options.Address);
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

    private readonly R30xPacketParser _parser;

    /// <summary>Starts answering. The loop starts here, not via Task.Run, and resumes on the port's waiter thread
    /// (ConfigureAwait(false)), so a busy or starved thread pool cannot delay the first answer past the driver's
    /// timeout (the "first command after open gets no reply" symptom).</summary>
    public void Start() => _loop ??= RunAsync(_stop.Token);

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
                n = await _port.ReadAsync(buffer, TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
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
                    do
                    {
                        await HandleAsync(packet!, cancellationToken).ConfigureAwait(false);
                    }
                    while (_parser.TryTake(out packet));
                }
                else if (_parser.LastError == R30xPacketError.Checksum && !Silent)
                {
                    // The module's answer to a packet it could not read (§1 code 01).
                    await ReplyAsync(R30xPacket.Ack(R30xCode.ReceiveError), cancellationToken).ConfigureAwait(false);
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
}

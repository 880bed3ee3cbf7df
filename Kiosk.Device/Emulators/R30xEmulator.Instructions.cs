using System.Buffers.Binary;
using Kiosk.Device.Devices.Fingerprint;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Emulators;

/// <summary>The instruction set of the emulated module: what each instruction of hardware-protocols.md §1
/// ("Instructions" table) does to the library, the char buffers and the finger.</summary>
public sealed partial class R30xEmulator
{
    /// <summary>The answer to a BufferID outside the module's char buffers. §1 has no code of its own for a bad
    /// BufferID; 01 ("error receiving the packet") is the failure every instruction's ack lists for a command the
    /// module could not take as sent. A wrong id from the host must never stop the emulator (it used to index past
    /// the buffer array and end the answering loop).</summary>
    public const R30xCode BadBuffer = R30xCode.ReceiveError;

    /// <summary>Char buffers 1 and 2 on the R30x, 1..6 on the R503 (§1 Img2Tz); the emulator has six.</summary>
    private static bool IsCharBuffer(byte id) => id is >= 1 and <= 6;

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
            case R30xInstruction.Img2Tz when p.Length == 1:
                if (!IsCharBuffer(p[0]))
                {
                    return [R30xPacket.Ack(BadBuffer)];
                }

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
                if (!IsCharBuffer(p[0]))
                {
                    return [R30xPacket.Ack(BadBuffer)];
                }

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
                if (!IsCharBuffer(p[0]))
                {
                    return [R30xPacket.Ack(BadBuffer)];
                }

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
                if (!IsCharBuffer(p[0]))
                {
                    return [R30xPacket.Ack(BadBuffer)];
                }

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
        if (!IsCharBuffer(buffer) || _buffers[buffer] is not { } probe)
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
        if (!IsCharBuffer(buffer) || _buffers[buffer] is not { } template)
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

    private static byte[] Be16(int value) => [(byte)(value >> 8), (byte)value];
}

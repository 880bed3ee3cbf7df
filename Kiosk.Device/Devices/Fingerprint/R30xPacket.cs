using System.Buffers.Binary;
using Kiosk.Device.Linux.Serial;

namespace Kiosk.Device.Devices.Fingerprint;

/// <summary>One packet (hardware-protocols.md §1 "Packet"): EF 01 | address(4) | PID | length(2) | payload |
/// checksum(2), big-endian; length = payload + 2; checksum = (PID + len_hi + len_lo + Σpayload) mod 65536,
/// header and address not summed.</summary>
public sealed record R30xPacket(R30xPid Pid, byte[] Payload, uint Address = R30xPacket.DefaultAddress)
{
    public const uint DefaultAddress = 0xFFFFFFFF;
    public const int Overhead = 11; // header 2 + address 4 + PID 1 + length 2 + checksum 2

    /// <summary>Payload limit: 256 data bytes (packet-size code 3) plus nothing else; commands are far shorter.</summary>
    public const int MaxPayload = 256;

    public static R30xPacket Command(R30xInstruction instruction, params byte[] parameters)
    {
        var payload = new byte[parameters.Length + 1];
        payload[0] = (byte)instruction;
        parameters.CopyTo(payload, 1);
        return new R30xPacket(R30xPid.Command, payload);
    }

    public static R30xPacket Ack(R30xCode code, params byte[] data)
    {
        var payload = new byte[data.Length + 1];
        payload[0] = (byte)code;
        data.CopyTo(payload, 1);
        return new R30xPacket(R30xPid.Ack, payload);
    }

    public byte[] Encode()
    {
        if (Payload.Length > MaxPayload)
        {
            throw new InvalidOperationException($"An R30x packet payload is at most {MaxPayload} bytes.");
        }

        var frame = new byte[Payload.Length + Overhead];
        frame[0] = 0xEF;
        frame[1] = 0x01;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(2), Address);
        frame[6] = (byte)Pid;
        var length = (ushort)(Payload.Length + 2);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(7), length);
        Payload.CopyTo(frame, 9);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(9 + Payload.Length), Checksum((byte)Pid, length, Payload));
        return frame;
    }

    public static ushort Checksum(byte pid, ushort length, ReadOnlySpan<byte> payload)
    {
        var sum = pid + (length >> 8) + (length & 0xFF);
        foreach (var b in payload)
        {
            sum += b;
        }

        return (ushort)sum;
    }
}

public enum R30xPacketError { None, Garbage, WrongAddress, BadPid, BadLength, Checksum }

/// <summary>Byte-at-a-time packet parser: hunts for EF 01, then checks address, PID, length and checksum.
/// A rejected packet is counted and the hunt restarts; a packet with a wrong checksum is never returned.</summary>
public sealed class R30xPacketParser(uint address = R30xPacket.DefaultAddress)
{
    private readonly byte[] _buffer = new byte[R30xPacket.MaxPayload + R30xPacket.Overhead];
    private int _count;
    private int _needed;

    public FrameStatistics Statistics { get; } = new();

    public R30xPacketError LastError { get; private set; }

    public bool TryPush(byte b, out R30xPacket? packet)
    {
        packet = null;
        LastError = R30xPacketError.None;
        switch (_count)
        {
            case 0:
                if (b == 0xEF)
                {
                    _buffer[_count++] = b;
                }
                else
                {
                    Statistics.Garbage();
                    LastError = R30xPacketError.Garbage;
                }

                return false;
            case 1:
                if (b == 0x01)
                {
                    _buffer[_count++] = b;
                }
                else
                {
                    Statistics.Garbage();
                    LastError = R30xPacketError.Garbage;
                    _count = b == 0xEF ? 1 : 0;
                }

                return false;
        }

        _buffer[_count++] = b;
        if (_count == 6 && BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(2)) != address)
        {
            return Fail(R30xPacketError.WrongAddress);
        }

        if (_count == 7 && b is not ((byte)R30xPid.Command or (byte)R30xPid.Data or (byte)R30xPid.Ack or (byte)R30xPid.EndOfData))
        {
            return Fail(R30xPacketError.BadPid);
        }

        if (_count == 9)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(7));
            // length counts payload + checksum; a payload of 1..256 bytes (data packets may not be empty either).
            if (length < 3 || length > R30xPacket.MaxPayload + 2)
            {
                return Fail(R30xPacketError.BadLength);
            }

            _needed = 9 + length;
        }

        if (_count < 9 || _count < _needed)
        {
            return false;
        }

        var len = (ushort)(_needed - 9);
        var payload = _buffer.AsSpan(9, len - 2);
        var expected = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_needed - 2));
        _count = 0;
        if (R30xPacket.Checksum(_buffer[6], len, payload) != expected)
        {
            Statistics.Checksum();
            LastError = R30xPacketError.Checksum;
            return false;
        }

        Statistics.Frame();
        packet = new R30xPacket((R30xPid)_buffer[6], payload.ToArray(), address);
        return true;
    }

    private bool Fail(R30xPacketError error)
    {
        Statistics.Corruption();
        LastError = error;
        _count = 0;
        return false;
    }
}

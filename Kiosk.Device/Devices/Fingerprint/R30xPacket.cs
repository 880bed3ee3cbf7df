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
/// A rejected packet is counted, and the bytes after its false start are scanned again, so noise that happened
/// to contain EF 01 cannot swallow the real packet behind it. A packet with a wrong checksum is never returned.</summary>
public sealed class R30xPacketParser(uint address = R30xPacket.DefaultAddress)
{
    private readonly byte[] _buffer = new byte[R30xPacket.MaxPayload + R30xPacket.Overhead];
    private readonly Queue<R30xPacket> _ready = new();
    private int _count;
    private int _needed;

    public FrameStatistics Statistics { get; } = new();

    /// <summary>The first error the last pushed byte caused (None when it was fine).</summary>
    public R30xPacketError LastError { get; private set; }

    /// <summary>Feeds one byte; true with a packet when one is complete. A byte can complete more than one
    /// packet (after a rescan): take the rest with <see cref="TryTake"/>.</summary>
    public bool TryPush(byte b, out R30xPacket? packet)
    {
        LastError = R30xPacketError.None;
        Step(b);
        return TryTake(out packet);
    }

    public bool TryTake(out R30xPacket? packet) => _ready.TryDequeue(out packet);

    /// <summary>True while a packet has started but is not complete.</summary>
    public bool InFrame => _count > 0;

    /// <summary>The line went quiet mid-packet: the started packet is truncated (or a false start whose length
    /// field was noise). Counts it and rescans its bytes; returns true if that completed a packet.</summary>
    public bool Flush()
    {
        // Each round drops the first byte of the started packet, so this ends; a rescan can start another
        // false packet that again runs to the end of the bytes, hence the loop.
        while (_count > 0)
        {
            Statistics.Truncate();
            var replay = _buffer.AsSpan(1, _count - 1).ToArray();
            _count = 0;
            foreach (var r in replay)
            {
                Step(r);
            }
        }

        return _ready.Count > 0;
    }

    private void Step(byte b)
    {
        switch (_count)
        {
            case 0:
                if (b == 0xEF)
                {
                    _buffer[_count++] = b;
                }
                else
                {
                    Error(R30xPacketError.Garbage);
                    Statistics.Garbage();
                }

                return;
            case 1:
                if (b == 0x01)
                {
                    _buffer[_count++] = b;
                }
                else
                {
                    Error(R30xPacketError.Garbage);
                    Statistics.Garbage();
                    _count = 0;
                    Step(b);
                }

                return;
        }

        _buffer[_count++] = b;
        if (_count == 6 && BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(2)) != address)
        {
            Reject(R30xPacketError.WrongAddress);
            return;
        }

        if (_count == 7 && b is not ((byte)R30xPid.Command or (byte)R30xPid.Data or (byte)R30xPid.Ack or (byte)R30xPid.EndOfData))
        {
            Reject(R30xPacketError.BadPid);
            return;
        }

        if (_count == 9)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(7));
            // length counts payload + checksum; a payload of 1..256 bytes (data packets may not be empty either).
            if (length < 3 || length > R30xPacket.MaxPayload + 2)
            {
                Reject(R30xPacketError.BadLength);
                return;
            }

            _needed = 9 + length;
        }

        if (_count < 9 || _count < _needed)
        {
            return;
        }

        var len = (ushort)(_needed - 9);
        var payload = _buffer.AsSpan(9, len - 2);
        var expected = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_needed - 2));
        if (R30xPacket.Checksum(_buffer[6], len, payload) != expected)
        {
            Reject(R30xPacketError.Checksum);
            return;
        }

        _count = 0;
        Statistics.Frame();
        _ready.Enqueue(new R30xPacket((R30xPid)_buffer[6], payload.ToArray(), address));
    }

    /// <summary>Counts the rejected packet and rescans every byte after its EF: the real packet may start there.</summary>
    private void Reject(R30xPacketError error)
    {
        Error(error);
        if (error == R30xPacketError.Checksum)
        {
            Statistics.Checksum();
        }
        else
        {
            Statistics.Corruption();
        }

        var replay = _buffer.AsSpan(1, _count - 1).ToArray();
        _count = 0;
        foreach (var r in replay)
        {
            Step(r);
        }
    }

    private void Error(R30xPacketError error)
    {
        if (LastError == R30xPacketError.None)
        {
            LastError = error;
        }
    }
}

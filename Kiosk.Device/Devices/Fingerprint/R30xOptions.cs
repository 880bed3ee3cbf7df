using System.Buffers.Binary;

namespace Kiosk.Device.Devices.Fingerprint;

public sealed record R30xOptions(string Name = "fingerprint")
{
    /// <summary>57600 8N1 is the factory default (§1 "Serial").</summary>
    public int BaudRate { get; init; } = 57600;

    public uint Address { get; init; } = R30xPacket.DefaultAddress;

    /// <summary>0x00000000 for most modules (§1: the R30X library's 0xFFFFFFFF default is wrong).</summary>
    public uint Password { get; init; }

    /// <summary>Host read timeout: §1 "Timing" gives 1 s (Adafruit) to 2 s (pyfingerprint); a 1:1000 search
    /// on the R307 takes up to 1 s, so 2 s.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>GenImg polling period while waiting for a finger (an image takes 0.2–0.3 s anyway).</summary>
    public TimeSpan FingerPollInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}

public sealed record R30xReply(R30xCode Code, byte[] Data)
{
    public bool IsOk => Code == R30xCode.Ok;
}

/// <summary>ReadSysPara's 16 bytes (§1): status, system id, capacity, security level, address, packet-size
/// code (0..3 = 32/64/128/256 bytes) and the baud multiplier N (baud = 9600 × N).</summary>
public sealed record R30xSystemParameters(ushort Status, ushort SystemId, ushort Capacity, ushort SecurityLevel,
    uint Address, ushort PacketSizeCode, ushort BaudMultiplier)
{
    public int PacketBytes => 32 << Math.Min((int)PacketSizeCode, 3);

    public int BaudRate => 9600 * BaudMultiplier;

    public static R30xSystemParameters Parse(ReadOnlySpan<byte> d) => new(
        BinaryPrimitives.ReadUInt16BigEndian(d), BinaryPrimitives.ReadUInt16BigEndian(d[2..]),
        BinaryPrimitives.ReadUInt16BigEndian(d[4..]), BinaryPrimitives.ReadUInt16BigEndian(d[6..]),
        BinaryPrimitives.ReadUInt32BigEndian(d[8..]), BinaryPrimitives.ReadUInt16BigEndian(d[12..]),
        BinaryPrimitives.ReadUInt16BigEndian(d[14..]));
}

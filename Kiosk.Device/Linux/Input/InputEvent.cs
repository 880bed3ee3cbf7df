using System.Buffers.Binary;

namespace Kiosk.Device.Linux.Input;

/// <summary>struct input_event as read from /dev/input/eventN (hardware-protocols.md §4).</summary>
public readonly record struct InputEvent(long Seconds, long Microseconds, ushort Type, ushort Code, int Value)
{
    public const ushort EvSyn = 0;
    public const ushort EvKey = 1;
    public const ushort EvMsc = 4;

    /// <summary>EV_KEY value: 1 press, 0 release, 2 autorepeat (§4).</summary>
    public bool IsKeyDown => Type == EvKey && Value == 1;
}

/// <summary>Where the fields of struct input_event sit. The size follows the process's bitness, not the kernel's:
/// 24 bytes in a 64-bit process, 16 in a 32-bit one — the kernel keeps the 16-byte layout for 32-bit userspace even
/// with 64-bit time_t (§4, linux include/uapi/linux/input.h). A parameter so both are tested on any machine.</summary>
public sealed record InputEventLayout(int Size, int TimeFieldSize)
{
    /// <summary>aarch64/x86_64: sec int64 @0, usec int64 @8, type u16 @16, code u16 @18, value s32 @20.</summary>
    public static InputEventLayout Bits64 { get; } = new(24, 8);

    /// <summary>armhf: sec u32 @0, usec u32 @4, type @8, code @10, value @12.</summary>
    public static InputEventLayout Bits32 { get; } = new(16, 4);

    /// <summary>Chosen by IntPtr.Size (§4: "by process bitness, not by the kernel").</summary>
    public static InputEventLayout Native => IntPtr.Size == 8 ? Bits64 : Bits32;

    private int TypeOffset => TimeFieldSize * 2;

    public InputEvent Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size)
        {
            throw new ArgumentException($"input_event is {Size} bytes here, got {bytes.Length}.", nameof(bytes));
        }

        long seconds = TimeFieldSize == 8 ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        long micros = TimeFieldSize == 8 ? BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        return new InputEvent(
            seconds,
            micros,
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[TypeOffset..]),
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[(TypeOffset + 2)..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[(TypeOffset + 4)..]));
    }

    /// <summary>The inverse of <see cref="Decode"/>. Only the tests use it, to write the bytes a keyboard would
    /// (the product reads input_event and never writes one).</summary>
    public void Encode(InputEvent inputEvent, Span<byte> bytes)
    {
        bytes[..Size].Clear();
        if (TimeFieldSize == 8)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, inputEvent.Seconds);
            BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], inputEvent.Microseconds);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)inputEvent.Seconds);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes[4..], (uint)inputEvent.Microseconds);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(bytes[TypeOffset..], inputEvent.Type);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[(TypeOffset + 2)..], inputEvent.Code);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[(TypeOffset + 4)..], inputEvent.Value);
    }
}

using System.Buffers.Binary;
using System.Text;

namespace Kiosk.Device.Linux.Gpio;

/// <summary>Line flags of the GPIO character device v2 uAPI (hardware-protocols.md §5, linux include/uapi/linux/gpio.h
/// enum gpio_v2_line_flag: the values are bit positions).</summary>
[Flags]
public enum GpioLineFlags : ulong
{
    None = 0,
    Used = 1UL << 0,
    ActiveLow = 1UL << 1,
    Input = 1UL << 2,
    Output = 1UL << 3,
    EdgeRising = 1UL << 4,
    EdgeFalling = 1UL << 5,
    OpenDrain = 1UL << 6,
    OpenSource = 1UL << 7,
    PullUp = 1UL << 8,
    PullDown = 1UL << 9,
    BiasDisabled = 1UL << 10,
}

/// <summary>gpio_chip_info as the kernel fills it (68 bytes).</summary>
public sealed record GpioChipInfo(string Name, string Label, uint Lines);

/// <summary>gpio_v2_line_event id field: 1 rising, 2 falling (§5 "Edge events").</summary>
public enum GpioEdge : uint
{
    Rising = 1,
    Falling = 2,
}

/// <summary>One edge event read from a line fd. <paramref name="Offset"/> is the chip line number (e.g. 17).</summary>
public sealed record GpioEdgeEvent(ulong TimestampNs, GpioEdge Edge, uint Offset, uint Seqno, uint LineSeqno);

/// <summary>Byte layouts and ioctl numbers of the GPIO v2 uAPI, written out by hand because the kernel header is
/// C (hardware-protocols.md §5; linux include/uapi/linux/gpio.h). Every offset here is asserted by tests.</summary>
public static class GpioV2Abi
{
    public const uint GetChipInfoIoctl = 0x8044B401;      // _IOR(0xB4, 0x01, struct gpiochip_info)
    public const uint GetLineIoctl = 0xC250B407;          // _IOWR(0xB4, 0x07, struct gpio_v2_line_request)
    public const uint LineSetValuesIoctl = 0xC010B40F;    // _IOWR(0xB4, 0x0F, struct gpio_v2_line_values)

    public const int ChipInfoSize = 68;
    public const int LineRequestSize = 592;
    public const int LineValuesSize = 16;
    public const int LineEventSize = 48;
    public const int MaxLines = 64;
    public const int MaxAttributes = 10;

    public const uint AttrFlags = 1;
    public const uint AttrOutputValues = 2;
    public const uint AttrDebounce = 3;

    // gpio_v2_line_request field offsets (§5: offsets[64] @0, consumer[32] @256, config @288 ...).
    public const int ConsumerOffset = 256;
    public const int ConfigFlagsOffset = 288;
    public const int ConfigNumAttrsOffset = 296;
    public const int ConfigAttrsOffset = 320;
    public const int AttributeSize = 24;
    public const int NumLinesOffset = 560;
    public const int EventBufferSizeOffset = 564;
    public const int FdOffset = 588;

    /// <summary>The labels of the 40-pin header's chip: Pi 5 (RP1), Pi 4, older models (§5).</summary>
    public static readonly IReadOnlyList<string> HeaderChipLabels = ["pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835"];

    public static GpioChipInfo DecodeChipInfo(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < ChipInfoSize)
        {
            throw new ArgumentException($"gpiochip_info is {ChipInfoSize} bytes, got {buffer.Length}.", nameof(buffer));
        }

        return new GpioChipInfo(CString(buffer[..32]), CString(buffer[32..64]), BinaryPrimitives.ReadUInt32LittleEndian(buffer[64..]));
    }

    /// <summary>One attribute of gpio_v2_line_config: FLAGS and OUTPUT_VALUES carry a u64 at +8, DEBOUNCE a u32
    /// (debounce_us) at +8; the mask at +16 says which of the requested lines it applies to.</summary>
    public readonly record struct LineAttribute(uint Id, ulong Value, ulong Mask);

    /// <summary>Encodes gpio_v2_line_request (592 bytes, little-endian: all Pi kernels and x86_64 are LE).</summary>
    public static byte[] EncodeLineRequest(
        IReadOnlyList<uint> offsets, string consumer, GpioLineFlags flags, IReadOnlyList<LineAttribute> attributes, uint eventBufferSize = 0)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(attributes);
        if (offsets.Count is 0 or > MaxLines)
        {
            throw new ArgumentException($"A line request holds 1 to {MaxLines} lines, got {offsets.Count}.", nameof(offsets));
        }

        if (attributes.Count > MaxAttributes)
        {
            throw new ArgumentException($"At most {MaxAttributes} attributes, got {attributes.Count}.", nameof(attributes));
        }

        var buffer = new byte[LineRequestSize];
        var span = buffer.AsSpan();
        for (var i = 0; i < offsets.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[(i * 4)..], offsets[i]);
        }

        // consumer is a NUL-terminated char[32]: at most 31 bytes of text.
        var name = Encoding.UTF8.GetBytes(consumer);
        name.AsSpan(0, Math.Min(name.Length, 31)).CopyTo(span[ConsumerOffset..]);
        BinaryPrimitives.WriteUInt64LittleEndian(span[ConfigFlagsOffset..], (ulong)flags);
        BinaryPrimitives.WriteUInt32LittleEndian(span[ConfigNumAttrsOffset..], (uint)attributes.Count);
        for (var i = 0; i < attributes.Count; i++)
        {
            var at = span[(ConfigAttrsOffset + (i * AttributeSize))..];
            var attribute = attributes[i];
            BinaryPrimitives.WriteUInt32LittleEndian(at, attribute.Id);
            if (attribute.Id == AttrDebounce)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(at[8..], checked((uint)attribute.Value));
            }
            else
            {
                BinaryPrimitives.WriteUInt64LittleEndian(at[8..], attribute.Value);
            }

            BinaryPrimitives.WriteUInt64LittleEndian(at[16..], attribute.Mask);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[NumLinesOffset..], (uint)offsets.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(span[EventBufferSizeOffset..], eventBufferSize);
        return buffer;
    }

    public static int DecodeLineFd(ReadOnlySpan<byte> request) => BinaryPrimitives.ReadInt32LittleEndian(request[FdOffset..]);

    /// <summary>gpio_v2_line_values {u64 bits; u64 mask}: bit i is the i-th line of the request, not the chip offset.</summary>
    public static void EncodeLineValues(Span<byte> buffer, ulong bits, ulong mask)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, bits);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[8..], mask);
    }

    public static GpioEdgeEvent DecodeLineEvent(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < LineEventSize)
        {
            throw new ArgumentException($"gpio_v2_line_event is {LineEventSize} bytes, got {buffer.Length}.", nameof(buffer));
        }

        var id = BinaryPrimitives.ReadUInt32LittleEndian(buffer[8..]);
        if (id is not (1 or 2))
        {
            throw new InvalidDataException($"gpio_v2_line_event id {id} is neither 1 (rising) nor 2 (falling).");
        }

        return new GpioEdgeEvent(
            BinaryPrimitives.ReadUInt64LittleEndian(buffer),
            (GpioEdge)id,
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[12..]),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(buffer[20..]));
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}

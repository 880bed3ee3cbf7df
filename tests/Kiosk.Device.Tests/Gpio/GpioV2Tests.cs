using System.Buffers.Binary;
using Kiosk.Device.Linux.Gpio;

namespace Kiosk.Device.Tests.Gpio;

public sealed class GpioV2Tests
{
    private const uint GetChipInfo = 0x8044B401;
    private const uint GetLine = 0xC250B407;
    private const uint SetValues = 0xC010B40F;

    private static (FakeGpio Fake, GpioChip Chip) HeaderChip()
    {
        var fake = new FakeGpio().WithChip("/dev/gpiochip0", "pinctrl-bcm2711", 58);
        return (fake, GpioChip.OpenHeader(fake));
    }

    /// <summary>The gpio_v2_line_request the test expects, built from the offsets in hardware-protocols.md §5.</summary>
    private static byte[] ExpectedRequest(uint[] offsets, ulong flags, (uint Id, ulong Value, ulong Mask)[] attrs, bool debounceIsU32 = false)
    {
        var bytes = new byte[592];
        for (var i = 0; i < offsets.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), offsets[i]);
        }

        "kiosk"u8.CopyTo(bytes.AsSpan(256));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(288), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(296), (uint)attrs.Length);
        for (var i = 0; i < attrs.Length; i++)
        {
            var at = 320 + (i * 24);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), attrs[i].Id);
            if (debounceIsU32)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 8), (uint)attrs[i].Value);
            }
            else
            {
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at + 8), attrs[i].Value);
            }

            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at + 16), attrs[i].Mask);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(560), (uint)offsets.Length);
        return bytes;
    }

    [Fact]
    public void The_output_example_is_sent_byte_for_byte_as_the_kernel_header_lays_it_out()
    {
        var (fake, chip) = HeaderChip();
        using var lines = chip.RequestOutputs("kiosk", [17], [true]);

        var call = Assert.Single(fake.CallsFor(GetLine));
        Assert.Equal("/dev/gpiochip0", call.Path);
        Assert.Equal(592, call.Argument.Length);
        // §5 output example: offsets[0]=17, flags=OUTPUT (8), num_attrs=1, attr{id=2, values=1, mask=1}, num_lines=1.
        Assert.Equal(ExpectedRequest([17], 8, [(2, 1, 1)]), call.Argument);
        Assert.Equal(17u, BinaryPrimitives.ReadUInt32LittleEndian(call.Argument));
        Assert.Equal(8ul, BinaryPrimitives.ReadUInt64LittleEndian(call.Argument.AsSpan(288)));
    }

    [Fact]
    public void The_button_request_uses_flags_0x124_and_a_debounce_attribute_in_microseconds()
    {
        var (fake, chip) = HeaderChip();
        using var lines = chip.RequestInputs("kiosk", [5, 6], GpioBias.PullUp, GpioEdges.Falling, TimeSpan.FromMilliseconds(20));

        var call = Assert.Single(fake.CallsFor(GetLine));
        Assert.Equal(ExpectedRequest([5, 6], 0x124, [(3, 20_000, 0b11)], debounceIsU32: true), call.Argument);
        Assert.Equal(0x124ul, BinaryPrimitives.ReadUInt64LittleEndian(call.Argument.AsSpan(288)));
        Assert.Equal(20_000u, BinaryPrimitives.ReadUInt32LittleEndian(call.Argument.AsSpan(328)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(call.Argument.AsSpan(332)));
    }

    [Fact]
    public void The_header_chip_is_found_by_label_whatever_its_number()
    {
        // Pi 5 before kernel 6.6.45: the RP1 header chip is gpiochip4, the others are SoC/expander chips (§5).
        var fake = new FakeGpio()
            .WithChip("/dev/gpiochip0", "gpio-brcmstb@107d508500", 32)
            .WithChip("/dev/gpiochip1", "raspberrypi-exp-gpio", 8)
            .WithChip("/dev/gpiochip4", "pinctrl-rp1", 54);

        using var chip = GpioChip.OpenHeader(fake);

        Assert.Equal("/dev/gpiochip4", chip.Path);
        Assert.Equal("pinctrl-rp1", chip.Info.Label);
        Assert.Equal(54u, chip.Info.Lines);
        Assert.All(fake.CallsFor(GetChipInfo), c => Assert.Equal(68, c.Argument.Length));
        Assert.Equal(3, fake.CallsFor(GetChipInfo).Count);
    }

    [Fact]
    public void Without_a_header_chip_the_error_names_every_chip_seen()
    {
        var fake = new FakeGpio().WithChip("/dev/gpiochip0", "some-expander", 8);

        var error = Assert.Throws<GpioException>(() => GpioChip.OpenHeader(fake));

        Assert.Contains("pinctrl-rp1", error.Message, StringComparison.Ordinal);
        Assert.Contains("/dev/gpiochip0 'some-expander' (8 lines)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void On_a_machine_without_gpio_chips_the_real_files_say_so_clearly()
    {
        var files = new LinuxGpioFiles();
        var paths = files.ChipPaths();
        if (paths.Count > 0)
        {
            // A Pi or another machine with GPIO: the header chip opens by its label, or the error names every chip seen.
            try
            {
                using var header = GpioChip.OpenHeader(files);
                Assert.Contains(header.Info.Label, GpioV2Abi.HeaderChipLabels);
                Assert.Contains(header.Path, paths);
            }
            catch (GpioException ex)
            {
                Assert.All(paths, path => Assert.Contains(path, ex.Message, StringComparison.Ordinal));
            }

            return;
        }

        var error = Assert.Throws<GpioException>(() => GpioChip.OpenHeader(files));
        Assert.Contains("no /dev/gpiochip* at all", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Setting_a_line_sends_bits_and_mask_by_request_index_not_by_chip_offset()
    {
        var (fake, chip) = HeaderChip();
        using var lines = chip.RequestOutputs("kiosk", [18, 23, 24], [false, false, false]);

        lines.Set(24, true);
        lines.SetValues(0b011, 0b111);

        var sets = fake.CallsFor(SetValues);
        Assert.Equal(2, sets.Count);
        Assert.Equal(new byte[] { 4, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0 }, sets[0].Argument);
        Assert.Equal(new byte[] { 3, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0 }, sets[1].Argument);
        Assert.StartsWith("fake line fd", sets[0].Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_outside_the_chip_is_refused_before_any_ioctl()
    {
        var (fake, chip) = HeaderChip();

        Assert.Throws<ArgumentOutOfRangeException>(() => chip.RequestOutputs("kiosk", [58], [false]));
        Assert.Empty(fake.CallsFor(GetLine));
    }

    [Fact]
    public async Task Edge_events_are_decoded_from_48_byte_records_even_several_per_read()
    {
        var (fake, chip) = HeaderChip();
        using var lines = chip.RequestInputs("kiosk", [17], GpioBias.PullUp, GpioEdges.Both, TimeSpan.Zero);
        var line = Assert.Single(fake.Lines);
        line.QueueRead([.. FakeGpio.EdgeEventBytes(1_000, 2, 17, 1, 1), .. FakeGpio.EdgeEventBytes(2_500, 1, 17, 2, 2)]);
        line.QueueRead(FakeGpio.EdgeEventBytes(9_000, 2, 17, 3, 3));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<GpioEdgeEvent>();
        await foreach (var edge in lines.ReadEventsAsync(cts.Token))
        {
            events.Add(edge);
            if (events.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(
            [new GpioEdgeEvent(1_000, GpioEdge.Falling, 17, 1, 1), new GpioEdgeEvent(2_500, GpioEdge.Rising, 17, 2, 2), new GpioEdgeEvent(9_000, GpioEdge.Falling, 17, 3, 3)],
            events);
    }

    [Fact]
    public void A_read_that_is_not_whole_events_is_an_error_not_a_guess()
    {
        var (fake, chip) = HeaderChip();
        using var lines = chip.RequestInputs("kiosk", [17], GpioBias.PullUp, GpioEdges.Falling, TimeSpan.Zero);
        Assert.Single(fake.Lines).QueueRead(new byte[47]);

        Assert.Throws<GpioException>(() => lines.ReadEvents(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void The_simulated_chip_decodes_the_same_structs_and_reports_line_levels()
    {
        var simulated = new SimulatedGpio();
        var changes = new List<(int, bool)>();
        simulated.LinesChanged += c => changes.AddRange(c);
        using var chip = GpioChip.OpenHeader(simulated);
        using var lines = chip.RequestOutputs("kiosk", [18, 23], [true, false]);

        lines.Set(23, true);

        Assert.Equal([(18, true), (23, false), (23, true)], changes);
        Assert.True(simulated.Level(18));
    }
}

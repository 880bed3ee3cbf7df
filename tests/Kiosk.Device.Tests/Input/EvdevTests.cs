using System.IO.Pipes;
using Kiosk.Device.Linux.Input;

namespace Kiosk.Device.Tests.Input;

public sealed class EvdevTests
{
    [Fact]
    public void The_64_bit_layout_reads_time_type_code_and_value_at_16_18_20()
    {
        var e = InputEventLayout.Bits64.Decode(EventBytes.Event64(1_700_000_000, 123_456, 1, 72, 1));

        Assert.Equal(new InputEvent(1_700_000_000, 123_456, 1, 72, 1), e);
        Assert.Equal(24, InputEventLayout.Bits64.Size);
    }

    [Fact]
    public void The_32_bit_layout_reads_time_type_code_and_value_at_8_10_12()
    {
        var e = InputEventLayout.Bits32.Decode(EventBytes.Event32(1_700_000_000, 999_999, 1, 96, 2));

        Assert.Equal(new InputEvent(1_700_000_000, 999_999, 1, 96, 2), e);
        Assert.Equal(16, InputEventLayout.Bits32.Size);
    }

    [Fact]
    public void This_process_picks_the_layout_by_its_own_pointer_size()
    {
        Assert.Equal(IntPtr.Size == 8 ? 24 : 16, InputEventLayout.Native.Size);
    }

    [Fact]
    public void Encoding_then_decoding_gives_the_same_event_in_both_layouts()
    {
        foreach (var layout in new[] { InputEventLayout.Bits64, InputEventLayout.Bits32 })
        {
            var bytes = new byte[layout.Size];
            var e = new InputEvent(12345, 678, 1, 28, 0);
            layout.Encode(e, bytes);
            Assert.Equal(e, layout.Decode(bytes));
        }

        var encoded = new byte[24];
        InputEventLayout.Bits64.Encode(new InputEvent(1, 2, 1, 72, 1), encoded);
        Assert.Equal(EventBytes.Event64(1, 2, 1, 72, 1), encoded);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(32)]
    public async Task Events_split_across_pipe_writes_are_put_back_together(int bits)
    {
        var layout = bits == 64 ? InputEventLayout.Bits64 : InputEventLayout.Bits32;
        byte[] Make(ushort code, int value) => bits == 64 ? EventBytes.Event64(5, 6, 1, code, value) : EventBytes.Event32(5, 6, 1, code, value);
        byte[] all = [.. Make(2, 1), .. Make(2, 0), .. Make(28, 1)];

        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        var reader = new EvdevReader(new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle), layout);
        var writer = Task.Run(async () =>
        {
            // Odd-sized pieces so records straddle writes.
            foreach (var piece in all.Chunk(7))
            {
                await server.WriteAsync(piece);
                await server.FlushAsync();
            }

            // Closing the write end is what makes the reader see end of stream, as when a device goes away.
            await server.DisposeAsync();
        });

        var events = new List<InputEvent>();
        await foreach (var e in reader.ReadEventsAsync(CancellationToken.None))
        {
            events.Add(e);
        }

        await writer;
        await reader.DisposeAsync();
        Assert.Equal([new InputEvent(5, 6, 1, 2, 1), new InputEvent(5, 6, 1, 2, 0), new InputEvent(5, 6, 1, 28, 1)], events);
    }

    [Fact]
    public async Task Grabbing_a_file_that_is_not_an_input_device_fails_with_the_reason()
    {
        var path = Path.GetTempFileName();
        try
        {
            var error = await Assert.ThrowsAsync<IOException>(async () => await EvdevDevice.Open(path, grab: true).DisposeAsync());
            Assert.Contains("not an evdev input device", error.Message, StringComparison.Ordinal);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_missing_device_is_reported_with_its_path()
    {
        var error = await Assert.ThrowsAsync<IOException>(async () => await EvdevDevice.Open("/dev/input/by-id/kiosk-missing-event-kbd", grab: true).DisposeAsync());
        Assert.Contains("/dev/input/by-id/kiosk-missing-event-kbd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_device_reader_reads_a_recorded_event_file_through_the_fd()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, EventBytes.Typed64("12\n"));
            var device = EvdevDevice.Open(path, grab: false, InputEventLayout.Bits64);
            await using (device)
            {
                var downs = new List<ushort>();
                await foreach (var e in device.Reader.ReadEventsAsync(CancellationToken.None))
                {
                    if (e.IsKeyDown)
                    {
                        downs.Add(e.Code);
                    }
                }

                Assert.Equal([2, 3, 28], downs);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_cancelled_wait_on_a_quiet_device_ends_and_the_next_read_still_gets_the_keys()
    {
        // A FIFO stands in for /dev/input/eventN: opened the same way (O_NONBLOCK, poll), it stays quiet until written.
        var directory = Directory.CreateTempSubdirectory("kiosk-evdev-");
        var path = Path.Combine(directory.FullName, "event-kbd");
        try
        {
            using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]))
            {
                await mkfifo.WaitForExitAsync();
                Assert.Equal(0, mkfifo.ExitCode);
            }

            await using var device = EvdevDevice.Open(path, grab: false, InputEventLayout.Bits64);
            await using var keyboard = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);

            using (var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
                {
                    await foreach (var unexpected in device.Reader.ReadEventsAsync(quiet.Token))
                    {
                        Assert.Fail($"no key was typed, got {unexpected}");
                    }
                });
            }

            await keyboard.WriteAsync(EventBytes.Typed64("7\n"));
            await keyboard.FlushAsync();
            var downs = new List<ushort>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await foreach (var e in device.Reader.ReadEventsAsync(timeout.Token))
            {
                if (e.IsKeyDown)
                {
                    downs.Add(e.Code);
                    if (KeyCodes.IsEnter(e.Code))
                    {
                        break;
                    }
                }
            }

            Assert.Equal(EventBytes.Codes("7\n"), downs);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Keypad_codes_and_top_row_codes_give_the_same_digits()
    {
        ushort[] keypad = [82, 79, 80, 81, 75, 76, 77, 71, 72, 73];
        for (var digit = 0; digit <= 9; digit++)
        {
            Assert.True(KeyCodes.TryGetChar(keypad[digit], out var fromKeypad));
            Assert.True(KeyCodes.TryGetChar(digit == 0 ? (ushort)11 : (ushort)(digit + 1), out var fromRow));
            Assert.Equal((char)('0' + digit), fromKeypad);
            Assert.Equal(fromKeypad, fromRow);
        }

        Assert.True(KeyCodes.IsEnter(28) && KeyCodes.IsEnter(96));
        Assert.Equal("KP8", KeyCodes.Name(72));
    }
}

using System.Buffers.Binary;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.Keypad;
using Kiosk.Device.Linux.Gpio;
using Kiosk.Device.Linux.Input;
using Kiosk.Device.Tests.Gpio;
using Kiosk.Device.Tests.Input;

namespace Kiosk.Device.Tests.Keypad;

public sealed class KeypadTests
{
    private static async Task<List<KeyPress>> KeysAsync(IKeypad keypad, int? take = null)
    {
        var keys = new List<KeyPress>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var key in keypad.ReadKeysAsync(cts.Token))
        {
            keys.Add(key);
            if (keys.Count == take)
            {
                break;
            }
        }

        return keys;
    }

    [Fact]
    public async Task A_usb_keypad_gives_digits_enter_and_menu_keys_once_per_press()
    {
        // KP7, KPENTER, BACKSPACE, KPMINUS, KPPLUS, KPASTERISK, NUMLOCK (nothing), top-row 5.
        ushort[] codes = [71, 96, 14, 74, 78, 55, 69, 6];
        var events = codes.SelectMany((c, i) => EventBytes.Keystroke64(c, i * 50)).ToArray();
        var keypad = new EvdevKeypad(new StreamInputSource(new MemoryStream(events), InputEventLayout.Bits64, "kp"));
        await using var _ = keypad;

        var keys = await KeysAsync(keypad);

        Assert.Equal(
            [
                new KeyPress(KeyKind.Digit, '7'), new KeyPress(KeyKind.Enter), new KeyPress(KeyKind.Back), new KeyPress(KeyKind.Up),
                new KeyPress(KeyKind.Down), new KeyPress(KeyKind.Menu), new KeyPress(KeyKind.Digit, '5'),
            ],
            keys);
    }

    [Fact]
    public async Task Autorepeat_does_not_produce_extra_keys()
    {
        byte[] events =
        [
            .. EventBytes.Event64(1, 0, 1, 108, 1), .. EventBytes.Event64(1, 500_000, 1, 108, 2), .. EventBytes.Event64(1, 533_000, 1, 108, 2),
            .. EventBytes.Event64(1, 600_000, 1, 108, 0),
        ];
        var keypad = new EvdevKeypad(new StreamInputSource(new MemoryStream(events), InputEventLayout.Bits64, "kp"));
        await using var _ = keypad;

        Assert.Equal([new KeyPress(KeyKind.Down)], await KeysAsync(keypad));
    }

    [Fact]
    public async Task Gpio_buttons_are_requested_with_pull_up_falling_edges_and_debounce_and_a_press_is_a_falling_edge()
    {
        var fake = new FakeGpio().WithChip("/dev/gpiochip0", "pinctrl-bcm2711", 58);
        using var chip = GpioChip.OpenHeader(fake);
        var map = new Dictionary<int, KeyPress> { [5] = new(KeyKind.Up), [6] = new(KeyKind.Down), [13] = new(KeyKind.Enter) };
        var keypad = GpioButtonKeypad.Open(chip, map);
        await using var _ = keypad;

        var request = Assert.Single(fake.CallsFor(0xC250B407)).Argument;
        Assert.Equal([5u, 6u, 13u], Enumerable.Range(0, 3).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(i * 4))));
        Assert.Equal(0x124ul, BinaryPrimitives.ReadUInt64LittleEndian(request.AsSpan(288)));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(320)));          // DEBOUNCE
        Assert.Equal(20_000u, BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(328)));     // 20 ms in µs
        Assert.Equal(0b111ul, BinaryPrimitives.ReadUInt64LittleEndian(request.AsSpan(336)));

        var line = Assert.Single(fake.Lines);
        line.QueueRead(FakeGpio.EdgeEventBytes(10, 2, 13, 1, 1));
        line.QueueRead(FakeGpio.EdgeEventBytes(20, 1, 13, 2, 2));   // release: rising, ignored
        line.QueueRead(FakeGpio.EdgeEventBytes(30, 2, 6, 3, 1));

        Assert.Equal([new KeyPress(KeyKind.Enter), new KeyPress(KeyKind.Down)], await KeysAsync(keypad, take: 2));
    }

    [Fact]
    public async Task A_cancelled_gpio_keypad_stops_waiting()
    {
        var fake = new FakeGpio().WithChip("/dev/gpiochip0", "pinctrl-rp1", 54);
        using var chip = GpioChip.OpenHeader(fake);
        var keypad = GpioButtonKeypad.Open(chip, new Dictionary<int, KeyPress> { [5] = new(KeyKind.Enter) });
        await using var _ = keypad;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var key in keypad.ReadKeysAsync(cts.Token))
            {
                Assert.Fail("no edge was queued, so no key: " + key);
            }
        });
    }
}

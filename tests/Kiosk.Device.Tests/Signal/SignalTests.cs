using System.Buffers.Binary;
using Kiosk.Device.Devices.Signal;
using Kiosk.Device.Linux.Gpio;
using Kiosk.Device.Tests.Display;
using Kiosk.Device.Tests.Gpio;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Device.Tests.Signal;

public sealed class SignalTests
{
    private const ulong Buzzer = 1, Green = 2, Red = 4;

    private static (FakeGpio Fake, GpioSignal Signal, ManualTimeProvider Time) NewSignal()
    {
        var fake = new FakeGpio().WithChip("/dev/gpiochip0", "pinctrl-bcm2711", 58);
        var chip = GpioChip.OpenHeader(fake);
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        return (fake, GpioSignal.Open(chip, new SignalPins(), time), time);
    }

    private static List<ulong> Writes(FakeGpio fake) => Assert.Single(fake.Lines).Writes.Select(w =>
    {
        Assert.Equal(0b111ul, w.Mask);
        return w.Bits;
    }).ToList();

    [Fact]
    public void The_three_lines_are_requested_as_outputs_all_off()
    {
        var (fake, signal, _) = NewSignal();
        using var _ = signal;

        var request = Assert.Single(fake.CallsFor(0xC250B407)).Argument;
        Assert.Equal([18u, 23u, 24u], Enumerable.Range(0, 3).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(i * 4))));
        Assert.Equal(8ul, BinaryPrimitives.ReadUInt64LittleEndian(request.AsSpan(288)));      // OUTPUT
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(320)));       // OUTPUT_VALUES
        Assert.Equal(0ul, BinaryPrimitives.ReadUInt64LittleEndian(request.AsSpan(328)));      // all low
        Assert.Equal(0b111ul, BinaryPrimitives.ReadUInt64LittleEndian(request.AsSpan(336)));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(560)));
    }

    [Fact]
    public void Success_is_one_short_beep_with_the_green_led_and_returns_at_once()
    {
        var (fake, signal, time) = NewSignal();
        using var _ = signal;

        signal.Success();
        Assert.Equal([Buzzer | Green], Writes(fake));   // set before the call returned, nothing else yet

        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal([Buzzer | Green], Writes(fake));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([Buzzer | Green, Green], Writes(fake));
        time.Advance(TimeSpan.FromMilliseconds(1400));
        Assert.Equal([Buzzer | Green, Green, 0ul], Writes(fake));
        Assert.Equal(0, time.ActiveTimers);
    }

    [Fact]
    public void Refusal_is_two_beeps_with_the_red_led()
    {
        var (fake, signal, time) = NewSignal();
        using var _ = signal;

        signal.Refusal();
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal([Buzzer | Red, Red, Buzzer | Red, Red, 0ul], Writes(fake));
    }

    [Fact]
    public void The_steps_happen_at_their_times_and_not_before()
    {
        var (fake, signal, time) = NewSignal();
        using var _ = signal;
        signal.Refusal();

        var seen = new List<(double Ms, ulong Bits)>();
        for (var ms = 0; ms <= 1600; ms++)
        {
            var writes = Writes(fake);
            if (seen.Count < writes.Count)
            {
                seen.Add((time.Elapsed.TotalMilliseconds, writes[^1]));
            }

            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal([(0d, Buzzer | Red), (100d, Red), (200d, Buzzer | Red), (300d, Red), (1500d, 0ul)], seen);
    }

    [Fact]
    public void A_new_pattern_cuts_the_running_one_short()
    {
        var (fake, signal, time) = NewSignal();
        using var _ = signal;

        signal.Success();
        time.Advance(TimeSpan.FromMilliseconds(50));
        signal.Refusal();
        time.Advance(TimeSpan.FromSeconds(5));

        // The success pattern's later steps (green only, then off at 1500 ms) never run.
        Assert.Equal([Buzzer | Green, Buzzer | Red, Red, Buzzer | Red, Red, 0ul], Writes(fake));
    }

    [Fact]
    public void A_failing_line_is_counted_and_never_thrown_at_the_caller_or_the_timer()
    {
        var (fake, signal, time) = NewSignal();
        using var _ = signal;
        fake.FailSetValues = new GpioException("EIO") { Errno = 5 };

        signal.Success();
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(3, signal.Failures);
        fake.FailSetValues = null;
    }

    [Fact]
    public void Disposing_turns_everything_off_and_releases_the_lines()
    {
        var (fake, signal, time) = NewSignal();
        signal.Success();

        signal.Dispose();
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal([Buzzer | Green, 0ul], Writes(fake));
        Assert.True(Assert.Single(fake.Lines).Disposed);
    }

    [Fact]
    public async Task The_gpio_probe_on_the_simulated_chip_plays_success_on_the_buzzer_and_green_led()
    {
        var (code, output, error) = await ProbeRunner.RunAsync("gpio", "--simulate", "--pattern", "success");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        Assert.Contains("label 'pinctrl-bcm2711'", output, StringComparison.Ordinal);
        var changes = output.Split('\n').Where(l => l.Contains(" ms  ", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("ms  ", StringComparison.Ordinal) + 4)..].Trim()).ToList();
        Assert.Equal(
            ["GPIO18=0  GPIO23=0  GPIO24=0", "GPIO18=1  GPIO23=1  GPIO24=0", "GPIO18=0  GPIO23=1  GPIO24=0", "GPIO18=0  GPIO23=0  GPIO24=0", "GPIO18=0  GPIO23=0  GPIO24=0"],
            changes);
        Assert.EndsWith("OK", output.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gpio_probe_without_a_header_chip_fails_with_what_it_found()
    {
        var paths = new LinuxGpioFiles().ChipPaths();
        if (paths.Count > 0)
        {
            // A machine with GPIO chips: the probe either finds the header chip and plays, or names every chip it saw.
            var (found, output, seen) = await ProbeRunner.RunAsync("gpio", "--pattern", "success");
            if (found == 0)
            {
                Assert.Contains("chip: ", output, StringComparison.Ordinal);
                Assert.EndsWith("OK", output.TrimEnd(), StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(1, found);
                Assert.StartsWith("gpio probe failed: ", seen, StringComparison.Ordinal);
                if (seen.Contains("No GPIO chip labelled", StringComparison.Ordinal))
                {
                    Assert.All(paths, path => Assert.Contains(path, seen, StringComparison.Ordinal));
                }
            }

            return;
        }

        var (code, _, error) = await ProbeRunner.RunAsync("gpio", "--pattern", "success");

        Assert.Equal(1, code);
        Assert.Contains("No GPIO chip labelled pinctrl-rp1 / pinctrl-bcm2711 / pinctrl-bcm2835", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gpio_probe_has_help()
    {
        var (code, output, _) = await ProbeRunner.RunAsync("gpio", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--buzzer", output, StringComparison.Ordinal);
        Assert.Contains("--simulate", output, StringComparison.Ordinal);
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Kiosk.Device.Devices.Signal;
using Kiosk.Device.Linux.Gpio;

namespace Kiosk.Device.Cli;

/// <summary>`kiosk probe gpio`: finds the header chip by label, plays the success and refusal patterns on the buzzer
/// and LEDs, and optionally prints edges on input pins (buttons, the R503 WAKEUP pin). `--simulate` runs the same code
/// on an in-memory chip and prints each line change, for a machine without a header.</summary>
internal static class ProbeGpioCommand
{
    public static Command Build()
    {
        var pattern = new Option<string>("--pattern") { Description = "success | refusal | attention | all", DefaultValueFactory = _ => "all" };
        pattern.AcceptOnlyFromAmong("success", "refusal", "attention", "all");
        var buzzer = new Option<int>("--buzzer") { Description = "buzzer GPIO (BCM number)", DefaultValueFactory = _ => 18 };
        var green = new Option<int>("--green") { Description = "green LED GPIO", DefaultValueFactory = _ => 23 };
        var red = new Option<int>("--red") { Description = "red LED GPIO", DefaultValueFactory = _ => 24 };
        var chip = new Option<string?>("--chip") { Description = "chip label or /dev/gpiochipN (default: the header chip found by label)" };
        var inputs = new Option<int[]>("--watch") { Description = "input GPIOs to watch for edges afterwards (e.g. 17 for the R503 WAKEUP)", AllowMultipleArgumentsPerToken = true };
        var seconds = new Option<int>("--seconds") { Description = "how long to watch inputs", DefaultValueFactory = _ => 10 };
        var simulate = new Option<bool>("--simulate") { Description = "use an in-memory chip and print line changes" };
        var command = new Command("gpio", "蜂鸣器和指示灯测试 · beep the buzzer, blink the LEDs, watch input pins");
        foreach (var option in new Option[] { pattern, buzzer, green, red, chip, inputs, seconds, simulate })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var watch = Stopwatch.StartNew();
            IGpioFiles files = new LinuxGpioFiles();
            if (parseResult.GetValue(simulate))
            {
                var simulated = new SimulatedGpio();
                simulated.LinesChanged += changes => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"+{watch.ElapsedMilliseconds,5} ms  {string.Join("  ", changes.Select(c => $"GPIO{c.Offset}={(c.Level ? 1 : 0)}"))}"));
                files = simulated;
            }

            try
            {
                var chipOption = parseResult.GetValue(chip);
                using var gpio = chipOption is not null && chipOption.StartsWith("/dev/", StringComparison.Ordinal)
                    ? GpioChip.Open(files, chipOption)
                    : GpioChip.OpenHeader(files, chipOption);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"chip: {gpio.Path} name '{gpio.Info.Name}' label '{gpio.Info.Label}', {gpio.Info.Lines} lines")).ConfigureAwait(false);
                var pins = new SignalPins(parseResult.GetValue(buzzer), parseResult.GetValue(green), parseResult.GetValue(red));
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"buzzer GPIO{pins.Buzzer}, green GPIO{pins.Green}, red GPIO{pins.Red}")).ConfigureAwait(false);
                using (var signal = GpioSignal.Open(gpio, pins, TimeProvider.System))
                {
                    var which = parseResult.GetValue(pattern) ?? "all";
                    var patterns = new (string Name, IReadOnlyList<SignalStep> Steps)[]
                    {
                        ("success", SignalPatterns.Success), ("refusal", SignalPatterns.Refusal), ("attention", SignalPatterns.Attention),
                    };
                    foreach (var (name, steps) in patterns.Where(p => which == "all" || p.Name == which))
                    {
                        await output.WriteLineAsync($"pattern: {name}").ConfigureAwait(false);
                        signal.Play(steps);
                        // Wait for the last step itself, not a guess of its time: under load timers run late.
                        await signal.PatternFinished.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                var watched = parseResult.GetValue(inputs) ?? [];
                if (watched.Length > 0)
                {
                    await WatchAsync(gpio, watched, TimeSpan.FromSeconds(parseResult.GetValue(seconds)), output, cancellationToken).ConfigureAwait(false);
                }

                await output.WriteLineAsync("OK").ConfigureAwait(false);
                return 0;
            }
            catch (GpioException ex)
            {
                await error.WriteLineAsync($"gpio probe failed: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static async Task WatchAsync(GpioChip gpio, int[] offsets, TimeSpan duration, TextWriter output, CancellationToken cancellationToken)
    {
        using var lines = gpio.RequestInputs("kiosk-probe", offsets, GpioBias.PullUp, GpioEdges.Both, TimeSpan.FromMilliseconds(10));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"watching GPIO {string.Join(",", offsets)} for {duration.TotalSeconds:F0} s (pull-up; press = falling)")).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(duration);
        try
        {
            await foreach (var edge in lines.ReadEventsAsync(timeout.Token).ConfigureAwait(false))
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"GPIO{edge.Offset} {edge.Edge} seq {edge.Seqno} at {edge.TimestampNs} ns")).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // the watch time is over
        }
    }
}

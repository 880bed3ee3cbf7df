using System.Globalization;
using Kiosk.Device.Devices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Simulation;

/// <summary>Reads simulator commands, one per line, from the terminal, a pipe or a script file (docs/device.md):
/// <c>0001623026</c> presents that badge; <c>f 3</c> / <c>f ?</c> touches the finger of slot 3 / an unknown finger;
/// <c>k m 1 2 e</c> presses keys (digits, e Enter, b Back, m Menu, u Up, d Down); <c>wait 500</c> pauses;
/// <c>at 08:05</c> moves the simulated wall clock forward (only with --clock-start);
/// <c>#</c> starts a comment; <c>quit</c> stops. At the end of a script or pipe the kiosk stops cleanly.</summary>
internal sealed class SimulationConsole : BackgroundService
{
    private readonly SimulatedDevices devices;
    private readonly TextReader input;
    private readonly TimeSpan pace;
    private readonly TimeProvider time;
    private readonly IHostApplicationLifetime lifetime;
    private readonly ILogger log;
    private readonly Task ready;

    public SimulationConsole(SimulatedDevices devices, TextReader input, TimeSpan pace, TimeProvider time, IHostApplicationLifetime lifetime,
        ILogger log, Task ready)
    {
        this.devices = devices;
        this.input = input;
        this.pace = pace;
        this.time = time;
        this.lifetime = lifetime;
        this.log = log;
        this.ready = ready;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ready.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            // Console.In reads synchronously and ignores the token: read on a pool thread and stop waiting on SIGTERM.
            var line = await Task.Run(input.ReadLine, CancellationToken.None).WaitAsync(stoppingToken);
            if (line is null)
            {
                // End of the script: let the last input finish on screen, then stop like SIGTERM would.
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                lifetime.StopApplication();
                return;
            }

            try
            {
                if (!await ExecuteLineAsync(line.Trim(), stoppingToken))
                {
                    lifetime.StopApplication();
                    return;
                }
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
            {
                log.LogWarning("Simulator command {Line} not understood: {Reason}", line, ex.Message);
            }
        }
    }

    /// <summary>Returns false for quit.</summary>
    internal async Task<bool> ExecuteLineAsync(string line, CancellationToken cancellationToken)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        var text = (hash >= 0 ? line[..hash] : line).Trim();
        if (text.Length == 0)
        {
            return true;
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (parts[0].ToLowerInvariant())
        {
            case "quit" or "exit":
                return false;
            case "at":
                if (time is not SimulatedClock clock)
                {
                    throw new InvalidOperationException("'at' needs a simulated clock: start the kiosk with --clock-start");
                }

                log.LogInformation("Simulated clock moved to {LocalTime}", clock.MoveTo(parts[1]));
                return true;
            case "wait":
                await Task.Delay(TimeSpan.FromMilliseconds(int.Parse(parts[1], CultureInfo.InvariantCulture)), time, cancellationToken);
                return true;
            case "f":
                devices.TouchFinger(parts.Length < 2 || parts[1] == "?" ? null : int.Parse(parts[1], CultureInfo.InvariantCulture), TimeSpan.FromSeconds(1.5));
                break;
            case "k":
                foreach (var key in parts.Skip(1))
                {
                    devices.PressKey(ParseKey(key));
                }

                break;
            default:
                await devices.PresentCardAsync(parts[0], cancellationToken);
                break;
        }

        if (pace > TimeSpan.Zero)
        {
            await Task.Delay(pace, time, cancellationToken);
        }

        return true;
    }

    internal static KeyPress ParseKey(string key) => key.ToLowerInvariant() switch
    {
        "e" or "enter" => new KeyPress(KeyKind.Enter),
        "b" or "back" => new KeyPress(KeyKind.Back),
        "m" or "menu" => new KeyPress(KeyKind.Menu),
        "u" or "up" => new KeyPress(KeyKind.Up),
        "d" or "down" => new KeyPress(KeyKind.Down),
        _ when key.Length == 1 && char.IsAsciiDigit(key[0]) => new KeyPress(KeyKind.Digit, key[0]),
        _ => throw new FormatException($"'{key}' is not a key (0-9, e, b, m, u, d)"),
    };
}

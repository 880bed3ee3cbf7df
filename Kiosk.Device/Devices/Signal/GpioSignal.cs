using Kiosk.Device.Linux.Gpio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Devices.Signal;

/// <summary>Header pins of the buzzer (through a transistor) and the two LEDs. Defaults match Devices/Signal/README.md.</summary>
public sealed record SignalPins(int Buzzer = 18, int Green = 23, int Red = 24);

/// <summary>One state of the three lines, held from <see cref="At"/> (after the pattern starts) until the next step.</summary>
public readonly record struct SignalStep(TimeSpan At, bool Buzzer, bool Green, bool Red);

/// <summary>The patterns (issue 3 "Buzzer and LEDs"). Each ends with everything off.</summary>
public static class SignalPatterns
{
    public static readonly TimeSpan Beep = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan LedHold = TimeSpan.FromMilliseconds(1500);

    /// <summary>Success: one short beep, green LED for 1.5 s.</summary>
    public static IReadOnlyList<SignalStep> Success { get; } =
    [
        new(TimeSpan.Zero, true, true, false),
        new(Beep, false, true, false),
        new(LedHold, false, false, false),
    ];

    /// <summary>Refusal: two short beeps with a short gap, red LED for 1.5 s.</summary>
    public static IReadOnlyList<SignalStep> Refusal { get; } =
    [
        new(TimeSpan.Zero, true, false, true),
        new(Beep, false, false, true),
        new(Beep * 2, true, false, true),
        new(Beep * 3, false, false, true),
        new(LedHold, false, false, false),
    ];

    /// <summary>Attention (e.g. "place the finger again"): one long beep, both LEDs while it sounds.</summary>
    public static IReadOnlyList<SignalStep> Attention { get; } =
    [
        new(TimeSpan.Zero, true, true, true),
        new(Beep * 4, false, false, false),
    ];
}

/// <summary>Buzzer and LEDs on GPIO output lines requested as one set [buzzer, green, red], so each step is one
/// SET_VALUES ioctl with mask 0b111 (hardware-protocols.md §5). Calls return at once: the first step is set
/// immediately, the rest by timers from the injected TimeProvider. A new pattern cuts the running one short.</summary>
public sealed class GpioSignal : ISignal, IDisposable
{
    private const ulong AllLines = 0b111;
    private readonly GpioLines _lines;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private int _generation;
    private int _failures;
    private TaskCompletionSource _played = NewPlayed(completed: true);

    public GpioSignal(GpioLines lines, TimeProvider time, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(time);
        if (lines.Offsets.Count != 3 || !lines.IsOutput)
        {
            throw new ArgumentException("The signal needs three output lines: buzzer, green LED, red LED.", nameof(lines));
        }

        _lines = lines;
        _time = time;
        _log = log ?? NullLogger.Instance;
    }

    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Completes when the current pattern has played its last step, or was cut off by a newer one
    /// or by Dispose. The kiosk never waits on it; the probe command does, so it can show every step.</summary>
    public Task PatternFinished
    {
        get
        {
            lock (_gate)
            {
                return _played.Task;
            }
        }
    }

    /// <summary>Requests the three lines on the header chip, all off.</summary>
    public static GpioSignal Open(GpioChip chip, SignalPins pins, TimeProvider time, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(pins);
        var lines = chip.RequestOutputs("kiosk-signal", [pins.Buzzer, pins.Green, pins.Red], [false, false, false]);
        return new GpioSignal(lines, time, log);
    }

    public void Success() => Play(SignalPatterns.Success);

    public void Refusal() => Play(SignalPatterns.Refusal);

    public void Attention() => Play(SignalPatterns.Attention);

    public void Play(IReadOnlyList<SignalStep> pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            var generation = ++_generation;
            _played.TrySetResult();
            _played = NewPlayed(completed: false);
            Apply(pattern[0]);
            ScheduleNext(pattern, 1, generation);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _generation++;
            _timer?.Dispose();
            _timer = null;
            Apply(new SignalStep(TimeSpan.Zero, false, false, false));
            _played.TrySetResult();
        }

        _lines.Dispose();
    }

    private void ScheduleNext(IReadOnlyList<SignalStep> pattern, int index, int generation)
    {
        if (index >= pattern.Count)
        {
            _played.TrySetResult();
            return;
        }

        var delay = pattern[index].At - pattern[index - 1].At;
        _timer = _time.CreateTimer(_ => Step(pattern, index, generation), null, delay, Timeout.InfiniteTimeSpan);
    }

    private void Step(IReadOnlyList<SignalStep> pattern, int index, int generation)
    {
        lock (_gate)
        {
            if (generation != _generation)
            {
                return;   // a newer pattern took over
            }

            Apply(pattern[index]);
            ScheduleNext(pattern, index + 1, generation);
        }
    }

    private static TaskCompletionSource NewPlayed(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }

        return source;
    }

    private void Apply(SignalStep step)
    {
        var bits = (step.Buzzer ? 1UL : 0) | (step.Green ? 2UL : 0) | (step.Red ? 4UL : 0);
        try
        {
            _lines.SetValues(bits, AllLines);
        }
        catch (GpioException ex)
        {
            // A timer callback must not throw; a dead buzzer must not stop the kiosk either.
            var failures = Interlocked.Increment(ref _failures);
            _log.LogError(ex, "Setting buzzer/LED lines {Lines} to {Bits} failed ({Failures} so far)", _lines.Description, bits, failures);
        }
    }
}

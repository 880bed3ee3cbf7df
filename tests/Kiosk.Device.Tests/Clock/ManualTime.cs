using Kiosk.Device.Clock;

namespace Kiosk.Device.Tests.Clock;

/// <summary>A TimeProvider the test moves by hand. The wall clock and the monotonic clock are separate, as on
/// a Pi: <see cref="SetWall"/> steps only the wall clock (an NTP correction), <see cref="Advance"/> moves both
/// and fires timers that fall due (Task.Delay(…, time) in the code under test).</summary>
internal sealed class ManualTime : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<ManualTimer> timers = [];
    private DateTimeOffset wall;
    private long ticks;

    public ManualTime(DateTimeOffset start, long monotonicStartMs = 10_000)
    {
        wall = start;
        ticks = monotonicStartMs * TimeSpan.TicksPerMillisecond;
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return wall.ToUniversalTime();
        }
    }

    public override long GetTimestamp()
    {
        lock (gate)
        {
            return ticks;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void SetWall(DateTimeOffset value)
    {
        lock (gate)
        {
            wall = value;
        }
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (gate)
        {
            wall += by;
            ticks += by.Ticks;
            due = timers.Where(t => t.DueTicks <= ticks).ToList();
        }

        foreach (var t in due)
        {
            t.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualTime owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan period;

        public long DueTicks { get; private set; } = long.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner.gate)
            {
                this.period = period;
                owner.timers.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueTicks = owner.ticks + dueTime.Ticks;
                    owner.timers.Add(this);
                }
            }

            return true;
        }

        public void Fire()
        {
            lock (owner.gate)
            {
                owner.timers.Remove(this);
                if (period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
                {
                    DueTicks = owner.ticks + period.Ticks;
                    owner.timers.Add(this);
                }
            }

            callback(state);
        }

        public void Dispose()
        {
            lock (owner.gate)
            {
                owner.timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Clock sources the test controls: "is the system clock synchronised this boot?" and the boot id.</summary>
internal sealed class FakeClockSources(string bootId = "boot-a") : IClockSources
{
    public string BootId { get; set; } = bootId;

    public bool Synchronised { get; set; }

    public bool IsSystemClockSynchronised() => Synchronised;
}

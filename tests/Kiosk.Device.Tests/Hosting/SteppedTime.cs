namespace Kiosk.Device.Tests.Hosting;

/// <summary>A TimeProvider that moves only when the test steps it, and tells the test how many timers the code
/// under test holds. Background loops (watchdog, maintenance, punch loop) each wait on one Task.Delay(…, time):
/// once every loop has armed its next timer again, the step's work (datagrams sent, rows pruned) is done, so a
/// test can wait for that instead of sleeping for wall time.</summary>
internal sealed class SteppedTime : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<SteppedTimer> timers = [];
    private readonly DateTimeOffset start;
    private long ticks = TimeSpan.FromSeconds(10).Ticks;
    private int created;

    public SteppedTime(DateTimeOffset start) => this.start = start;

    /// <summary>Elapsed since the provider was made (the monotonic clock starts at 10 s, as after a boot).</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref ticks)) - TimeSpan.FromSeconds(10);

    /// <summary>Timers armed and not yet fired or disposed.</summary>
    public int Pending
    {
        get
        {
            lock (gate)
            {
                return timers.Count;
            }
        }
    }

    /// <summary>Timers ever created (a loop that went round once more created one more).</summary>
    public int Created => Volatile.Read(ref created);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref ticks);

    public override DateTimeOffset GetUtcNow() => start.ToUniversalTime() + Elapsed;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref created);
        var timer = new SteppedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves both clocks by <paramref name="by"/>; timers falling due fire in due order, each with the clock
    /// set to its due time (a timer armed by a callback fires too if it falls inside the step).</summary>
    public void Advance(TimeSpan by)
    {
        var target = Interlocked.Read(ref ticks) + by.Ticks;
        while (true)
        {
            SteppedTimer? next;
            lock (gate)
            {
                next = timers.Where(t => t.Due <= target).OrderBy(t => t.Due).FirstOrDefault();
                if (next is not null)
                {
                    Interlocked.Exchange(ref ticks, next.Due);
                }
            }

            if (next is null)
            {
                break;
            }

            next.Fire();
        }

        Interlocked.Exchange(ref ticks, target);
    }

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds: the code under test runs its
    /// continuations on other threads after a step.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException("Waited 10 s for: " + what);
            }

            await Task.Delay(5);
        }
    }

    private sealed class SteppedTimer(SteppedTime owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan period;

        public long Due { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner.gate)
            {
                this.period = period;
                owner.timers.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    Due = Interlocked.Read(ref owner.ticks) + dueTime.Ticks;
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
                    Due += period.Ticks;
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

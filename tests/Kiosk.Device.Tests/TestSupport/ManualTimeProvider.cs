namespace Kiosk.Device.Tests.TestSupport;

/// <summary>A TimeProvider that only moves when the test says so. Timers due within an <see cref="Advance"/> fire in
/// due order, on the test's thread, with the clock set to their due time (a timer created in a callback counts too).</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private long _ticks;

    public ManualTimeProvider(DateTimeOffset start) => Start = start;

    public DateTimeOffset Start { get; }

    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public override DateTimeOffset GetUtcNow() => Start + Elapsed;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public int ActiveTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.Due is not null);
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        return timer;
    }

    public void Advance(TimeSpan by)
    {
        var target = Elapsed + by;
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due is { } due && due <= target).OrderBy(t => t.Due).ThenBy(t => t.Order).FirstOrDefault();
            }

            if (next is null)
            {
                break;
            }

            Interlocked.Exchange(ref _ticks, next.Due!.Value.Ticks);
            next.Fire();
        }

        Interlocked.Exchange(ref _ticks, target.Ticks);
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private static long _order;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public TimeSpan? Due { get; private set; }

        public long Order { get; } = Interlocked.Increment(ref _order);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner.Elapsed + dueTime;
            _period = period;
            return true;
        }

        public void Fire()
        {
            Due = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : Due + _period;
            callback(state);
        }

        public void Dispose() => Due = null;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

using Kiosk.Core.Events;
using Kiosk.Device.Journal;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Clock;

internal sealed record ClockOptions(TimeZoneInfo TimeZone, bool TrustedRtc, TimeSpan CentreTimeValidity);

/// <summary>Decides how far the wall clock can be trusted and stamps events (architecture decision 6):
/// trusted when synchronised this boot, with a trusted RTC, or with a recent time message from the centre.
/// Untrusted time is recorded and flagged, never refused. Untrusted stamps follow the monotonic clock from
/// one anchor per boot, and that anchor is never earlier than the last journal row, so a Pi that boots with
/// the clock a year behind does not write rows "before" the ones it already has. When trust arrives on the
/// same boot, one ClockCorrection event records the offset; no row is rewritten.</summary>
internal sealed class ClockGuard
{
    private readonly TimeProvider time;
    private readonly IClockSources sources;
    private readonly ClockOptions options;
    private readonly ILogger log;
    private readonly Lock gate = new();
    private EventJournal? journal;
    private (DateTimeOffset Utc, long MonotonicMs)? centre;
    private (DateTimeOffset Utc, long MonotonicMs)? untrustedAnchor;
    private bool checkedSinceTrust;

    public ClockGuard(TimeProvider time, IClockSources sources, ClockOptions options, ILogger log)
    {
        this.time = time;
        this.sources = sources;
        this.options = options;
        this.log = log;
    }

    /// <summary>The journal whose last row bounds untrusted time and receives corrections.</summary>
    public void Attach(EventJournal eventJournal) => journal = eventJournal;

    public long MonotonicMs => time.GetTimestamp() * 1000 / time.TimestampFrequency;

    public ClockQuality CurrentQuality => Stamp().Quality;

    /// <summary>A time message from the centre (topic attendance/v1/time).</summary>
    public void OnCentreTime(DateTimeOffset centreUtc)
    {
        lock (gate)
        {
            centre = (centreUtc.ToUniversalTime(), MonotonicMs);
        }
    }

    public ClockStamp Stamp()
    {
        lock (gate)
        {
            var mono = MonotonicMs;
            var (utc, quality) = Decide(mono);
            return new ClockStamp(TimeZoneInfo.ConvertTime(utc, options.TimeZone), quality, sources.BootId, mono);
        }
    }

    /// <summary>Checks the sources; when the clock has just become trusted on a boot that already wrote
    /// untrusted rows, journals the correction. Call it periodically and after a centre time message.</summary>
    public async Task<ClockCorrection?> RefreshAsync(CancellationToken cancellationToken)
    {
        var stamp = Stamp();
        if (!stamp.Trusted || journal is null)
        {
            return null;
        }

        lock (gate)
        {
            if (checkedSinceTrust)
            {
                return null;
            }

            checkedSinceTrust = true;
        }

        try
        {
            return await CorrectUntrustedRowsAsync(journal, stamp, cancellationToken); // journal checked non-null above
        }
        catch
        {
            lock (gate)
            {
                checkedSinceTrust = false; // not done: the next refresh tries again
            }

            throw;
        }
    }

    private async Task<ClockCorrection?> CorrectUntrustedRowsAsync(EventJournal eventJournal, ClockStamp stamp, CancellationToken cancellationToken)
    {
        var alreadyCorrected = LastCorrectedSequence(eventJournal, sources.BootId);
        var range = eventJournal.UntrustedRange(sources.BootId, alreadyCorrected);
        if (range is null)
        {
            log.LogInformation("Clock trusted ({Quality}); no untrusted rows on this boot", stamp.Quality);
            return null;
        }

        var basis = UntrustedBasisNow(eventJournal, stamp.MonotonicMs, range.Value.To);
        var offset = TimeSpan.FromMilliseconds(Math.Round((stamp.Local - basis).TotalMilliseconds));
        var correction = new ClockCorrection(sources.BootId, range.Value.From, range.Value.To, offset, stamp.Local);
        await eventJournal.AppendAsync(correction, stamp, cancellationToken);
        log.LogWarning("Clock became trusted ({Quality}): rows {From}..{To} of boot {BootId} were taken {Offset} off; correction journalled",
            stamp.Quality, range.Value.From, range.Value.To, sources.BootId, offset);
        lock (gate)
        {
            untrustedAnchor = null;
        }

        return correction;
    }

    private (DateTimeOffset Utc, ClockQuality Quality) Decide(long mono)
    {
        var wall = time.GetUtcNow();
        if (sources.IsSystemClockSynchronised())
        {
            return (wall, ClockQuality.Synchronised);
        }

        if (options.TrustedRtc)
        {
            return (wall, ClockQuality.TrustedRtc);
        }

        if (centre is { } c && mono - c.MonotonicMs <= options.CentreTimeValidity.TotalMilliseconds)
        {
            return (c.Utc.AddMilliseconds(mono - c.MonotonicMs), ClockQuality.CentreTime);
        }

        checkedSinceTrust = false;
        untrustedAnchor ??= ChooseAnchor(wall, mono);
        var anchor = untrustedAnchor.Value;
        return (anchor.Utc.AddMilliseconds(mono - anchor.MonotonicMs), ClockQuality.Untrusted);
    }

    /// <summary>Where untrusted time starts counting from. Continues an untrusted basis of this same boot
    /// (a restarted process keeps one offset for the whole boot); otherwise the wall clock, but never earlier
    /// than the last journal row (decision 6: an earlier time is not taken at face value).</summary>
    private (DateTimeOffset Utc, long MonotonicMs) ChooseAnchor(DateTimeOffset wall, long mono)
    {
        var last = journal?.ReadAfter(Math.Max(0, (journal?.Head.Sequence ?? 0) - 1), 1).FirstOrDefault();
        if (last is null)
        {
            return (wall, mono);
        }

        if (last.BootId == sources.BootId && last.Clock == ClockQuality.Untrusted)
        {
            return (last.At.ToUniversalTime(), last.MonotonicMs);
        }

        if (wall < last.At)
        {
            log.LogWarning("Wall clock {Wall} is earlier than the last journal row {Last} and not synchronised; counting from the last row instead",
                wall, last.At);
            return (last.At.ToUniversalTime(), mono);
        }

        return (wall, mono);
    }

    private DateTimeOffset UntrustedBasisNow(EventJournal eventJournal, long mono, long lastUntrustedSeq)
    {
        lock (gate)
        {
            if (untrustedAnchor is { } a)
            {
                return a.Utc.AddMilliseconds(mono - a.MonotonicMs);
            }
        }

        var row = eventJournal.ReadAfter(lastUntrustedSeq - 1, 1)[0];
        return row.At.AddMilliseconds(mono - row.MonotonicMs);
    }

    private static long LastCorrectedSequence(EventJournal eventJournal, string bootId)
    {
        var rows = eventJournal.Query("SELECT * FROM journal WHERE kind = 'clock_correction' AND boot_id = $b ORDER BY seq DESC LIMIT 1", ("$b", bootId));
        return rows.Count == 0 ? 0 : rows[0].Envelope().Event is ClockCorrection c ? c.ToSequence : 0;
    }
}

using Kiosk.Core.Events;
using Kiosk.Device.Clock;
using Kiosk.Device.Tests.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Tests.Clock;

public sealed class ClockGuardTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly DateTimeOffset RealNow = new(2026, 3, 2, 8, 5, 0, TimeSpan.FromHours(8));

    private static ClockGuard Guard(ManualTime time, FakeClockSources sources, TempJournal temp)
    {
        var guard = new ClockGuard(time, sources, new ClockOptions(Shanghai, TrustedRtc: false, TimeSpan.FromHours(24)), NullLogger.Instance);
        guard.Attach(temp.Journal);
        return guard;
    }

    [Fact]
    public async Task A_clock_a_year_behind_is_flagged_then_corrected_by_one_event_without_rewriting_rows()
    {
        using var temp = new TempJournal();
        var time = new ManualTime(RealNow.AddYears(-1));
        var sources = new FakeClockSources();
        var guard = Guard(time, sources, temp);

        var first = guard.Stamp();
        Assert.Equal(ClockQuality.Untrusted, first.Quality);
        await temp.Journal.AppendAsync(TempJournal.PunchAt("w1", first.Local), first, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(3));
        var second = guard.Stamp();
        await temp.Journal.AppendAsync(TempJournal.PunchAt("w2", second.Local), second, CancellationToken.None);
        Assert.Equal(TimeSpan.FromMinutes(3), second.Local - first.Local);
        Assert.Null(await guard.RefreshAsync(CancellationToken.None));

        // NTP arrives: the wall clock steps to the real time (3 minutes after the first punch) and the marker appears.
        time.Advance(TimeSpan.FromMinutes(1));
        time.SetWall(RealNow.AddMinutes(4));
        sources.Synchronised = true;
        var correction = await guard.RefreshAsync(CancellationToken.None);

        Assert.NotNull(correction);
        Assert.Equal(1, correction.FromSequence);
        Assert.Equal(2, correction.ToSequence);
        Assert.Equal("boot-a", correction.BootId);
        Assert.Equal(RealNow - first.Local, correction.Offset);
        var rows = temp.Journal.ReadAfter(0, 10);
        Assert.Equal(first.Local, rows[0].At);
        Assert.Equal(ClockQuality.Untrusted, rows[0].Clock);
        Assert.Equal(RealNow, rows[0].At + correction.Offset);
        Assert.Equal(RealNow.AddMinutes(3), rows[1].At + correction.Offset);
        var journalled = Assert.IsType<ClockCorrection>(rows[2].Envelope().Event);
        Assert.Equal(correction, journalled);
        Assert.Equal(ClockQuality.Synchronised, rows[2].Clock);
        Assert.Null(await guard.RefreshAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_unsynchronised_time_earlier_than_the_last_row_is_not_taken_at_face_value()
    {
        using var temp = new TempJournal();
        var lastRowAt = new DateTimeOffset(2026, 3, 2, 17, 0, 0, TimeSpan.FromHours(8));
        await temp.Journal.AppendAsync(TempJournal.PunchAt("w1", lastRowAt), new ClockStamp(lastRowAt, ClockQuality.Synchronised, "boot-old", 5), CancellationToken.None);

        // Next boot: fake-hwclock-less Pi starts at 1970-ish… here a day earlier than the last row.
        var time = new ManualTime(lastRowAt.AddDays(-1));
        var guard = Guard(time, new FakeClockSources("boot-new"), temp);
        var stamp = guard.Stamp();

        Assert.Equal(ClockQuality.Untrusted, stamp.Quality);
        Assert.True(stamp.Local >= lastRowAt, $"stamp {stamp.Local} went before the last row {lastRowAt}");
        time.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(lastRowAt.AddSeconds(90), guard.Stamp().Local);
    }

    [Fact]
    public void A_recent_centre_time_message_makes_the_clock_trusted_and_expires()
    {
        using var temp = new TempJournal();
        var time = new ManualTime(RealNow.AddYears(-1));
        var guard = Guard(time, new FakeClockSources(), temp);
        guard.OnCentreTime(RealNow);
        time.Advance(TimeSpan.FromMinutes(10));

        var stamp = guard.Stamp();
        Assert.Equal(ClockQuality.CentreTime, stamp.Quality);
        Assert.Equal(RealNow.AddMinutes(10), stamp.Local);
        Assert.Equal(TimeSpan.FromHours(8), stamp.Local.Offset);

        time.Advance(TimeSpan.FromHours(25));
        Assert.Equal(ClockQuality.Untrusted, guard.Stamp().Quality);
    }

    [Fact]
    public void The_linux_sources_read_the_boot_id_and_the_timesyncd_marker_which_counts_for_the_whole_boot()
    {
        var dir = Directory.CreateTempSubdirectory("kiosk-clock-");
        try
        {
            var marker = Path.Combine(dir.FullName, "synchronized");
            var bootFile = Path.Combine(dir.FullName, "boot_id");
            File.WriteAllText(bootFile, "5758b264-1878-47db-81ed-aa5ec2f2e9f4\n");
            var kernel = false;
            var sources = new LinuxClockSources(marker, bootFile, () => kernel);
            Assert.Equal("5758b264-1878-47db-81ed-aa5ec2f2e9f4", sources.BootId);
            Assert.False(sources.IsSystemClockSynchronised());
            kernel = true;
            Assert.True(sources.IsSystemClockSynchronised());
            kernel = false;
            File.WriteAllText(marker, string.Empty);
            Assert.True(sources.IsSystemClockSynchronised());
            // Once seen, the marker counts until the next boot; it is not looked for again.
            File.Delete(marker);
            Assert.True(sources.IsSystemClockSynchronised());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

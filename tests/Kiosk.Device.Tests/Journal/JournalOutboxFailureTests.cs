using Kiosk.Device.Journal;
using Kiosk.Device.Tests.CardReaders;
using Kiosk.Device.Tests.Clock;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Tests.Journal;

/// <summary>The outbox bookkeeping is best effort (JournalOutbox remarks): a failed write, made real here by a trigger
/// that aborts every outbox update in the journal file (what a full SD card does to the transaction), must not stop
/// delivery, must never leave the file claiming an ack it did not commit, and is written once the file accepts it again.</summary>
public sealed class JournalOutboxFailureTests
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 8, 0, 0, TempJournal.Beijing);

    [Fact]
    public async Task A_bookkeeping_write_that_fails_still_delivers_the_rows_and_the_next_due_write_records_attempts_and_ack()
    {
        using var temp = new TempJournal();
        var (time, log, outbox) = await FailingOutboxAsync(temp);

        // Mid-drain: batch 1..2 out and acknowledged, kept back; a second later the next read falls due and fails.
        await outbox.ReadWireAfterAsync(0, 2, CancellationToken.None);
        await outbox.MarkAcknowledgedAsync(2, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        var rows = await outbox.ReadWireAfterAsync(2, 2, CancellationToken.None);

        Assert.Equal([3L, 4L], rows.Select(r => r.Sequence));
        var warning = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("disk full (test)", warning.Error?.Message, StringComparison.Ordinal);
        Assert.Contains("within 1..4, ack 2, written ack 0", warning.Message, StringComparison.Ordinal);

        // The pump's view runs ahead; the file (and so pruning) does not.
        Assert.Equal(2, await outbox.GetAcknowledgedAsync(CancellationToken.None));
        Assert.Equal(0, temp.Journal.AckedThrough);
        Assert.Null(AckedThroughInFile(temp));
        Assert.All(temp.Journal.ReadOutbox(1, 6), r => Assert.Equal((OutboxState.Pending, 0), (r.State, r.Attempts)));
        Assert.Equal(0, await temp.Journal.PruneAsync(DateOnly.FromDateTime(Morning.Date).AddDays(1000), CancellationToken.None));

        // The card has room again: the next due write records everything kept, attempts and ack together.
        SetFailing(temp, false);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([5L, 6L], (await outbox.ReadWireAfterAsync(4, 2, CancellationToken.None)).Select(r => r.Sequence));
        Assert.Equal(2, temp.Journal.AckedThrough);
        Assert.Equal("2", AckedThroughInFile(temp));
        Assert.Equal(
            [new OutboxRow(1, OutboxState.Acked, 1), new OutboxRow(2, OutboxState.Acked, 1), new OutboxRow(3, OutboxState.Sent, 1),
             new OutboxRow(4, OutboxState.Sent, 1), new OutboxRow(5, OutboxState.Sent, 1), new OutboxRow(6, OutboxState.Sent, 1)],
            temp.Journal.ReadOutbox(1, 6));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("written again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_ack_write_keeps_the_pump_going_and_is_retried_once_per_second_not_at_every_ack()
    {
        using var temp = new TempJournal();
        var (time, log, outbox) = await FailingOutboxAsync(temp);

        // Caught up: the ack would be written at once; it fails and the pump goes on with its own view.
        await outbox.ReadWireAfterAsync(0, 6, CancellationToken.None);
        await outbox.MarkAcknowledgedAsync(6, CancellationToken.None);
        Assert.Equal(1, Failures(log));
        Assert.Equal(6, await outbox.GetAcknowledgedAsync(CancellationToken.None));
        Assert.Equal(0, temp.Journal.AckedThrough);
        Assert.Null(AckedThroughInFile(temp));

        // More punches, sent and acknowledged within the same second: no new try (no retry loop at every ack).
        await AppendAsync(temp, 2, first: 6);
        await outbox.ReadWireAfterAsync(6, 2, CancellationToken.None);
        await outbox.MarkAcknowledgedAsync(8, CancellationToken.None);
        await outbox.FlushAsync(evenIfRecent: false, CancellationToken.None);
        Assert.Equal(1, Failures(log));

        // A second later the idle flush tries once more, still failing, still without throwing.
        time.Advance(TimeSpan.FromSeconds(1));
        await outbox.FlushAsync(evenIfRecent: false, CancellationToken.None);
        Assert.Equal(2, Failures(log));
        Assert.Single(log.Entries, e => e.Level == LogLevel.Warning); // a run of failures warns once, not every second

        // Stopping asks for the write now: it fails the same way (logged here, once; nothing thrown at the stopping pump),
        // and cancellation is never swallowed.
        await outbox.FlushAsync(evenIfRecent: true, CancellationToken.None);
        Assert.Equal(3, Failures(log));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => outbox.FlushAsync(evenIfRecent: true, new CancellationToken(canceled: true)));
        Assert.Equal(0, temp.Journal.AckedThrough);

        SetFailing(temp, false);
        time.Advance(TimeSpan.FromSeconds(1));
        await outbox.FlushAsync(evenIfRecent: false, CancellationToken.None);
        Assert.Equal(8, temp.Journal.AckedThrough);
        Assert.Equal("8", AckedThroughInFile(temp));
        Assert.All(temp.Journal.ReadOutbox(1, 8), r => Assert.Equal((OutboxState.Acked, 1), (r.State, r.Attempts)));
    }

    /// <summary>An outbox over <paramref name="temp"/> with six punches appended and every bookkeeping write failing.</summary>
    private static async Task<(ManualTime Time, ListLogger Log, JournalOutbox Outbox)> FailingOutboxAsync(TempJournal temp)
    {
        var time = new ManualTime(Morning);
        var log = new ListLogger();
        var outbox = new JournalOutbox(temp.Journal, time, new TypedLogger<JournalOutbox>(log));
        await AppendAsync(temp, 6);
        SetFailing(temp, true);
        return (time, log, outbox);
    }

    private static async Task AppendAsync(TempJournal temp, int count, int first = 0)
    {
        for (var i = first; i < first + count; i++)
        {
            var at = Morning.AddMinutes(i);
            await temp.Journal.AppendAsync(TempJournal.PunchAt("w" + i, at), TempJournal.Stamp(at), CancellationToken.None);
        }
    }

    /// <summary>Through a second connection on the same file, as another process would: every outbox update aborts.</summary>
    private static void SetFailing(TempJournal temp, bool failing)
    {
        using var connection = new SqliteConnection("Data Source=" + temp.Options.Path + ";Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = failing
            ? "CREATE TRIGGER outbox_disk_full BEFORE UPDATE ON outbox BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END;"
            : "DROP TRIGGER outbox_disk_full;";
        command.ExecuteNonQuery();
    }

    /// <summary>The acknowledgement as committed in the file, read through its own connection (null when none).</summary>
    private static string? AckedThroughInFile(TempJournal temp)
    {
        using var connection = new SqliteConnection("Data Source=" + temp.Options.Path + ";Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'acked_through_seq'";
        return command.ExecuteScalar() as string;
    }

    /// <summary>The failed-write entries logged so far, at any level.</summary>
    private static int Failures(ListLogger log) =>
        log.Entries.Count(e => e.Message.StartsWith("Could not write the delivery bookkeeping", StringComparison.Ordinal));
}

using Kiosk.Core.Events;
using Kiosk.Device.Journal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Tests.Journal;

public sealed class JournalTests
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 8, 0, 0, TempJournal.Beijing);

    [Fact]
    public async Task Committed_events_come_back_sealed_in_one_chain_after_reopening()
    {
        using var temp = new TempJournal();
        for (var i = 0; i < 3; i++)
        {
            var at = Morning.AddMinutes(i);
            await temp.Journal.AppendAsync(TempJournal.PunchAt("w" + i, at), TempJournal.Stamp(at), CancellationToken.None);
        }

        var journal = temp.Reopen();
        var rows = journal.ReadAfter(0, 10);
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.Sequence));
        Assert.Equal(JournalHash.Genesis, rows[0].PrevHash);
        Assert.Equal(rows[0].Hash, rows[1].PrevHash);
        Assert.All(rows, r => Assert.True(JournalHash.Verify(r.Envelope())));
        Assert.Equal(Morning.AddMinutes(2), rows[2].At);
        Assert.Equal(TimeSpan.FromHours(8), rows[2].At.Offset);
        Assert.Equal(3, journal.Head.Sequence);
        Assert.True(JournalIntegrity.Check(journal).Healthy);
    }

    [Fact]
    public void A_writer_connection_runs_WAL_with_synchronous_FULL()
    {
        using var temp = new TempJournal();
        using var connection = JournalSchema.Open(temp.Options.Path);
        Assert.Equal("wal", JournalSchema.Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal(2L, JournalSchema.Scalar(connection, "PRAGMA synchronous"));
        Assert.Equal((long)JournalSchema.LatestVersion, JournalSchema.Scalar(connection, "PRAGMA user_version"));
    }

    [Fact]
    public async Task The_journal_reads_through_a_read_only_connection_that_sees_every_commit_and_cannot_write()
    {
        using var temp = new TempJournal();
        await temp.Journal.AppendAsync(TempJournal.PunchAt("w1", Morning), TempJournal.Stamp(Morning), CancellationToken.None);

        var (mode, busy, cache, refused) = temp.Journal.ReadWith(connection =>
        {
            var error = Assert.Throws<SqliteException>(() => JournalSchema.Execute(connection, "INSERT INTO meta (key, value) VALUES ('probe', 'x')"));
            return (JournalSchema.Scalar(connection, "PRAGMA journal_mode"), JournalSchema.Scalar(connection, "PRAGMA busy_timeout"),
                JournalSchema.Scalar(connection, "PRAGMA cache_size"), error.SqliteErrorCode);
        });

        Assert.Equal(8, refused); // SQLITE_READONLY
        Assert.Equal(("wal", 10000L, -256L), (mode, busy, cache));
        Assert.Equal(["w1"], temp.Journal.ReadAfter(0, 10).Select(r => r.WorkerId));
        Assert.True(JournalIntegrity.Check(temp.Journal).Healthy);
    }

    [Fact]
    public async Task Closing_the_journal_checkpoints_and_leaves_no_write_ahead_log_behind()
    {
        using var temp = new TempJournal();
        await temp.Journal.AppendAsync(TempJournal.PunchAt("w1", Morning), TempJournal.Stamp(Morning), CancellationToken.None);
        Assert.True(File.Exists(temp.Options.Path + "-wal"));

        temp.Journal.Dispose();

        // The last connection to close (the writer) checkpointed the WAL into the file and removed it.
        Assert.False(File.Exists(temp.Options.Path + "-wal"));
        Assert.False(File.Exists(temp.Options.Path + "-shm"));
        Assert.Equal(["w1"], temp.Reopen().ReadAfter(0, 10).Select(r => r.WorkerId));
    }

    [Fact]
    public async Task A_tampered_row_is_reported_once_and_punches_continue_on_a_new_segment()
    {
        using var temp = new TempJournal();
        for (var i = 0; i < 4; i++)
        {
            await temp.Journal.AppendAsync(TempJournal.PunchAt("w" + i, Morning.AddMinutes(i)), TempJournal.Stamp(Morning.AddMinutes(i)), CancellationToken.None);
        }

        temp.Journal.Dispose();
        using (var raw = new SqliteConnection("Data Source=" + temp.Options.Path))
        {
            raw.Open();
            using var tamper = raw.CreateCommand();
            tamper.CommandText = "UPDATE journal SET envelope = replace(envelope, '\"w1\"', '\"w9\"') WHERE seq = 2";
            Assert.Equal(1, tamper.ExecuteNonQuery());
        }

        var journal = temp.Reopen();
        var report = await JournalIntegrity.CheckAndRecordAsync(journal, () => TempJournal.Stamp(Morning.AddHours(1)), NullLogger.Instance, CancellationToken.None);
        var broken = Assert.Single(report.NewBreaks);
        Assert.Equal(2, broken.Sequence);
        var restart = journal.ReadAfter(4, 1).Single();
        var restartEvent = Assert.IsType<ChainRestarted>(restart.Envelope().Event);
        Assert.Equal(4, restartEvent.AfterSequence);
        Assert.Equal(JournalHash.Genesis, restart.PrevHash);
        Assert.Equal(1, restart.Segment);

        var next = await journal.AppendAsync(TempJournal.PunchAt("w5", Morning.AddHours(1)), TempJournal.Stamp(Morning.AddHours(1)), CancellationToken.None);
        Assert.Equal(6, next.Sequence);
        Assert.Equal(restart.Hash, next.PrevHash);

        var again = await JournalIntegrity.CheckAndRecordAsync(temp.Reopen(), () => TempJournal.Stamp(Morning.AddHours(2)), NullLogger.Instance, CancellationToken.None);
        Assert.Empty(again.NewBreaks);
        Assert.Equal(6, temp.Journal.Head.Sequence);
    }

    [Fact]
    public async Task A_deleted_row_is_a_break_naming_the_missing_sequence()
    {
        using var temp = new TempJournal();
        for (var i = 0; i < 3; i++)
        {
            await temp.Journal.AppendAsync(TempJournal.PunchAt("w" + i, Morning.AddMinutes(i)), TempJournal.Stamp(Morning.AddMinutes(i)), CancellationToken.None);
        }

        temp.Journal.Dispose();
        using (var raw = new SqliteConnection("Data Source=" + temp.Options.Path))
        {
            raw.Open();
            using var delete = raw.CreateCommand();
            delete.CommandText = "DELETE FROM journal WHERE seq = 2";
            delete.ExecuteNonQuery();
        }

        var report = JournalIntegrity.Check(temp.Reopen());
        var broken = Assert.Single(report.NewBreaks);
        Assert.Equal(3, broken.Sequence);
        Assert.Contains("2..2 are missing", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_are_pruned_only_when_acknowledged_and_older_than_the_retention()
    {
        using var temp = new TempJournal(retentionDays: 30);
        var old = Morning.AddDays(-100);
        for (var i = 0; i < 5; i++)
        {
            await temp.Journal.AppendAsync(TempJournal.PunchAt("w" + i, old.AddDays(i)), TempJournal.Stamp(old.AddDays(i)), CancellationToken.None);
        }

        await temp.Journal.AppendAsync(TempJournal.PunchAt("new", Morning), TempJournal.Stamp(Morning), CancellationToken.None);
        var today = DateOnly.FromDateTime(Morning.DateTime);
        Assert.Equal(0, await temp.Journal.PruneAsync(today, CancellationToken.None));

        await temp.Journal.RecordDeliveryAsync([], 3, Morning, CancellationToken.None);
        Assert.Equal(3, await temp.Journal.PruneAsync(today, CancellationToken.None));
        Assert.Equal([4L, 5L, 6L], temp.Journal.ReadAfter(0, 10).Select(r => r.Sequence));

        var journal = temp.Reopen();
        Assert.True(JournalIntegrity.Check(journal).Healthy);
        var next = await journal.AppendAsync(TempJournal.PunchAt("w7", Morning.AddMinutes(5)), TempJournal.Stamp(Morning.AddMinutes(5)), CancellationToken.None);
        Assert.Equal(7, next.Sequence);

        // Everything acknowledged and old: the last row still stays, so the chain has an anchor.
        await journal.RecordDeliveryAsync([], 7, Morning, CancellationToken.None);
        await journal.PruneAsync(today.AddDays(400), CancellationToken.None);
        Assert.Equal(7, Assert.Single(journal.ReadAfter(0, 10)).Sequence);
    }

    [Fact]
    public async Task The_outbox_counts_attempts_and_only_an_application_ack_marks_rows_acked()
    {
        using var temp = new TempJournal();
        var time = new Clock.ManualTime(Morning);
        var outbox = new JournalOutbox(temp.Journal, time, NullLogger<JournalOutbox>.Instance);
        for (var i = 0; i < 5; i++)
        {
            await temp.Journal.AppendAsync(TempJournal.PunchAt("w" + i, Morning.AddMinutes(i)), TempJournal.Stamp(Morning.AddMinutes(i)), CancellationToken.None);
        }

        var batch = await outbox.ReadWireAfterAsync(0, 3, CancellationToken.None);
        Assert.Equal([1L, 2L, 3L], batch.Select(e => e.Sequence));
        await outbox.ReadWireAfterAsync(0, 3, CancellationToken.None);
        await outbox.FlushAsync(evenIfRecent: true, CancellationToken.None);
        var rows = temp.Journal.ReadOutbox(1, 10);
        Assert.Equal([2, 2, 2, 0, 0], rows.Select(r => r.Attempts));
        Assert.Equal([OutboxState.Sent, OutboxState.Sent, OutboxState.Sent, OutboxState.Pending, OutboxState.Pending], rows.Select(r => r.State));
        Assert.Equal(0, await outbox.GetAcknowledgedAsync(CancellationToken.None));

        await outbox.MarkAcknowledgedAsync(3, CancellationToken.None);
        await outbox.FlushAsync(evenIfRecent: true, CancellationToken.None);
        var stats = await outbox.GetStatsAsync(CancellationToken.None);
        Assert.Equal(2, stats.QueueDepth);
        Assert.Equal(Morning.AddMinutes(3), stats.OldestUnacknowledgedAt);
        Assert.Equal(3, temp.Journal.ReadOutbox(1, 10).Count(r => r.State == OutboxState.Acked));
        Assert.Equal([OutboxState.Acked, OutboxState.Acked, OutboxState.Acked, OutboxState.Pending, OutboxState.Pending],
            temp.Journal.ReadOutbox(1, 10).Select(r => r.State));
        Assert.Equal(3, await new JournalOutbox(temp.Reopen(), time, NullLogger<JournalOutbox>.Instance).GetAcknowledgedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_journal_of_schema_2_keeps_every_row_state_and_attempt_when_the_outbox_moves_to_its_own_table()
    {
        using var temp = new TempJournal();
        var time = new Clock.ManualTime(Morning);
        var outbox = new JournalOutbox(temp.Journal, time, NullLogger<JournalOutbox>.Instance);
        for (var i = 0; i < 5; i++)
        {
            await temp.Journal.AppendAsync(TempJournal.PunchAt("w" + i, Morning.AddMinutes(i)), TempJournal.Stamp(Morning.AddMinutes(i)), CancellationToken.None);
        }

        await outbox.ReadWireAfterAsync(0, 4, CancellationToken.None);
        await outbox.MarkAcknowledgedAsync(2, CancellationToken.None);
        await outbox.FlushAsync(evenIfRecent: true, CancellationToken.None);
        temp.Journal.Dispose();
        // Put the file back into the layout version 2 shipped: the bookkeeping in journal columns, indexed by state.
        using (var old = JournalSchema.Open(temp.Options.Path))
        {
            JournalSchema.Execute(old, """
                ALTER TABLE journal ADD COLUMN outbox_state TEXT NOT NULL DEFAULT 'pending' CHECK (outbox_state IN ('pending', 'sent', 'acked'));
                ALTER TABLE journal ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE journal ADD COLUMN last_attempt_utc TEXT;
                ALTER TABLE journal ADD COLUMN acked_utc TEXT;
                UPDATE journal SET (outbox_state, attempts, last_attempt_utc, acked_utc) =
                    (SELECT state, attempts, last_attempt_utc, acked_utc FROM outbox_text WHERE outbox_text.seq = journal.seq);
                DROP VIEW outbox_text;
                DROP TABLE outbox;
                CREATE INDEX journal_outbox ON journal(outbox_state, seq);
                PRAGMA user_version = 2;
                """);
        }

        var journal = temp.Reopen();
        Assert.Equal(
            [new OutboxRow(1, OutboxState.Acked, 1), new OutboxRow(2, OutboxState.Acked, 1), new OutboxRow(3, OutboxState.Sent, 1),
             new OutboxRow(4, OutboxState.Sent, 1), new OutboxRow(5, OutboxState.Pending, 0)],
            journal.ReadOutbox(1, 5));
        using (var migrated = JournalSchema.Open(temp.Options.Path))
        {
            Assert.Equal((long)JournalSchema.LatestVersion, JournalSchema.Scalar(migrated, "PRAGMA user_version"));
            Assert.Equal(0L, JournalSchema.Scalar(migrated, "SELECT COUNT(*) FROM pragma_table_info('journal') WHERE name = 'outbox_state'"));
        }

        Assert.True(JournalIntegrity.Check(journal).Healthy);
        await journal.AppendAsync(TempJournal.PunchAt("w9", Morning.AddHours(1)), TempJournal.Stamp(Morning.AddHours(1)), CancellationToken.None);
        Assert.Equal(OutboxState.Pending, journal.ReadOutbox(6, 6).Single().State);
        Assert.Equal([3L, 4L, 5L, 6L], (await new JournalOutbox(journal, time, NullLogger<JournalOutbox>.Instance).ReadWireAfterAsync(2, 10, CancellationToken.None)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_journal_of_schema_3_keeps_every_state_attempt_and_time_when_the_outbox_becomes_integers()
    {
        using var temp = new TempJournal();
        var time = new Clock.ManualTime(Morning);
        var outbox = new JournalOutbox(temp.Journal, time, NullLogger<JournalOutbox>.Instance);
        for (var i = 0; i < 4; i++)
        {
            await temp.Journal.AppendAsync(TempJournal.PunchAt("w" + i, Morning.AddMinutes(i)), TempJournal.Stamp(Morning.AddMinutes(i)), CancellationToken.None);
        }

        await outbox.ReadWireAfterAsync(0, 3, CancellationToken.None);
        await outbox.MarkAcknowledgedAsync(1, CancellationToken.None);
        await outbox.FlushAsync(evenIfRecent: true, CancellationToken.None);
        temp.Journal.Dispose();
        // Put the file back into the layout version 3 shipped: states as words, times as .NET's "O" text.
        using (var old = JournalSchema.Open(temp.Options.Path))
        {
            JournalSchema.Execute(old, """
                CREATE TABLE outbox_v3 (
                    seq INTEGER PRIMARY KEY,
                    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'acked')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_attempt_utc TEXT,
                    acked_utc TEXT
                );
                INSERT INTO outbox_v3 (seq, state, attempts, last_attempt_utc, acked_utc)
                    SELECT seq, state, attempts,
                        CASE WHEN last_attempt_utc IS NULL THEN NULL ELSE '2026-03-02T00:05:01.2345678Z' END,
                        CASE WHEN acked_utc IS NULL THEN NULL ELSE '2026-03-02T00:05:02.0000000Z' END
                    FROM outbox_text;
                DROP VIEW outbox_text;
                DROP TABLE outbox;
                ALTER TABLE outbox_v3 RENAME TO outbox;
                PRAGMA user_version = 3;
                """);
        }

        var journal = temp.Reopen();
        Assert.Equal(
            [new OutboxRow(1, OutboxState.Acked, 1), new OutboxRow(2, OutboxState.Sent, 1), new OutboxRow(3, OutboxState.Sent, 1),
             new OutboxRow(4, OutboxState.Pending, 0)],
            journal.ReadOutbox(1, 4));
        using (var migrated = JournalSchema.Open(temp.Options.Path))
        {
            var sent = new DateTimeOffset(2026, 3, 2, 0, 5, 1, 235, TimeSpan.Zero).ToUnixTimeMilliseconds();
            var acked = new DateTimeOffset(2026, 3, 2, 0, 5, 2, TimeSpan.Zero).ToUnixTimeMilliseconds();
            Assert.Equal(sent, JournalSchema.Scalar(migrated, "SELECT last_attempt_ms FROM outbox WHERE seq = 1"));
            Assert.Equal(acked, JournalSchema.Scalar(migrated, "SELECT acked_ms FROM outbox WHERE seq = 1"));
            Assert.Equal(DBNull.Value, JournalSchema.Scalar(migrated, "SELECT acked_ms FROM outbox WHERE seq = 2"));
            Assert.Equal("2026-03-02T00:05:02.000Z", JournalSchema.Scalar(migrated, "SELECT acked_utc FROM outbox_text WHERE seq = 1"));
            Assert.Equal("sent", JournalSchema.Scalar(migrated, "SELECT state FROM outbox_text WHERE seq = 3"));
        }

        // Delivery goes on from the migrated rows: the ack of 2-3 marks them, the pending one is sent next.
        var after = new JournalOutbox(journal, time, NullLogger<JournalOutbox>.Instance);
        await after.MarkAcknowledgedAsync(3, CancellationToken.None);
        await after.FlushAsync(evenIfRecent: true, CancellationToken.None);
        Assert.Equal([OutboxState.Acked, OutboxState.Acked, OutboxState.Acked, OutboxState.Pending], journal.ReadOutbox(1, 4).Select(r => r.State));
        Assert.Equal([4L], (await after.ReadWireAfterAsync(3, 10, CancellationToken.None)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task While_a_backlog_drains_attempts_and_acks_are_written_together_and_nothing_is_left_unwritten_for_long()
    {
        using var temp = new TempJournal();
        var time = new Clock.ManualTime(Morning);
        var outbox = new JournalOutbox(temp.Journal, time, NullLogger<JournalOutbox>.Instance);
        for (var i = 0; i < 6; i++)
        {
            await temp.Journal.AppendAsync(TempJournal.PunchAt("w" + i, Morning.AddMinutes(i)), TempJournal.Stamp(Morning.AddMinutes(i)), CancellationToken.None);
        }

        // Mid-drain: two batches out, the first acknowledged. Kept back, but the pump sees the ack at once.
        await outbox.ReadWireAfterAsync(0, 2, CancellationToken.None);
        await outbox.ReadWireAfterAsync(2, 2, CancellationToken.None);
        await outbox.MarkAcknowledgedAsync(2, CancellationToken.None);
        await outbox.FlushAsync(evenIfRecent: false, CancellationToken.None);
        Assert.Equal(2, await outbox.GetAcknowledgedAsync(CancellationToken.None));
        Assert.Equal(0, temp.Journal.AckedThrough);
        Assert.All(temp.Journal.ReadOutbox(1, 6), r => Assert.Equal((OutboxState.Pending, 0), (r.State, r.Attempts)));

        // A second later the pump, idle, writes everything kept back in one go.
        time.Advance(TimeSpan.FromSeconds(1));
        await outbox.FlushAsync(evenIfRecent: false, CancellationToken.None);
        Assert.Equal(2, temp.Journal.AckedThrough);
        Assert.Equal([OutboxState.Acked, OutboxState.Acked, OutboxState.Sent, OutboxState.Sent, OutboxState.Pending, OutboxState.Pending],
            temp.Journal.ReadOutbox(1, 6).Select(r => r.State));

        // Caught up: the last batch's ack is written at once.
        await outbox.ReadWireAfterAsync(4, 2, CancellationToken.None);
        await outbox.MarkAcknowledgedAsync(6, CancellationToken.None);
        Assert.Equal(6, temp.Journal.AckedThrough);
        Assert.All(temp.Journal.ReadOutbox(1, 6), r => Assert.Equal((OutboxState.Acked, 1), (r.State, r.Attempts)));
    }
}

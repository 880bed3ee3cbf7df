using System.Globalization;
using System.Text.Json;
using Kiosk.Core.Events;
using Kiosk.Device.Clock;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Journal;

internal sealed record ChainBreak(long Sequence, string Reason);

internal sealed record IntegrityReport(string QuickCheck, IReadOnlyList<ChainBreak> NewBreaks, long RowsChecked)
{
    public bool Healthy => QuickCheck == "ok" && NewBreaks.Count == 0;
}

/// <summary>The start-up check (issue 4, "Journal"): SQLite's quick_check, then the hash chain row by row.
/// A break never stops the kiosk: it is logged loudly and a ChainRestarted event opens a new segment that
/// chains from Genesis, so punches keep being recorded and the centre sees exactly where the damage is.
/// Breaks already reported are remembered in chain_breaks so a damaged old row is reported once.</summary>
internal static class JournalIntegrity
{
    public static IntegrityReport Check(EventJournal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return journal.ReadWith(connection =>
        {
            var quick = QuickCheck(connection);
            var known = KnownBreaks(connection);
            var breaks = new List<ChainBreak>();
            var prunedSeq = EventJournal.ReadMeta(connection, "pruned_through_seq");
            var previousSeq = prunedSeq is null ? 0L : long.Parse(prunedSeq, CultureInfo.InvariantCulture);
            var expectedPrev = EventJournal.ReadMeta(connection, "pruned_through_hash") ?? JournalHash.Genesis;
            long rows = 0;
            try
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT seq, hash, prev_hash, envelope FROM journal ORDER BY seq";
                using var data = command.ExecuteReader();
                while (data.Read())
                {
                    rows++;
                    var seq = data.GetInt64(0);
                    var reason = CheckRow(seq, data.GetString(1), data.GetString(2), data.GetString(3), previousSeq, expectedPrev);
                    if (reason is not null && !known.Contains(seq))
                    {
                        breaks.Add(new ChainBreak(seq, reason));
                    }

                    previousSeq = seq;
                    // Continue from this row's own stored hash: one damaged row is one break, not a cascade.
                    expectedPrev = data.GetString(1);
                }
            }
            catch (SqliteException ex)
            {
                breaks.Add(new ChainBreak(previousSeq + 1, "unreadable after this row: " + ex.Message));
            }

            return new IntegrityReport(quick, breaks, rows);
        });
    }

    /// <summary>Runs the check and records what it found: a ChainRestarted event when the chain has new breaks.</summary>
    public static async Task<IntegrityReport> CheckAndRecordAsync(EventJournal journal, Func<ClockStamp> stamp, ILogger log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(stamp);
        var report = Check(journal);
        if (report.QuickCheck != "ok")
        {
            log.LogError("Journal {Path} failed SQLite quick_check: {Result}. Punches are still recorded; copy the file off the device for inspection",
                journal.Path, report.QuickCheck);
        }

        if (report.NewBreaks.Count == 0)
        {
            log.LogInformation("Journal {Path} verified: {Rows} rows, chain intact, head sequence {Sequence}", journal.Path, report.RowsChecked, journal.Head.Sequence);
            return report;
        }

        foreach (var broken in report.NewBreaks)
        {
            log.LogError("JOURNAL CHAIN BROKEN at sequence {Sequence}: {Reason}", broken.Sequence, broken.Reason);
        }

        var now = stamp();
        var summary = string.Join("; ", report.NewBreaks.Take(5).Select(b => string.Create(CultureInfo.InvariantCulture, $"seq {b.Sequence}: {b.Reason}")))
            + (report.NewBreaks.Count > 5 ? string.Create(CultureInfo.InvariantCulture, $"; and {report.NewBreaks.Count - 5} more") : string.Empty);
        var restarted = await journal.AppendAsync(new ChainRestarted(journal.Head.Sequence, summary, now.Local), now, cancellationToken);
        await journal.WriteAsync((connection, transaction) =>
        {
            foreach (var broken in report.NewBreaks)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT OR IGNORE INTO chain_breaks (seq, reason, detected_utc) VALUES ($s, $r, $t)";
                command.Parameters.AddWithValue("$s", broken.Sequence);
                command.Parameters.AddWithValue("$r", broken.Reason);
                command.Parameters.AddWithValue("$t", now.Local.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                command.ExecuteNonQuery();
            }

            return 0;
        }, cancellationToken);
        log.LogError("Journal continues on a new chain segment from sequence {Sequence} ({Count} break(s) recorded)", restarted.Sequence, report.NewBreaks.Count);
        return report;
    }

    private static string? CheckRow(long seq, string hash, string prevHash, string json, long previousSeq, string expectedPrev)
    {
        JournalEnvelope envelope;
        try
        {
            envelope = JournalJson.Parse(json);
        }
        catch (JsonException ex)
        {
            return "envelope is not valid JSON: " + ex.Message;
        }

        if (envelope.Sequence != seq)
        {
            return string.Create(CultureInfo.InvariantCulture, $"envelope says sequence {envelope.Sequence}");
        }

        if (!JournalHash.Verify(envelope) || !string.Equals(envelope.Hash, hash, StringComparison.Ordinal))
        {
            return "row content does not match its hash";
        }

        if (!string.Equals(envelope.PrevHash, prevHash, StringComparison.Ordinal))
        {
            return "prev_hash column differs from the envelope";
        }

        if (seq != previousSeq + 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"rows {previousSeq + 1}..{seq - 1} are missing");
        }

        var expected = envelope.Event is ChainRestarted ? JournalHash.Genesis : expectedPrev;
        return string.Equals(envelope.PrevHash, expected, StringComparison.Ordinal) ? null : "does not chain to the previous row";
    }

    private static string QuickCheck(SqliteConnection connection)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check";
            using var data = command.ExecuteReader();
            var lines = new List<string>();
            while (data.Read() && lines.Count < 10)
            {
                lines.Add(data.GetString(0));
            }

            return string.Join("; ", lines);
        }
        catch (SqliteException ex)
        {
            return "quick_check failed: " + ex.Message;
        }
    }

    private static HashSet<long> KnownBreaks(SqliteConnection connection)
    {
        var set = new HashSet<long>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq FROM chain_breaks";
        using var data = command.ExecuteReader();
        while (data.Read())
        {
            set.Add(data.GetInt64(0));
        }

        return set;
    }
}

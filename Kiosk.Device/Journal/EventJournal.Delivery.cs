using System.Globalization;
using System.Text;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Journal;

// Outbox bookkeeping, pruning and the cached office configuration: every write goes through the one
// writer connection under the write lock, so it never interleaves with a punch's transaction.
internal sealed partial class EventJournal
{
    /// <summary>Publish attempts for some ranges (state → sent unless already acked, attempts + 1) and, optionally, the
    /// centre's application acknowledgement up to <paramref name="ackUpTo"/> (architecture decision 3: only this, never a
    /// PUBACK, makes a row acked), in ONE transaction: the outbox pump's bookkeeping, batched by JournalOutbox.</summary>
    public async Task RecordDeliveryAsync(IReadOnlyList<(long From, long To)> sent, long? ackUpTo, DateTimeOffset nowUtc,
        CancellationToken cancellationToken)
    {
        var written = await WriteAsync((connection, transaction) =>
        {
            var now = nowUtc.ToUnixTimeMilliseconds();
            var ackedThrough = AckedThrough; // only this object writes it, under the write lock
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            // A row sent and acknowledged since the last write is updated once (attempt and ack together), not twice.
            // States as stored (OutboxState): 1 sent, 2 acked; times in Unix milliseconds (JournalSchema, step 4).
            command.CommandText = """
                UPDATE outbox SET attempts = attempts + 1, last_attempt_ms = $now,
                    state = CASE WHEN seq <= $ack THEN 2 ELSE 1 END,
                    acked_ms = CASE WHEN seq <= $ack THEN $now ELSE acked_ms END
                WHERE seq BETWEEN $from AND $to AND state != 2
                """;
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$ack", Math.Max(ackedThrough, ackUpTo ?? 0));
            var pFrom = command.Parameters.AddWithValue("$from", 0L);
            var pTo = command.Parameters.AddWithValue("$to", 0L);
            foreach (var (from, to) in sent)
            {
                (pFrom.Value, pTo.Value) = (from, to);
                command.ExecuteNonQuery();
            }

            if (ackUpTo is { } upTo && upTo > ackedThrough)
            {
                // Everything at or below acked_through_seq is acked already: only the new range is touched.
                command.CommandText = "UPDATE outbox SET state = 2, acked_ms = $now WHERE seq > $from AND seq <= $to AND state != 2";
                (pFrom.Value, pTo.Value) = (ackedThrough, upTo);
                command.ExecuteNonQuery();
                SetMeta(connection, transaction, "acked_through_seq", upTo.ToString(CultureInfo.InvariantCulture));
                return upTo;
            }

            return ackedThrough;
        }, cancellationToken);
        Volatile.Write(ref ackedThrough, written); // after the commit: never ahead of the file
    }

    /// <summary>The highest sequence the centre acknowledged, as written in the journal (0 when none); kept in memory
    /// like <see cref="Head"/>, read by the idle screen every second.</summary>
    public long AckedThrough => Volatile.Read(ref ackedThrough);

    /// <summary>The outbox rows of a sequence range (device status, tests).</summary>
    public IReadOnlyList<OutboxRow> ReadOutbox(long fromSequence, long toSequence) => ReadWith(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, state, attempts FROM outbox WHERE seq BETWEEN $f AND $t ORDER BY seq";
        command.Parameters.AddWithValue("$f", fromSequence);
        command.Parameters.AddWithValue("$t", toSequence);
        using var data = command.ExecuteReader();
        var rows = new List<OutboxRow>();
        while (data.Read())
        {
            rows.Add(new OutboxRow(data.GetInt64(0), (OutboxState)data.GetInt32(1), data.GetInt32(2)));
        }

        return rows;
    });

    /// <summary>Up to <paramref name="max"/> rows after <paramref name="afterSequence"/> as the outbox pump sends them:
    /// sequence, hash and the stored envelope text rewritten to the wire form, without parsing it.</summary>
    /// <remarks>Through SQLite's own statement (<see cref="RawStatement"/>): the rows' UTF-8 as SQLite holds it, one
    /// copy per envelope, no UTF-16 round trip. Through Microsoft.Data.Sqlite's reader this step was ~3 µs of a drained
    /// event's ~18 (bench/Kiosk.Sync.Bench --stages).</remarks>
    public IReadOnlyList<WireEnvelope> ReadWireAfter(long afterSequence, int max) => ReadWith(connection =>
    {
        using var query = new RawStatement(connection, "SELECT seq, hash, envelope FROM journal WHERE seq > ?1 ORDER BY seq LIMIT ?2");
        query.Bind(1, afterSequence);
        query.Bind(2, max);
        var rows = new List<WireEnvelope>(Math.Min(max, 1024));
        while (query.Read())
        {
            rows.Add(WireEnvelope.FromStoredUtf8(query.Int64(0), Encoding.UTF8.GetString(query.Utf8(1)), query.Utf8(2).ToArray()));
        }

        return rows;
    });

    /// <summary>Deletes the acknowledged prefix of rows older than the retention period (decision 2: never
    /// because it was sent, only after the centre acknowledged it AND the retention passed). The last row is
    /// always kept, and the pruned boundary is remembered so the chain check can anchor on it.</summary>
    public Task<int> PruneAsync(DateOnly today, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            var cutoff = today.AddDays(-options.RetentionDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            using var bound = connection.CreateCommand();
            bound.Transaction = transaction;
            // Keep everything after the acknowledged prefix, everything inside the retention period, and the last row.
            bound.CommandText = """
                SELECT MIN(
                    $acked + 1,
                    COALESCE((SELECT MIN(seq) FROM journal WHERE local_date >= $cutoff), 9223372036854775807),
                    (SELECT MAX(seq) FROM journal)) - 1
                """;
            bound.Parameters.AddWithValue("$cutoff", cutoff);
            bound.Parameters.AddWithValue("$acked", AckedThrough);
            var upTo = bound.ExecuteScalar() is long value ? value : 0;
            if (upTo <= 0)
            {
                return 0;
            }

            using var last = connection.CreateCommand();
            last.Transaction = transaction;
            last.CommandText = "SELECT hash FROM journal WHERE seq = $s";
            last.Parameters.AddWithValue("$s", upTo);
            if (last.ExecuteScalar() is not string hash)
            {
                return 0;
            }

            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM outbox WHERE seq <= $s";
            delete.Parameters.AddWithValue("$s", upTo);
            delete.ExecuteNonQuery();
            delete.CommandText = "DELETE FROM journal WHERE seq <= $s";
            var deleted = delete.ExecuteNonQuery();
            SetMeta(connection, transaction, "pruned_through_seq", upTo.ToString(CultureInfo.InvariantCulture));
            SetMeta(connection, transaction, "pruned_through_hash", hash);
            log.LogInformation("Pruned {Count} acknowledged journal rows up to sequence {Sequence} (retention {Days} days)", deleted, upTo, options.RetentionDays);
            return deleted;
        }, cancellationToken);

    /// <summary>Stores the office configuration received from the centre, replacing the previous one atomically.</summary>
    public Task SaveOfficeConfigAsync(string version, string json, DateTimeOffset nowUtc, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO office_config (id, version, json, received_utc) VALUES (1, $v, $j, $t)
                ON CONFLICT (id) DO UPDATE SET version = excluded.version, json = excluded.json, received_utc = excluded.received_utc
                """;
            command.Parameters.AddWithValue("$v", version);
            command.Parameters.AddWithValue("$j", json);
            command.Parameters.AddWithValue("$t", nowUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public (string Version, string Json)? LoadOfficeConfig()
    {
        lock (readLock)
        {
            using var command = reader.CreateCommand();
            command.CommandText = "SELECT version, json FROM office_config WHERE id = 1";
            using var data = command.ExecuteReader();
            return data.Read() ? (data.GetString(0), data.GetString(1)) : null;
        }
    }

    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            using var transaction = writer.BeginTransaction(deferred: false);
            var result = work(writer, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            writeLock.Release();
        }
    }

    internal T ReadWith<T>(Func<SqliteConnection, T> work)
    {
        lock (readLock)
        {
            return work(reader);
        }
    }

    internal static void SetMeta(SqliteConnection connection, SqliteTransaction transaction, string key, string value)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$v", value);
        command.ExecuteNonQuery();
    }
}

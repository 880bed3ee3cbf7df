using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Journal;

// Outbox bookkeeping, pruning and the cached office configuration: every write goes through the one
// writer connection under the write lock, so it never interleaves with a punch's transaction.
internal sealed partial class EventJournal
{
    /// <summary>Records a publish attempt for a range (state → sent unless already acked, attempts + 1).</summary>
    public Task MarkSentAsync(long fromSequence, long toSequence, DateTimeOffset nowUtc, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                UPDATE journal SET outbox_state = 'sent', attempts = attempts + 1, last_attempt_utc = $now
                WHERE seq BETWEEN $from AND $to AND outbox_state != 'acked'
                """;
            command.Parameters.AddWithValue("$now", nowUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$from", fromSequence);
            command.Parameters.AddWithValue("$to", toSequence);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>The centre's application acknowledgement: it holds every row up to <paramref name="upToSequence"/>
    /// (architecture decision 3). Only this, never a PUBACK, makes a row acked.</summary>
    public Task<int> AcknowledgeAsync(long upToSequence, DateTimeOffset nowUtc, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE journal SET outbox_state = 'acked', acked_utc = $now WHERE seq <= $upTo AND outbox_state != 'acked'";
            command.Parameters.AddWithValue("$now", nowUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$upTo", upToSequence);
            var changed = command.ExecuteNonQuery();
            SetMeta(connection, transaction, "acked_through_seq", upToSequence.ToString(CultureInfo.InvariantCulture));
            return changed;
        }, cancellationToken);

    /// <summary>The highest sequence the centre acknowledged (0 when none).</summary>
    public long AckedThrough
    {
        get
        {
            lock (readLock)
            {
                var text = ReadMeta(reader, "acked_through_seq");
                return text is null ? 0 : long.Parse(text, CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>Deletes the acknowledged prefix of rows older than the retention period (decision 2: never
    /// because it was sent, only after the centre acknowledged it AND the retention passed). The last row is
    /// always kept, and the pruned boundary is remembered so the chain check can anchor on it.</summary>
    public Task<int> PruneAsync(DateOnly today, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) =>
        {
            var cutoff = today.AddDays(-options.RetentionDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            using var bound = connection.CreateCommand();
            bound.Transaction = transaction;
            bound.CommandText = """
                SELECT MIN(
                    COALESCE((SELECT MIN(seq) FROM journal WHERE outbox_state != 'acked' OR local_date >= $cutoff), 9223372036854775807),
                    (SELECT MAX(seq) FROM journal)) - 1
                """;
            bound.Parameters.AddWithValue("$cutoff", cutoff);
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
            delete.CommandText = "DELETE FROM journal WHERE seq <= $s";
            delete.Parameters.AddWithValue("$s", upTo);
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

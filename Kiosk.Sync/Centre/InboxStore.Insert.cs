using System.Globalization;
using System.Text;
using Kiosk.Core.Events;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Sqlite;
using Microsoft.Data.Sqlite;

namespace Kiosk.Sync.Centre;

/// <summary>The write transaction of the inbox: events, their batch and the device's watermark, all or nothing
/// (decision 3: stored exactly once, in one transaction with the watermark).</summary>
public sealed partial class InboxStore
{
    private readonly record struct InsertOutcome(int Stored, int Duplicates, long Watermark, string? Conflict);

    private const string InsertEventSql = """
        INSERT INTO events(event_pk, device_id, seq, office_id, kind, local_at, utc_offset_min, batch_pk, received_at, envelope_json)
        VALUES (?1 + ?2, ?3, ?2, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
        """;

    /// <summary>The key range of a device's events on one office-local day (InboxSchema v3), widened by each batch.</summary>
    private const string UpsertDaySql = """
        INSERT INTO event_days(office_id, local_day, device_no, first_pk, last_pk) VALUES (?1, ?2, ?3, ?4, ?5)
        ON CONFLICT (office_id, local_day, device_no) DO UPDATE SET
            first_pk = min(first_pk, excluded.first_pk), last_pk = max(last_pk, excluded.last_pk)
        """;

    private static readonly Dictionary<Type, byte[]> KindUtf8 = EventKinds.All.ToDictionary(k => k.Key, k => Encoding.UTF8.GetBytes(k.Value));

    private async Task<InsertOutcome[]> InsertAsync(SqliteConnection db, IReadOnlyList<PreparedBatch> prepared, CancellationToken ct)
    {
        var now = Iso(_time.GetUtcNow());
        var outcomes = new InsertOutcome[prepared.Count];
        // BEGIN IMMEDIATE: the write lock is taken first, so the existence checks below and the inserts see the same
        // table even with several central processes on one file.
        await using var tx = (SqliteTransaction)await db.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct);
        for (var i = 0; i < prepared.Count; i++)
        {
            outcomes[i] = await InsertOneAsync(db, tx, prepared[i], now, ct);
        }

        await tx.CommitAsync(ct);
        return outcomes;
    }

    /// <summary>One batch inside the group's transaction. A conflict is found before anything of the batch is written,
    /// so returning it leaves the transaction as it was.</summary>
    private static async Task<InsertOutcome> InsertOneAsync(SqliteConnection db, SqliteTransaction tx, PreparedBatch prepared,
        string now, CancellationToken ct)
    {
        var batch = prepared.Batch;
        var events = batch.Events;
        var (keyBase, watermark) = await DeviceRowAsync(db, tx, batch.DeviceId, ct);
        var already = await ExistingHashesAsync(db, tx, keyBase, events[0].Sequence, events[^1].Sequence, ct);
        var fresh = new List<int>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            if (!already.TryGetValue(events[i].Sequence, out var storedHash))
            {
                fresh.Add(i);
            }
            else if (!string.Equals(storedHash, events[i].Hash, StringComparison.Ordinal))
            {
                // Same (device, sequence), different content: never overwrite what was received (issue 6).
                return new InsertOutcome(0, 0, -1,
                    $"sequence {events[i].Sequence} is already stored with hash {storedHash}, this batch has {events[i].Hash}");
            }
        }

        if (fresh.Count > 0)
        {
            var batchPk = InsertBatch(db, batch, prepared.SignedBytes, prepared.Topic is null ? "file" : "mqtt", now);
            InsertEvents(db, prepared, fresh, keyBase, batchPk, now);
        }

        watermark = await AdvanceWatermarkAsync(db, tx, batch.DeviceId, keyBase, watermark, events[0].Sequence, events[^1].Sequence,
            now, ct);
        return new InsertOutcome(fresh.Count, events.Count - fresh.Count, watermark, null);
    }

    /// <summary>The device's key base (<c>device_no &lt;&lt; SequenceBits</c>, InboxSchema) and its watermark. Its row
    /// exists: PrepareAsync found it registered, and devices are retired, never deleted.</summary>
    private static async Task<(long KeyBase, long Watermark)> DeviceRowAsync(SqliteConnection db, SqliteTransaction tx,
        string deviceId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT device_no, watermark_seq FROM devices WHERE device_id = $d";
        cmd.Parameters.AddWithValue("$d", deviceId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? (reader.GetInt64(0) << InboxSchema.SequenceBits, reader.GetInt64(1))
            : throw new InvalidOperationException($"device {deviceId} vanished from the devices table while its batch was stored");
    }

    private static void InsertEvents(SqliteConnection db, PreparedBatch prepared, List<int> fresh, long keyBase, long batchPk,
        string now)
    {
        var batch = prepared.Batch;
        using var insert = new RawStatement(db, InsertEventSql);
        insert.Bind(1, keyBase);
        insert.Bind(3, batch.DeviceId);
        insert.Bind(4, batch.OfficeId);
        insert.Bind(8, batchPk);
        insert.Bind(9, now);
        Span<byte> local = stackalloc byte[27];
        var days = new List<(DateOnly Day, long First, long Last)>(2);
        foreach (var i in fresh)
        {
            var e = batch.Events[i];
            insert.Bind(2, e.Sequence);
            // Deserialised through the same [JsonDerivedType] list, so every event's type is in it.
            insert.BindUtf8(5, KindUtf8[e.Event.GetType()]);
            LocalTextUtf8(e.Event.At.DateTime, local);
            insert.BindUtf8(6, local);
            insert.Bind(7, (long)e.Event.At.Offset.TotalMinutes);
            // Stored verbatim as received (issue 6); its "hash" field is the event's hash (no column of its own).
            insert.BindUtf8(10, prepared.Wire.Span[prepared.Slices[i]]);
            insert.Execute();
            NoteDay(days, DateOnly.FromDateTime(e.Event.At.DateTime), keyBase + e.Sequence);
        }

        using var upsert = new RawStatement(db, UpsertDaySql);
        upsert.Bind(1, batch.OfficeId);
        upsert.Bind(3, keyBase >> InboxSchema.SequenceBits);
        foreach (var (day, first, last) in days)
        {
            // local_at's first ten characters, written by the same formatter.
            LocalTextUtf8(day.ToDateTime(TimeOnly.MinValue), local);
            upsert.BindUtf8(2, local[..10]);
            upsert.Bind(4, first);
            upsert.Bind(5, last);
            upsert.Execute();
        }
    }

    /// <summary>Widens the day's key range by <paramref name="key"/>: a batch spans one or two days, rarely more.</summary>
    private static void NoteDay(List<(DateOnly Day, long First, long Last)> days, DateOnly day, long key)
    {
        for (var d = days.Count - 1; d >= 0; d--)
        {
            if (days[d].Day == day)
            {
                days[d] = (day, Math.Min(days[d].First, key), Math.Max(days[d].Last, key));
                return;
            }
        }

        days.Add((day, key, key));
    }

    /// <summary>The hashes of this device's events already stored in first..last, by sequence (a redelivery or a
    /// replay; usually none). Read from the stored envelopes, which carry them.</summary>
    private static async Task<Dictionary<long, string>> ExistingHashesAsync(SqliteConnection db, SqliteTransaction tx,
        long keyBase, long first, long last, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT seq, json_extract(envelope_json, '$.hash') FROM events WHERE event_pk BETWEEN $f AND $l";
        cmd.Parameters.AddWithValue("$f", keyBase + first);
        cmd.Parameters.AddWithValue("$l", keyBase + last);
        var found = new Dictionary<long, string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found[reader.GetInt64(0)] = reader.GetString(1);
        }

        return found;
    }

    /// <summary>The batch's row, or the one already stored with the same signature. Through <see cref="RawStatement"/>
    /// so the ~36 KB signed text goes in as the very UTF-8 bytes verified (as a .NET string it was decoded to UTF-16 and
    /// then encoded again for every batch).</summary>
    private static long InsertBatch(SqliteConnection db, EventBatch batch, byte[] signedBytes, string source, string now)
    {
        using var insert = new RawStatement(db, """
            INSERT INTO batches(device_id, batch_id, signature, signed_text, source, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT(device_id, signature) DO UPDATE SET batch_id = batches.batch_id
            RETURNING batch_pk
            """);
        insert.Bind(1, batch.DeviceId);
        insert.Bind(2, batch.BatchId);
        insert.Bind(3, batch.Signature);
        // The very bytes the signature was verified over (PrepareAsync), kept so any event can be re-verified later.
        insert.BindUtf8(4, signedBytes);
        insert.Bind(5, source);
        insert.Bind(6, now);
        return insert.ReadOne();
    }

    /// <summary>Moves the device's watermark over every contiguous sequence now stored; a hole stops it, so the ack
    /// names only the contiguous prefix and the device resends the hole (issue 5, "Centre side").</summary>
    /// <remarks>Every sequence <paramref name="first"/>..<paramref name="last"/> is stored once this batch is (new or
    /// already there with the same hash), so a watermark that reaches the batch jumps to its end; only what lies beyond
    /// is walked row by row (a hole filled late). Walking the batch's own rows was most of this step.</remarks>
    private static async Task<long> AdvanceWatermarkAsync(SqliteConnection db, SqliteTransaction tx, string deviceId,
        long keyBase, long start, long first, long last, string now, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.Parameters.AddWithValue("$d", deviceId);
        var watermark = start >= first - 1 ? Math.Max(start, last) : start;
        string? lastLocal = null;
        // Only the keys are walked (the device's events are one key range in sequence order); the time of the new
        // watermark's event is read once afterwards rather than formatted for every row.
        cmd.CommandText = "SELECT seq FROM events WHERE event_pk > $b + $w AND event_pk <= $b + $m ORDER BY event_pk";
        cmd.Parameters.AddWithValue("$b", keyBase);
        cmd.Parameters.AddWithValue("$m", InboxSchema.MaxSequence);
        cmd.Parameters.AddWithValue("$w", watermark);
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (reader.Read() && reader.GetInt64(0) == watermark + 1)
            {
                watermark++;
            }
        }

        if (watermark > start)
        {
            cmd.CommandText = "SELECT local_at, utc_offset_min FROM events WHERE event_pk = $b + $w";
            cmd.Parameters["$w"].Value = watermark;
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
            {
                lastLocal = reader.GetString(0) + OffsetText(reader.GetInt32(1));
            }
        }

        cmd.CommandText = watermark > start
            ? "UPDATE devices SET watermark_seq = $w, watermark_event_at = $a, last_seen_at = $n WHERE device_id = $d"
            : "UPDATE devices SET last_seen_at = $n WHERE device_id = $d";
        cmd.Parameters["$w"].Value = watermark;
        cmd.Parameters.AddWithValue("$a", (object?)lastLocal ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$n", now);
        await cmd.ExecuteNonQueryAsync(ct);
        return watermark;
    }
}

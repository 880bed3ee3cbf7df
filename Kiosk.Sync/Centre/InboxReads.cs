using System.Globalization;
using System.Text.Json;
using Kiosk.Core.Events;
using Kiosk.Sync.Contract;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kiosk.Sync.Centre;

/// <summary>An event as stored at the centre, raw envelope included (never edited; issue 6).</summary>
public sealed record StoredEvent(string OfficeId, string DeviceId, long Sequence, string Kind, JournalEnvelope Envelope,
    string EnvelopeJson, DateTimeOffset ReceivedAt);

/// <summary>A registered device with its watermark and last reported status. CompleteUpTo is the office-local time
/// up to which the centre holds everything this device recorded (decision 4), null when nothing is known.</summary>
public sealed record DeviceRecord(
    string OfficeId,
    string DeviceId,
    string PublicKeyPem,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? RetiredAt,
    DateTimeOffset? LastSeenAt,
    long WatermarkSequence,
    DateTimeOffset? WatermarkEventAt,
    bool? Online,
    DateTimeOffset? StatusAt,
    DateTimeOffset? ReportedCompleteUpTo,
    long? ReportedCompleteUpToSequence,
    long? QueueDepth,
    DateTimeOffset? OldestUnacknowledgedAt,
    string? ClockState,
    string? SoftwareVersion,
    string? ConfigVersion,
    long? FreeDiskBytes)
{
    public DateTimeOffset? CompleteUpTo =>
        ReportedCompleteUpToSequence is { } seq && WatermarkSequence >= seq ? ReportedCompleteUpTo : WatermarkEventAt;
}

/// <summary>A rejected message as recorded for the audit.</summary>
public sealed record Rejection(long Id, DateTimeOffset ReceivedAt, string? Topic, string? OfficeId, string? DeviceId,
    string? BatchId, string Reason, string Detail);

public sealed partial class InboxStore
{
    /// <summary>Events whose office-local time is in [fromLocal, toLocal), for one office or all, ordered by local
    /// time then device and sequence. Local times are compared as wall-clock times (decision 5).</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(string? officeId, DateTime fromLocal, DateTime toLocal,
        CancellationToken ct)
    {
        await using var db = await InboxSchema.OpenAsync(_databasePath, ct);
        await using var cmd = db.CreateCommand();
        // Through event_days (InboxSchema v3): the days asked for, and for each the key range of each device's events
        // on it; an event counts only under its own day, so ranges that overlap (a clock set back) never give it twice.
        // The CROSS JOIN keeps event_days as the outer loop. No ORDER BY: SQLite's sorter copies every whole row
        // (envelope included) into a temporary b-tree, which cost more than reading them (measured 4.8 vs 1.8 µs per
        // event); the rows are sorted below on the same keys with the same (binary, ASCII) order instead.
        cmd.CommandText = $"""
            SELECT e.office_id, e.device_id, e.seq, e.kind, e.envelope_json, e.received_at, e.local_at
            FROM event_days d CROSS JOIN events e
            WHERE {(officeId is null ? string.Empty : "d.office_id = $o AND ")}d.local_day >= $fd AND d.local_day <= $td
              AND e.event_pk BETWEEN d.first_pk AND d.last_pk AND substr(e.local_at, 1, 10) = d.local_day
              AND e.local_at >= $f AND e.local_at < $t
            """;
        if (officeId is not null)
        {
            cmd.Parameters.AddWithValue("$o", officeId);
        }

        cmd.Parameters.AddWithValue("$f", LocalText(fromLocal));
        cmd.Parameters.AddWithValue("$t", LocalText(toLocal));
        cmd.Parameters.AddWithValue("$fd", LocalText(fromLocal)[..10]);
        cmd.Parameters.AddWithValue("$td", LocalText(toLocal)[..10]);
        var localTimes = new List<string>();
        var events = await ReadStoredEventsAsync(cmd, localTimes, ct);
        var order = new int[events.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // ORDER BY local_at, device_id, seq — all ASCII text, so ordinal order is SQLite's BINARY collation.
        Array.Sort(order, (a, b) =>
        {
            var c = string.CompareOrdinal(localTimes[a], localTimes[b]);
            if (c == 0)
            {
                c = string.CompareOrdinal(events[a].DeviceId, events[b].DeviceId);
            }

            return c != 0 ? c : events[a].Sequence.CompareTo(events[b].Sequence);
        });
        var sorted = new StoredEvent[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            sorted[i] = events[order[i]];
        }

        return sorted;
    }

    /// <summary>One device's events with sequence &gt; afterSequence, in order (for audits and recomputation).</summary>
    public async Task<IReadOnlyList<StoredEvent>> ReadDeviceEventsAsync(string deviceId, long afterSequence, int max,
        CancellationToken ct)
    {
        await using var db = await InboxSchema.OpenAsync(_databasePath, ct);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = DeviceKeyRange + """
            SELECT office_id, device_id, seq, kind, envelope_json, received_at FROM device CROSS JOIN events
            WHERE event_pk > device.base + $a AND event_pk <= device.base + $max
            ORDER BY event_pk LIMIT $m
            """;
        AddDeviceKeyRange(cmd, deviceId);
        cmd.Parameters.AddWithValue("$a", afterSequence);
        cmd.Parameters.AddWithValue("$m", max);
        return await ReadStoredEventsAsync(cmd, ct);
    }

    public async Task<long> CountEventsAsync(string? deviceId, CancellationToken ct)
    {
        await using var db = await InboxSchema.OpenAsync(_databasePath, ct);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = deviceId is null
            ? "SELECT COUNT(*) FROM events"
            : DeviceKeyRange + """
              SELECT COUNT(*) FROM device CROSS JOIN events WHERE event_pk > device.base AND event_pk <= device.base + $max
              """;
        if (deviceId is not null)
        {
            AddDeviceKeyRange(cmd, deviceId);
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>A device's events are the keys (device_no &lt;&lt; SequenceBits) + 1 .. + MaxSequence (InboxSchema):
    /// this names the base as <c>device.base</c>, and a query over it reads one key range, in sequence order.</summary>
    private const string DeviceKeyRange = "WITH device(base) AS (SELECT device_no << $bits FROM devices WHERE device_id = $d) ";

    private static void AddDeviceKeyRange(SqliteCommand cmd, string deviceId)
    {
        cmd.Parameters.AddWithValue("$d", deviceId);
        cmd.Parameters.AddWithValue("$bits", InboxSchema.SequenceBits);
        cmd.Parameters.AddWithValue("$max", InboxSchema.MaxSequence);
    }

    /// <summary>Every registered device (optionally of one office) with its watermark and last status.</summary>
    public async Task<IReadOnlyList<DeviceRecord>> GetDevicesAsync(string? officeId, CancellationToken ct)
    {
        await using var db = await InboxSchema.OpenAsync(_databasePath, ct);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT office_id, device_id, public_key_pem, registered_at, retired_at, last_seen_at, watermark_seq,
                   watermark_event_at, status_online, status_at, complete_up_to, complete_up_to_seq, queue_depth,
                   oldest_unacked_at, clock_state, software_version, config_version, free_disk_bytes
            FROM devices WHERE $o IS NULL OR office_id = $o ORDER BY office_id, device_id
            """;
        cmd.Parameters.AddWithValue("$o", (object?)officeId ?? DBNull.Value);
        var list = new List<DeviceRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new DeviceRecord(r.GetString(0), r.GetString(1), r.GetString(2), ParseTime(r.GetString(3)),
                OptTime(r, 4), OptTime(r, 5), r.GetInt64(6), OptTime(r, 7), r.IsDBNull(8) ? null : r.GetBoolean(8),
                OptTime(r, 9), OptTime(r, 10), OptLong(r, 11), OptLong(r, 12), OptTime(r, 13), OptText(r, 14),
                OptText(r, 15), OptText(r, 16), OptLong(r, 17)));
        }

        return list;
    }

    public async Task<IReadOnlyList<Rejection>> ReadRejectionsAsync(int max, CancellationToken ct)
    {
        await using var db = await InboxSchema.OpenAsync(_databasePath, ct);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT id, received_at, topic, office_id, device_id, batch_id, reason, detail
            FROM rejections ORDER BY id DESC LIMIT $m
            """;
        cmd.Parameters.AddWithValue("$m", max);
        var list = new List<Rejection>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new Rejection(r.GetInt64(0), ParseTime(r.GetString(1)), OptText(r, 2), OptText(r, 3), OptText(r, 4),
                OptText(r, 5), r.GetString(6), r.GetString(7)));
        }

        return list;
    }

    /// <summary>Records a device's status message (retained, or its last will). Status is not signed: the broker
    /// ACL lets only that device write its status topic, and nothing is scored from it; the topic must match the
    /// message and the device must be registered, otherwise it is rejected like a bad batch.</summary>
    public async Task<bool> StoreStatusAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        DeviceStatus status;
        try
        {
            status = SyncJson.Deserialize<DeviceStatus>(payload.Span);
        }
        catch (JsonException ex)
        {
            Topics.TryParseDeviceTopic(topic, out var o, out var d, out _);
            await RejectAsync(topic, o, d, null, RejectReasons.Malformed, "status: " + ex.Message, payload, ct);
            return false;
        }

        if (!Topics.TryParseDeviceTopic(topic, out var office, out var device, out _)
            || office != status.OfficeId || device != status.DeviceId)
        {
            await RejectAsync(topic, status.OfficeId, status.DeviceId, null, RejectReasons.WrongTopic,
                $"status of {status.OfficeId}/{status.DeviceId} arrived on {topic}", payload, ct);
            return false;
        }

        await using var db = await InboxSchema.OpenAsync(_databasePath, ct);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            UPDATE devices SET status_online = $on, status_at = $at, complete_up_to = $cut, complete_up_to_seq = $cus,
                queue_depth = $q, oldest_unacked_at = $old, clock_state = $clk, software_version = $sv,
                config_version = $cv, free_disk_bytes = $disk, last_seen_at = CASE WHEN $on THEN $now ELSE last_seen_at END
            WHERE device_id = $d AND office_id = $o AND (status_at IS NULL OR status_at <= $at)
            """;
        cmd.Parameters.AddWithValue("$on", status.Online);
        cmd.Parameters.AddWithValue("$at", Iso(status.At));
        cmd.Parameters.AddWithValue("$cut", Iso(status.CompleteUpTo));
        cmd.Parameters.AddWithValue("$cus", status.CompleteUpToSequence);
        cmd.Parameters.AddWithValue("$q", status.QueueDepth);
        cmd.Parameters.AddWithValue("$old", status.OldestUnacknowledgedAt is { } t ? Iso(t) : DBNull.Value);
        cmd.Parameters.AddWithValue("$clk", status.Clock.ToString());
        cmd.Parameters.AddWithValue("$sv", status.SoftwareVersion);
        cmd.Parameters.AddWithValue("$cv", (object?)status.ConfigVersion ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$disk", (object?)status.FreeDiskBytes ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$now", Iso(_time.GetUtcNow()));
        cmd.Parameters.AddWithValue("$d", status.DeviceId);
        cmd.Parameters.AddWithValue("$o", status.OfficeId);
        var updated = await cmd.ExecuteNonQueryAsync(ct) == 1;
        if (!updated && !status.Online)
        {
            // The last will was composed at connect time, so it is older than the live statuses that followed;
            // it still means "gone offline now" (docs/protocol.md, "DeviceStatus").
            cmd.CommandText = "UPDATE devices SET status_online = 0 WHERE device_id = $d AND office_id = $o";
            updated = await cmd.ExecuteNonQueryAsync(ct) == 1;
        }

        if (!updated)
        {
            _log.LogInformation("Status of {Office}/{Device} ignored: unknown device or older than the last one",
                status.OfficeId, status.DeviceId);
        }

        return updated;
    }

    private static Task<List<StoredEvent>> ReadStoredEventsAsync(SqliteCommand cmd, CancellationToken ct) =>
        ReadStoredEventsAsync(cmd, null, ct);

    /// <summary>Reads rows of (office_id, device_id, seq, kind, envelope_json, received_at[, local_at]); when
    /// <paramref name="localTimes"/> is given, column 6 is collected into it, row for row.</summary>
    private static async Task<List<StoredEvent>> ReadStoredEventsAsync(SqliteCommand cmd, List<string>? localTimes,
        CancellationToken ct)
    {
        var list = new List<StoredEvent>();
        // A batch's events share office, device, kind names and received_at: reuse the previous row's instances
        // instead of allocating and parsing them again for each of a month's events.
        string office = string.Empty, device = string.Empty, receivedText = string.Empty;
        var kinds = new Dictionary<string, string>(StringComparer.Ordinal);
        var received = DateTimeOffset.MinValue;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (r.Read()) // Microsoft.Data.Sqlite reads synchronously underneath: ReadAsync per row only adds overhead
        {
            office = Reuse(r, 0, office);
            device = Reuse(r, 1, device);
            var kind = r.GetString(3);
            if (!kinds.TryGetValue(kind, out var knownKind))
            {
                kinds[kind] = knownKind = kind;
            }

            var json = r.GetString(4);
            var envelope = SyncJson.Deserialize<JournalEnvelope>(json);
            var receivedNow = r.GetString(5);
            if (!string.Equals(receivedNow, receivedText, StringComparison.Ordinal))
            {
                (receivedText, received) = (receivedNow, ParseTime(receivedNow));
            }

            list.Add(new StoredEvent(office, device, r.GetInt64(2), knownKind, envelope, json, received));
            localTimes?.Add(r.GetString(6));
            ct.ThrowIfCancellationRequested();
        }

        return list;
    }

    private static string Reuse(SqliteDataReader r, int i, string previous)
    {
        var value = r.GetString(i);
        return string.Equals(value, previous, StringComparison.Ordinal) ? previous : value;
    }

    private static DateTimeOffset ParseTime(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static DateTimeOffset? OptTime(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : ParseTime(r.GetString(i));

    private static long? OptLong(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static string? OptText(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Kiosk.Core.Events;
using Kiosk.Sync.Contract;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Sync.Centre;

/// <summary>The centre's inbox over the central SQLite store. Stores each (device, sequence) exactly once, in ONE
/// transaction with the device's contiguous watermark (decision 3), and rejects — recording and logging why — what
/// is malformed, unsigned, forged, conflicting or on the wrong topic, without ever stopping. The same
/// <see cref="StoreRawAsync"/> serves MQTT and the USB journal import ("sneakernet", issue 6).</summary>
public sealed partial class InboxStore
{
    /// <summary>Largest batch accepted (protects the centre from one huge message; the pump sends far fewer).</summary>
    public const int MaxBatchEvents = 5000;

    private readonly string _databasePath;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly DeviceKeys _keys = new();

    public InboxStore(string databasePath, TimeProvider time, ILogger? log = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(databasePath);
        _databasePath = databasePath;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _log = log ?? NullLogger.Instance;
    }

    public string DatabasePath => _databasePath;

    /// <summary>Creates the inbox tables when missing (same as <see cref="InboxSchema.MigrateAsync(string, CancellationToken)"/>).</summary>
    public Task MigrateAsync(CancellationToken ct) => InboxSchema.MigrateAsync(_databasePath, ct);

    /// <summary>Enrols a device: its office and public key (SubjectPublicKeyInfo PEM, P-256). Re-registering the same
    /// device with the same office replaces the key (a replaced SD card); moving it to another office is refused
    /// (retire it and register a new id, so the history stays with the office it belongs to).</summary>
    public async Task RegisterDeviceAsync(string officeId, string deviceId, string publicKeyPem, CancellationToken ct)
    {
        Topics.ValidateId(officeId, nameof(officeId));
        Topics.ValidateId(deviceId, nameof(deviceId));
        using (BatchSignature.ImportPublicKey(publicKeyPem))
        {
        }

        await using var db = await InboxSchema.OpenAsync(_databasePath, ct);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            INSERT INTO devices(device_id, office_id, public_key_pem, registered_at, device_no)
            VALUES ($d, $o, $k, $t, (SELECT COALESCE(MAX(device_no), 0) + 1 FROM devices))
            ON CONFLICT(device_id) DO UPDATE SET public_key_pem = excluded.public_key_pem, retired_at = NULL
            WHERE devices.office_id = excluded.office_id
            """;
        cmd.Parameters.AddWithValue("$d", deviceId);
        cmd.Parameters.AddWithValue("$o", officeId);
        cmd.Parameters.AddWithValue("$k", publicKeyPem);
        cmd.Parameters.AddWithValue("$t", Iso(_time.GetUtcNow()));
        if (await cmd.ExecuteNonQueryAsync(ct) == 0)
        {
            throw new InvalidOperationException(
                $"device {deviceId} is registered to another office; retire it and register a new device id for {officeId}");
        }
    }

    /// <summary>Retires a device: its later batches are rejected; everything it sent stays.</summary>
    public async Task RetireDeviceAsync(string deviceId, CancellationToken ct)
    {
        await using var db = await InboxSchema.OpenAsync(_databasePath, ct);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "UPDATE devices SET retired_at = $t WHERE device_id = $d AND retired_at IS NULL";
        cmd.Parameters.AddWithValue("$d", deviceId);
        cmd.Parameters.AddWithValue("$t", Iso(_time.GetUtcNow()));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Parses and stores a raw message from an events topic, or with <paramref name="topic"/> null one line of a
    /// journal file imported from USB (then only the signature vouches for the origin); malformed JSON is rejected and
    /// recorded.</summary>
    public async Task<StoreResult> StoreRawAsync(string? topic, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var prepared = await PrepareRawAsync(topic, payload, ct);
        return prepared.Rejected ?? await CommitAsync(prepared.Ready!, ct);
    }

    /// <summary>Verifies and stores a batch held as an object: it is serialised with the wire contract (the text the
    /// device would have sent) and takes the same path as a received message. <paramref name="topic"/> is the MQTT
    /// topic it arrived on, or null when there is none (then only the signature vouches for the origin).</summary>
    public Task<StoreResult> StoreBatchAsync(EventBatch batch, string? topic, CancellationToken ct) =>
        StoreRawAsync(topic, SyncJson.Serialize(batch), ct);

    /// <summary>A batch that passed every check except the conflict check, which needs the write transaction.</summary>
    /// <remarks><paramref name="Wire"/> is the message as received and <paramref name="Slices"/> where each envelope lies
    /// in it (stored verbatim, issue 6). <paramref name="SignedBytes"/> are the canonical bytes the signature was
    /// verified over, stored as the batch's signed_text (built once per batch).</remarks>
    internal sealed record PreparedBatch(EventBatch Batch, string? Topic, ReadOnlyMemory<byte> Wire, Range[] Slices, byte[] SignedBytes);

    internal readonly record struct Preparation(PreparedBatch? Ready, StoreResult? Rejected);

    /// <summary>The CPU-heavy half (parse, hashes, signature), safe to run for several messages at once, while
    /// <see cref="CommitAsync"/> writes one at a time (CentreInbox pipelines the two).</summary>
    internal async Task<Preparation> PrepareRawAsync(string? topic, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        EventBatch batch;
        Range[] slices;
        // The canonical texts BatchReader writes on its fast path, checked against the hashes below and then dropped.
        var canonical = ArrayPool<byte>.Shared.Rent(payload.Length);
        try
        {
            Range[]? canonicalTexts;
            try
            {
                (batch, slices) = BatchReader.Read(payload.Span, canonical, out canonicalTexts);
            }
            catch (JsonException ex)
            {
                string? office = null, device = null;
                if (topic is not null && Topics.TryParseDeviceTopic(topic, out var tOffice, out var tDevice, out _))
                {
                    (office, device) = (tOffice, tDevice);
                }

                return new(null, await RejectAsync(topic, office, device, null, RejectReasons.Malformed, ex.Message, payload, ct));
            }

            return await PrepareAsync(batch, topic, payload, slices, canonicalTexts is null ? null : new CanonicalTexts(canonical, canonicalTexts), ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(canonical);
        }
    }

    /// <param name="slices">Where each envelope lies in <paramref name="raw"/> (BatchReader).</param>
    /// <param name="canonical">The canonical texts BatchReader wrote, if it did (BatchChecks).</param>
    private async Task<Preparation> PrepareAsync(EventBatch batch, string? topic, ReadOnlyMemory<byte> raw, Range[] slices,
        CanonicalTexts? canonical, CancellationToken ct)
    {
        async Task<Preparation> Reject(string reason, string detail) =>
            new(null, await RejectAsync(topic, batch.OfficeId, batch.DeviceId, batch.BatchId, reason, detail, raw, ct));

        if (batch.SchemaVersion != EventBatch.CurrentVersion)
        {
            return await Reject(RejectReasons.UnsupportedVersion, $"schema version {batch.SchemaVersion}, expected {EventBatch.CurrentVersion}");
        }

        if (topic is not null && (!Topics.TryParseDeviceTopic(topic, out var tOffice, out var tDevice, out var kind)
            || kind != "events" || tOffice != batch.OfficeId || tDevice != batch.DeviceId))
        {
            return await Reject(RejectReasons.WrongTopic, $"batch of {batch.OfficeId}/{batch.DeviceId} arrived on {topic}");
        }

        DeviceKey? device;
        await using (var db = await InboxSchema.OpenAsync(_databasePath, ct))
        {
            device = await ReadDeviceKeyAsync(db, batch.DeviceId, ct);
        }

        if (device is null)
        {
            return await Reject(RejectReasons.UnknownDevice, $"device {batch.DeviceId} is not registered");
        }

        if (device.Value.Retired)
        {
            return await Reject(RejectReasons.RetiredDevice, $"device {batch.DeviceId} is retired");
        }

        if (device.Value.OfficeId != batch.OfficeId)
        {
            return await Reject(RejectReasons.OfficeMismatch, $"device {batch.DeviceId} belongs to {device.Value.OfficeId}, not {batch.OfficeId}");
        }

        if (BatchChecks.Check(batch, raw, slices, canonical) is { } envelopeProblem)
        {
            return await Reject(envelopeProblem.Reason, envelopeProblem.Detail);
        }

        if (string.IsNullOrEmpty(batch.Signature))
        {
            return await Reject(RejectReasons.Unsigned, "the batch carries no signature");
        }

        var signed = BatchSignature.CanonicalBytes(batch.OfficeId, batch.DeviceId, batch.BatchId, batch.Events);
        if (!_keys.Verify(device.Value.PublicKeyPem, batch.Signature, signed))
        {
            return await Reject(RejectReasons.BadSignature, "the signature does not verify with the registered key");
        }

        return new(new PreparedBatch(batch, topic, raw, slices, signed), null);
    }

    /// <summary>Stores a prepared batch in one transaction with the watermark (see <see cref="PrepareRawAsync"/>).</summary>
    internal async Task<StoreResult> CommitAsync(PreparedBatch prepared, CancellationToken ct) =>
        (await CommitAsync([prepared], ct))[0];

    /// <summary>Stores prepared batches in ONE transaction (group commit: one fsync for all of them), each with its
    /// device's watermark as it stands after that batch; results in the same order. A batch that conflicts is left out
    /// (nothing of it is written: the check comes before its inserts) and rejected once the others are committed.
    /// If the transaction fails, none is stored and the exception says why: each device resends after its ack
    /// timeout, as for a single batch.</summary>
    internal async Task<IReadOnlyList<StoreResult>> CommitAsync(IReadOnlyList<PreparedBatch> prepared, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        InsertOutcome[] outcomes;
        await using (var db = await InboxSchema.OpenInboxWriterAsync(_databasePath, ct))
        {
            outcomes = await InsertAsync(db, prepared, ct);
        }

        var results = new StoreResult[prepared.Count];
        for (var i = 0; i < prepared.Count; i++)
        {
            var batch = prepared[i].Batch;
            var outcome = outcomes[i];
            if (outcome.Conflict is { } conflict)
            {
                // After the commit: recording the rejection needs the write lock the transaction held.
                results[i] = await RejectAsync(prepared[i].Topic, batch.OfficeId, batch.DeviceId, batch.BatchId, RejectReasons.Conflict,
                    conflict, prepared[i].Wire, ct);
                continue;
            }

            if (outcome.Stored == 0)
            {
                _log.LogInformation("Batch {BatchId} from {Device}: {Duplicates} events already stored (redelivery or replay); ack {Ack}",
                    batch.BatchId, batch.DeviceId, outcome.Duplicates, outcome.Watermark);
            }

            results[i] = new StoreResult(outcome.Stored > 0 ? StoreOutcome.Stored : StoreOutcome.Duplicate, batch.OfficeId,
                batch.DeviceId, outcome.Stored, outcome.Duplicates, outcome.Watermark, null, BatchId: batch.BatchId);
        }

        return results;
    }

    private async Task<StoreResult> RejectAsync(string? topic, string? officeId, string? deviceId, string? batchId,
        string reason, string detail, ReadOnlyMemory<byte> raw, CancellationToken ct)
    {
        _log.LogWarning("Rejected batch {BatchId} from {Office}/{Device} on {Topic}: {Reason}: {Detail}",
            batchId, officeId, deviceId, topic, reason, detail);
        long ack = -1;
        try
        {
            await using var db = await InboxSchema.OpenAsync(_databasePath, ct);
            await using var cmd = db.CreateCommand();
            cmd.CommandText = """
                INSERT INTO rejections(received_at, topic, office_id, device_id, batch_id, reason, detail, payload)
                VALUES ($r, $t, $o, $d, $b, $reason, $detail, $p)
                """;
            cmd.Parameters.AddWithValue("$r", Iso(_time.GetUtcNow()));
            cmd.Parameters.AddWithValue("$t", (object?)topic ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$o", (object?)NullIfEmpty(officeId) ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$d", (object?)NullIfEmpty(deviceId) ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$b", (object?)batchId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$reason", reason);
            cmd.Parameters.AddWithValue("$detail", detail);
            // Keep the evidence, bounded: a forged or malformed message is kept for the audit up to 64 KiB.
            cmd.Parameters.AddWithValue("$p", raw.IsEmpty ? DBNull.Value : raw[..Math.Min(raw.Length, 65536)].ToArray());
            await cmd.ExecuteNonQueryAsync(ct);
            if (NullIfEmpty(deviceId) is { } d && await ReadDeviceKeyAsync(db, d, ct) is { } known)
            {
                ack = known.Watermark;
            }
        }
        catch (SqliteException ex)
        {
            _log.LogError(ex, "Could not record the rejection of batch {BatchId} from {Device}", batchId, deviceId);
        }

        return new StoreResult(StoreOutcome.Rejected, officeId, deviceId, 0, 0, ack, reason, detail, batchId);
    }

    private readonly record struct DeviceKey(string OfficeId, string PublicKeyPem, bool Retired, long Watermark);

    private static async Task<DeviceKey?> ReadDeviceKeyAsync(SqliteConnection db, string deviceId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT office_id, public_key_pem, retired_at IS NOT NULL, watermark_seq FROM devices WHERE device_id = $d";
        cmd.Parameters.AddWithValue("$d", deviceId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new DeviceKey(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetInt64(3))
            : null;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    internal static string Iso(DateTimeOffset t) => t.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Office-local wall time without offset, sortable as text (decision 5: never bucket by UTC).</summary>
    internal static string LocalText(DateTime t)
    {
        Span<byte> bytes = stackalloc byte[27];
        LocalTextUtf8(t, bytes);
        return Encoding.ASCII.GetString(bytes);
    }

    /// <summary>yyyy-MM-ddTHH:mm:ss.fffffff written digit by digit as UTF-8 (one per stored event, bound as is: the
    /// general-purpose custom-format parser is avoided); identical text to that format string (WireHashTests).</summary>
    internal static void LocalTextUtf8(DateTime t, Span<byte> into27)
    {
        static void Digits(Span<byte> into, int value)
        {
            for (var i = into.Length - 1; i >= 0; i--)
            {
                into[i] = (byte)('0' + (value % 10));
                value /= 10;
            }
        }

        Digits(into27[..4], t.Year);
        into27[4] = (byte)'-';
        Digits(into27[5..7], t.Month);
        into27[7] = (byte)'-';
        Digits(into27[8..10], t.Day);
        into27[10] = (byte)'T';
        Digits(into27[11..13], t.Hour);
        into27[13] = (byte)':';
        Digits(into27[14..16], t.Minute);
        into27[16] = (byte)':';
        Digits(into27[17..19], t.Second);
        into27[19] = (byte)'.';
        Digits(into27[20..27], (int)(t.Ticks % TimeSpan.TicksPerSecond));
    }

    private static string OffsetText(int minutes) =>
        (minutes < 0 ? "-" : "+") + TimeSpan.FromMinutes(Math.Abs(minutes)).ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}

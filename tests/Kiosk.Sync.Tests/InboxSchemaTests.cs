using Kiosk.Core.Events;
using Kiosk.Sync.Centre;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Testing;
using Microsoft.Data.Sqlite;

namespace Kiosk.Sync.Tests;

/// <summary>The central store's upgrades, on real SQLite files written the way the older versions wrote them: from sync
/// schema 1 (events with a hash column and a unique (device, sequence) index) to 2 (the event's key is the (device,
/// sequence) pair), and from 2 (an (office, local time) index) to 3 (each device's key range per office-local day).</summary>
public sealed class InboxSchemaTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 7, 55, 0, TimeSpan.FromHours(8));
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>What a version-1 store held after the same batches: the events table rebuilt by version 1's own DDL
    /// (InboxSchema.V1: the hash beside the envelope, a row id counted from 1, the unique index) and the devices
    /// without a number.</summary>
    private const string DowngradeToV1 = """
        DROP INDEX devices_no;
        ALTER TABLE devices DROP COLUMN device_no;
        DROP TABLE event_days;
        ALTER TABLE events RENAME TO events_v2;
        """ + InboxSchema.V1 + """
        INSERT INTO events(device_id, seq, office_id, kind, local_at, utc_offset_min, hash, envelope_json, batch_pk, received_at)
            SELECT device_id, seq, office_id, kind, local_at, utc_offset_min, json_extract(envelope_json, '$.hash'),
                   envelope_json, batch_pk, received_at
            FROM events_v2 ORDER BY batch_pk, seq;
        DROP TABLE events_v2;
        DELETE FROM sync_schema;
        INSERT INTO sync_schema(version) VALUES (1);
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("kiosk-inbox-schema-").FullName;
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));
    private readonly DeviceIdentity _d1 = DeviceIdentity.CreateEphemeral("o1", "d1");
    private readonly DeviceIdentity _d2 = DeviceIdentity.CreateEphemeral("o1", "d2");
    private InboxStore _store = null!;
    private SqliteJournal _journal1 = null!;
    private SqliteJournal _journal2 = null!;

    public async Task InitializeAsync()
    {
        _store = new InboxStore(Path.Combine(_dir, "central.db"), _time);
        await _store.MigrateAsync(None);
        // Registered in the opposite order of their names: the upgrade numbers devices by name, not by registration.
        await _store.RegisterDeviceAsync("o1", "d2", _d2.PublicKeyPem, None);
        await _store.RegisterDeviceAsync("o1", "d1", _d1.PublicKeyPem, None);
        _journal1 = new SqliteJournal(Path.Combine(_dir, "d1.db"), "o1", "d1");
        _journal2 = new SqliteJournal(Path.Combine(_dir, "d2.db"), "o1", "d2");
    }

    public Task DisposeAsync()
    {
        _d1.Dispose();
        _d2.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_version_1_store_is_upgraded_with_every_event_keyed_by_its_device_and_sequence_and_goes_on_deduplicating()
    {
        var d1Rows = _journal1.Append(6, Morning);
        var d2Rows = _journal2.Append(4, Morning);
        await StoreAsync(_d1, [.. d1Rows.Take(3)]);
        await StoreAsync(_d2, d2Rows);
        await StoreAsync(_d1, [.. d1Rows.Skip(3)]);
        var before = await _store.ReadEventsAsync("o1", Morning.DateTime.Date, Morning.DateTime.Date.AddDays(1), None);
        await CentralSql.RunAsync(_store.DatabasePath, DowngradeToV1);

        await _store.MigrateAsync(None);

        await using (var db = await CentralSql.OpenAsync(_store.DatabasePath))
        {
            Assert.Equal((long)InboxSchema.Version, await ScalarAsync(db, "SELECT MAX(version) FROM sync_schema"));
            Assert.Equal(0L, await ScalarAsync(db, "SELECT COUNT(*) FROM pragma_table_info('events') WHERE name = 'hash'"));
            Assert.Equal(0L, await ScalarAsync(db, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'events_office_local'"));
            Assert.Equal([(1L, "d1"), (2L, "d2")], await DeviceNumbersAsync(db));
            Assert.Equal(0L, await ScalarAsync(db,
                $"SELECT COUNT(*) FROM events e JOIN devices d USING (device_id) WHERE e.event_pk <> (d.device_no << {InboxSchema.SequenceBits}) + e.seq"));
        }

        var after = await _store.ReadEventsAsync("o1", Morning.DateTime.Date, Morning.DateTime.Date.AddDays(1), None);
        Assert.Equal(before.Select(e => (e.DeviceId, e.Sequence, e.EnvelopeJson, e.ReceivedAt)),
            after.Select(e => (e.DeviceId, e.Sequence, e.EnvelopeJson, e.ReceivedAt)));
        Assert.Equal((6L, 4L), (await _store.CountEventsAsync("d1", None), await _store.CountEventsAsync("d2", None)));
        Assert.Equal([4L, 5L, 6L], (await _store.ReadDeviceEventsAsync("d1", 3, 10, None)).Select(e => e.Sequence));

        var resent = await StoreAsync(_d1, d1Rows, "resent after the upgrade");
        var next = await StoreAsync(_d1, _journal1.Append(2, Morning.AddHours(5)), "next");
        // Another journal of d2 (a replaced SD card): its sequence 1 is a different event with a valid hash.
        var otherD2 = new SqliteJournal(Path.Combine(_dir, "d2-replaced.db"), "o1", "d2").Append(1, Morning.AddMinutes(1));
        var conflict = await StoreAsync(_d2, otherD2, "conflict");
        Assert.Equal((StoreOutcome.Duplicate, 6, 6L), (resent.Outcome, resent.Duplicates, resent.AckSequence));
        Assert.Equal((StoreOutcome.Stored, 2, 8L), (next.Outcome, next.Stored, next.AckSequence));
        Assert.Equal((StoreOutcome.Rejected, RejectReasons.Conflict), (conflict.Outcome, conflict.RejectReason));
        Assert.Equal(12, await _store.CountEventsAsync(null, None));
    }

    [Fact]
    public async Task A_version_2_store_gets_each_devices_key_range_per_day_and_reads_the_same_events_without_its_index()
    {
        await StoreAsync(_d1, _journal1.Append(5, Morning));
        await StoreAsync(_d2, _journal2.Append(3, Morning.AddDays(1)));
        await StoreAsync(_d1, _journal1.Append(4, Morning.AddDays(1)));
        var before = await ReadDaysAsync(Morning.DateTime.Date, 2);
        // What a version-2 store held after the same batches: the index, and no day ranges.
        await CentralSql.RunAsync(_store.DatabasePath, """
            DROP TABLE event_days;
            CREATE INDEX events_office_local ON events(office_id, local_at);
            DELETE FROM sync_schema;
            INSERT INTO sync_schema(version) VALUES (2);
            """);

        await _store.MigrateAsync(None);
        await _store.MigrateAsync(None); // a second start changes nothing: the index does not come back

        await using (var db = await CentralSql.OpenAsync(_store.DatabasePath))
        {
            Assert.Equal((long)InboxSchema.Version, await ScalarAsync(db, "SELECT MAX(version) FROM sync_schema"));
            Assert.Equal(0L, await ScalarAsync(db, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'events_office_local'"));
            // d2 was registered first (number 1), d1 second (number 2).
            Assert.Equal(["o1 2026-03-02 2: 1..5", "o1 2026-03-03 1: 1..3", "o1 2026-03-03 2: 6..9"], await DayRangesAsync(db));
        }

        Assert.Equal(before, await ReadDaysAsync(Morning.DateTime.Date, 2));
        Assert.Equal([5, 7], before.Select(d => d.Count));
    }

    [Fact]
    public async Task Events_of_a_kiosk_whose_clock_went_back_a_day_and_forward_again_are_each_read_under_their_own_day_once()
    {
        // d1's clock runs a day ahead for 3 punches, is set back for 2, then runs ahead again: its day ranges overlap.
        var ahead = _journal1.Append(3, Morning.AddDays(1));
        var back = _journal1.Append(2, Morning);
        var again = _journal1.Append(2, Morning.AddDays(1).AddHours(1));
        await StoreAsync(_d1, [.. ahead, .. back, .. again]);

        await using (var db = await CentralSql.OpenAsync(_store.DatabasePath))
        {
            Assert.Equal(["o1 2026-03-02 2: 4..5", "o1 2026-03-03 2: 1..7"], await DayRangesAsync(db));
        }

        var days = await ReadDaysAsync(Morning.DateTime.Date, 2);
        Assert.Equal([4L, 5L], days[0].Select(e => e.Sequence));
        Assert.Equal([1L, 2L, 3L, 6L, 7L], days[1].Select(e => e.Sequence));
        var both = await _store.ReadEventsAsync(null, Morning.DateTime.Date, Morning.DateTime.Date.AddDays(2), None);
        Assert.Equal([4L, 5L, 1L, 2L, 3L, 6L, 7L], both.Select(e => e.Sequence)); // by local time, each once
        Assert.Empty(await _store.ReadEventsAsync("o2", Morning.DateTime.Date, Morning.DateTime.Date.AddDays(2), None));
    }

    [Fact]
    public async Task A_device_registered_after_the_upgrade_gets_the_next_number_and_keeps_it_when_its_key_changes()
    {
        await CentralSql.RunAsync(_store.DatabasePath, DowngradeToV1);
        await _store.MigrateAsync(None);
        using var d3 = DeviceIdentity.CreateEphemeral("o1", "d3");
        using var d3New = DeviceIdentity.CreateEphemeral("o1", "d3");

        await _store.RegisterDeviceAsync("o1", "d3", d3.PublicKeyPem, None);
        await _store.RegisterDeviceAsync("o1", "d3", d3New.PublicKeyPem, None);

        await using var db = await CentralSql.OpenAsync(_store.DatabasePath);
        Assert.Equal([(1L, "d1"), (2L, "d2"), (3L, "d3")], await DeviceNumbersAsync(db));
    }

    [Fact]
    public async Task An_upgrade_that_would_lose_an_event_is_refused_and_leaves_the_version_1_store_as_it_was()
    {
        await StoreAsync(_d1, _journal1.Append(3, Morning));
        await CentralSql.RunAsync(_store.DatabasePath, DowngradeToV1);
        // An event whose device is not in the devices table: the upgrade has no number to key it by.
        await CentralSql.RunAsync(_store.DatabasePath, """
            INSERT INTO events(device_id, seq, office_id, kind, local_at, utc_offset_min, hash, envelope_json, batch_pk, received_at)
            SELECT 'ghost', seq, office_id, kind, local_at, utc_offset_min, hash, envelope_json, batch_pk, received_at FROM events
            """);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => _store.MigrateAsync(None));

        Assert.Contains("would keep 3 of its 6 events", refused.Message, StringComparison.Ordinal);
        await using var db = await CentralSql.OpenAsync(_store.DatabasePath);
        Assert.Equal(1L, await ScalarAsync(db, "SELECT MAX(version) FROM sync_schema"));
        Assert.Equal(6L, await ScalarAsync(db, "SELECT COUNT(*) FROM events WHERE hash IS NOT NULL"));
        Assert.Equal(0L, await ScalarAsync(db, "SELECT COUNT(*) FROM pragma_table_info('devices') WHERE name = 'device_no'"));
    }

    [Fact]
    public async Task A_sequence_too_large_for_the_store_key_is_rejected_as_a_bad_envelope_and_nothing_is_stored()
    {
        var row = _journal1.Append(1, Morning)[0] with { Sequence = InboxSchema.MaxSequence + 1 };

        var result = await StoreAsync(_d1, [row]);

        Assert.Equal((StoreOutcome.Rejected, RejectReasons.BadEnvelope), (result.Outcome, result.RejectReason));
        Assert.Contains("beyond the largest sequence", result.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await _store.CountEventsAsync(null, None));
    }

    private Task<StoreResult> StoreAsync(DeviceIdentity device, IReadOnlyList<JournalEnvelope> rows, string batchId = "b") =>
        _store.StoreBatchAsync(BatchSignature.Create(device, batchId + rows[0].Sequence, rows),
            Topics.Events(device.OfficeId, device.DeviceId), None);

    private static async Task<object?> ScalarAsync(SqliteConnection db, string sql)
    {
        await using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>The events of office o1 on each of <paramref name="count"/> days from <paramref name="first"/>.</summary>
    private async Task<List<List<StoredEvent>>> ReadDaysAsync(DateTime first, int count)
    {
        var days = new List<List<StoredEvent>>();
        for (var d = 0; d < count; d++)
        {
            days.Add([.. await _store.ReadEventsAsync("o1", first.AddDays(d), first.AddDays(d + 1), None)]);
        }

        return days;
    }

    private static async Task<List<string>> DayRangesAsync(SqliteConnection db)
    {
        await using var cmd = db.CreateCommand();
        cmd.CommandText = $"""
            SELECT office_id || ' ' || local_day || ' ' || device_no || ': ' || (first_pk & {InboxSchema.MaxSequence}) || '..' || (last_pk & {InboxSchema.MaxSequence})
            FROM event_days ORDER BY office_id, local_day, device_no
            """;
        await using var reader = await cmd.ExecuteReaderAsync();
        var ranges = new List<string>();
        while (await reader.ReadAsync())
        {
            ranges.Add(reader.GetString(0));
        }

        return ranges;
    }

    private static async Task<List<(long, string)>> DeviceNumbersAsync(SqliteConnection db)
    {
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT device_no, device_id FROM devices ORDER BY device_no";
        await using var reader = await cmd.ExecuteReaderAsync();
        var numbers = new List<(long, string)>();
        while (await reader.ReadAsync())
        {
            numbers.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return numbers;
    }
}

using System.Text;
using Kiosk.Core.Events;
using Kiosk.Sync.Centre;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kiosk.Sync.Tests;

/// <summary>The centre's store on a real SQLite file, fed batches directly (the MQTT path is in the broker tests).</summary>
public sealed class InboxStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 7, 55, 0, TimeSpan.FromHours(8));
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _dir = Directory.CreateTempSubdirectory("kiosk-inbox-").FullName;
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));
    private readonly ListLogger<InboxStore> _log = new();
    private readonly DeviceIdentity _d1 = DeviceIdentity.CreateEphemeral("o1", "d1");
    private InboxStore _store = null!;
    private SqliteJournal _journal = null!;

    public async Task InitializeAsync()
    {
        _store = new InboxStore(Path.Combine(_dir, "central.db"), _time, _log);
        await _store.MigrateAsync(None);
        await _store.RegisterDeviceAsync("o1", "d1", _d1.PublicKeyPem, None);
        _journal = new SqliteJournal(Path.Combine(_dir, "d1.db"), "o1", "d1");
    }

    public Task DisposeAsync()
    {
        _d1.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private EventBatch Batch(IReadOnlyList<JournalEnvelope> rows, string id = "b") => BatchSignature.Create(_d1, id, rows);

    private static string Topic => Topics.Events("o1", "d1");

    /// <summary>Each batch parsed and checked as CentreInbox does before its group commit (all must pass).</summary>
    private async Task<List<InboxStore.PreparedBatch>> PrepareAllAsync(IEnumerable<(string Topic, EventBatch Batch)> batches)
    {
        var prepared = new List<InboxStore.PreparedBatch>();
        foreach (var (topic, batch) in batches)
        {
            prepared.Add((await _store.PrepareRawAsync(topic, SyncJson.Serialize(batch), None)).Ready!);
        }

        return prepared;
    }

    [Fact]
    public async Task Each_device_and_sequence_is_stored_once_however_often_it_arrives()
    {
        var rows = _journal.Append(10, Morning);
        var first = await _store.StoreBatchAsync(Batch(rows), Topic, None);
        var again = await _store.StoreBatchAsync(Batch(rows, "resent"), Topic, None);
        var overlap = await _store.StoreBatchAsync(Batch([.. rows.Skip(5), .. _journal.Append(5, Morning.AddHours(1))]), Topic, None);

        Assert.Equal((StoreOutcome.Stored, 10, 0, 10L), (first.Outcome, first.Stored, first.Duplicates, first.AckSequence));
        Assert.Equal((StoreOutcome.Duplicate, 0, 10, 10L), (again.Outcome, again.Stored, again.Duplicates, again.AckSequence));
        Assert.Equal((StoreOutcome.Stored, 5, 5, 15L), (overlap.Outcome, overlap.Stored, overlap.Duplicates, overlap.AckSequence));
        Assert.Equal(15, await _store.CountEventsAsync("d1", None));
        Assert.Contains(_log.Entries, e => e.Template.Contains("already stored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_gap_holds_the_ack_at_the_contiguous_prefix_until_the_hole_is_filled()
    {
        var rows = _journal.Append(30, Morning);
        var head = await _store.StoreBatchAsync(Batch(rows.Take(10).ToList()), Topic, None);
        var tail = await _store.StoreBatchAsync(Batch(rows.Skip(20).ToList()), Topic, None);
        var hole = await _store.StoreBatchAsync(Batch(rows.Skip(10).Take(10).ToList()), Topic, None);

        Assert.Equal(10, head.AckSequence);
        Assert.Equal(10, tail.AckSequence); // 21..30 stored, but 11..20 missing: the device must resend from 11
        Assert.Equal(20, tail.Stored + hole.Stored);
        Assert.Equal(30, hole.AckSequence);
        var device = Assert.Single(await _store.GetDevicesAsync("o1", None));
        Assert.Equal(30, device.WatermarkSequence);
        Assert.Equal(rows[^1].Event.At, device.WatermarkEventAt);
    }

    [Fact]
    public async Task A_forged_batch_is_rejected_recorded_logged_and_the_next_good_batch_is_stored()
    {
        using var forger = DeviceIdentity.CreateEphemeral("o1", "d1");
        var rows = _journal.Append(3, Morning);
        var forged = await _store.StoreBatchAsync(BatchSignature.Create(forger, "f", rows), Topic, None);
        var good = await _store.StoreBatchAsync(Batch(rows), Topic, None);

        Assert.Equal((StoreOutcome.Rejected, RejectReasons.BadSignature), (forged.Outcome, forged.RejectReason));
        Assert.Equal(StoreOutcome.Stored, good.Outcome);
        var rejection = Assert.Single(await _store.ReadRejectionsAsync(10, None));
        Assert.Equal((RejectReasons.BadSignature, "d1", "f"), (rejection.Reason, rejection.DeviceId, rejection.BatchId));
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("bad-signature", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unsigned_unknown_retired_wrong_topic_and_foreign_events_are_each_rejected_with_their_reason()
    {
        var rows = _journal.Append(2, Morning);
        using var d9 = DeviceIdentity.CreateEphemeral("o1", "d9");
        var otherJournal = new SqliteJournal(Path.Combine(_dir, "d9.db"), "o1", "d9");
        var unsigned = await _store.StoreBatchAsync(Batch(rows) with { Signature = "" }, Topic, None);
        var unknown = await _store.StoreBatchAsync(BatchSignature.Create(d9, "u", otherJournal.Append(1, Morning)), Topics.Events("o1", "d9"), None);
        var wrongTopic = await _store.StoreBatchAsync(Batch(rows), Topics.Events("o1", "d2"), None);
        var foreign = await _store.StoreBatchAsync(Batch([rows[0] with { DeviceId = "d2" }]), Topic, None);
        var badVersion = await _store.StoreBatchAsync(Batch(rows) with { SchemaVersion = 99 }, Topic, None);
        await _store.RetireDeviceAsync("d1", None);
        var retired = await _store.StoreBatchAsync(Batch(rows), Topic, None);

        Assert.Equal(
            [RejectReasons.Unsigned, RejectReasons.UnknownDevice, RejectReasons.WrongTopic, RejectReasons.BadEnvelope,
                RejectReasons.UnsupportedVersion, RejectReasons.RetiredDevice],
            new[] { unsigned, unknown, wrongTopic, foreign, badVersion, retired }.Select(r => r.RejectReason));
        Assert.Equal(0, await _store.CountEventsAsync(null, None));
        Assert.Equal(6, (await _store.ReadRejectionsAsync(100, None)).Count);
    }

    [Fact]
    public async Task A_tampered_event_fails_its_hash_even_though_the_signature_list_is_unchanged()
    {
        var rows = _journal.Append(2, Morning);
        var batch = Batch(rows);
        var punch = (Punch)rows[1].Event;
        var tampered = batch with { Events = [rows[0], rows[1] with { Event = punch with { At = punch.At.AddMinutes(-10) } }] };

        var result = await _store.StoreBatchAsync(tampered, Topic, None);

        Assert.Equal(RejectReasons.HashMismatch, result.RejectReason);
        Assert.Equal(0, await _store.CountEventsAsync("d1", None));
    }

    [Fact]
    public async Task The_same_sequence_with_other_content_is_a_conflict_and_never_overwrites_what_was_received()
    {
        var rows = _journal.Append(3, Morning);
        await _store.StoreBatchAsync(Batch(rows), Topic, None);
        var otherHistory = new SqliteJournal(Path.Combine(_dir, "d1-reset.db"), "o1", "d1").Append(4, Morning.AddDays(1));

        var result = await _store.StoreBatchAsync(Batch(otherHistory), Topic, None);

        Assert.Equal(RejectReasons.Conflict, result.RejectReason);
        Assert.Equal(3, result.AckSequence);
        var stored = await _store.ReadDeviceEventsAsync("d1", 0, 10, None);
        Assert.Equal(rows.Select(r => r.Hash), stored.Select(s => s.Envelope.Hash)); // the 4th was not stored either
    }

    [Fact]
    public async Task Batches_committed_together_each_get_their_own_watermark_and_a_conflict_among_them_holds_back_no_other()
    {
        var rows = _journal.Append(30, Morning);
        var otherHistory = new SqliteJournal(Path.Combine(_dir, "d1-reset.db"), "o1", "d1").Append(5, Morning.AddDays(1));
        EventBatch[] batches = [Batch([.. rows.Take(10)], "a"), Batch(otherHistory, "forked"), Batch([.. rows.Skip(20)], "c"),
            Batch([.. rows.Skip(10).Take(10)], "b")];
        // One transaction for the four (CentreInbox's group commit), in arrival order.
        var results = await _store.CommitAsync(await PrepareAllAsync([.. batches.Select(b => (Topic, b))]), None);

        Assert.Equal([StoreOutcome.Stored, StoreOutcome.Rejected, StoreOutcome.Stored, StoreOutcome.Stored], results.Select(r => r.Outcome));
        Assert.Equal(RejectReasons.Conflict, results[1].RejectReason);
        Assert.Equal([10L, 10L, 30L], new[] { results[0], results[2], results[3] }.Select(r => r.AckSequence)); // the hole 11..20 came last
        Assert.Equal(30, results[1].AckSequence); // rejected after the commit: the device's watermark by then
        Assert.Equal(rows.Select(r => r.Hash), (await _store.ReadDeviceEventsAsync("d1", 0, 100, None)).Select(e => e.Envelope.Hash));
        Assert.Single(await _store.ReadRejectionsAsync(10, None));
    }

    [Fact]
    public async Task A_group_commit_that_fails_stores_nothing_of_the_group_and_the_resent_batches_are_then_stored_once()
    {
        // A real SQLite failure on demand (a full disk, say): a trigger aborts the insert of d2's events, in the middle
        // of the group's one transaction, after d1's batch has been written into it.
        using var d2 = DeviceIdentity.CreateEphemeral("o1", "d2");
        await _store.RegisterDeviceAsync("o1", "d2", d2.PublicKeyPem, None);
        var d2Journal = new SqliteJournal(Path.Combine(_dir, "d2.db"), "o1", "d2");
        (string, EventBatch)[] batches =
            [(Topic, Batch(_journal.Append(10, Morning), "a")), (Topics.Events("o1", "d2"), BatchSignature.Create(d2, "x", d2Journal.Append(10, Morning)))];

        await CentralSql.RunAsync(_store.DatabasePath,
            "CREATE TRIGGER fail_d2 BEFORE INSERT ON events WHEN NEW.device_id = 'd2' BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END;");

        var failure = await Assert.ThrowsAsync<SqliteException>(async () => await _store.CommitAsync(await PrepareAllAsync(batches), None));
        Assert.Contains("disk full (test)", failure.Message, StringComparison.Ordinal);
        Assert.Equal((0L, 0L), (await _store.CountEventsAsync("d1", None), await _store.CountEventsAsync("d2", None)));
        Assert.All(await _store.GetDevicesAsync("o1", None), d => Assert.Equal(0, d.WatermarkSequence));

        await CentralSql.RunAsync(_store.DatabasePath, "DROP TRIGGER fail_d2;");

        // The devices resend (after their ack timeout): the same batches, stored once, each device acknowledged.
        var results = await _store.CommitAsync(await PrepareAllAsync(batches), None);
        Assert.Equal([(StoreOutcome.Stored, 10L), (StoreOutcome.Stored, 10L)], results.Select(r => (r.Outcome, r.AckSequence)));
        Assert.Equal((10L, 10L), (await _store.CountEventsAsync("d1", None), await _store.CountEventsAsync("d2", None)));
    }

    [Fact]
    public async Task Malformed_json_is_rejected_with_the_parser_reason_and_kept_for_the_audit()
    {
        var result = await _store.StoreRawAsync(Topic, Encoding.UTF8.GetBytes("{\"schemaVersion\":1,\"officeId\":"), None);

        Assert.Equal(RejectReasons.Malformed, result.RejectReason);
        var rejection = Assert.Single(await _store.ReadRejectionsAsync(1, None));
        Assert.Equal(("o1", "d1"), (rejection.OfficeId, rejection.DeviceId));
        Assert.False(string.IsNullOrWhiteSpace(rejection.Detail));
    }

    [Fact]
    public async Task A_body_without_its_kind_first_or_with_invalid_utf8_is_rejected_as_malformed_and_the_next_batch_is_stored()
    {
        var rows = _journal.Append(2, Morning);
        var good = Encoding.UTF8.GetString(SyncJson.Serialize(Batch(rows)));
        // System.Text.Json refuses a polymorphic body whose discriminator is not first with NotSupportedException, which
        // once reached the inbox's "storage error, the device will resend" path instead of a rejection.
        var kindLast = good.Replace("{\"kind\":\"punch\",", "{", StringComparison.Ordinal)
            .Replace("\"at\":", "\"kind\":\"punch\",\"at\":", StringComparison.Ordinal);
        var badUtf8 = Encoding.UTF8.GetBytes(good.Replace("\"batchId\":\"b", "\"batchId\":\"\u0001", StringComparison.Ordinal));
        badUtf8[Array.IndexOf(badUtf8, (byte)1)] = 0xFF;

        var first = await _store.StoreRawAsync(Topic, Encoding.UTF8.GetBytes(kindLast), None);
        var second = await _store.StoreRawAsync(Topic, badUtf8, None);
        var next = await _store.StoreRawAsync(Topic, Encoding.UTF8.GetBytes(good), None);

        Assert.NotEqual(good, kindLast);
        Assert.Equal((RejectReasons.Malformed, RejectReasons.Malformed), (first.RejectReason, second.RejectReason));
        Assert.Contains("kind", first.Detail, StringComparison.Ordinal);
        Assert.Equal(2, (await _store.ReadRejectionsAsync(10, None)).Count);
        Assert.Equal((StoreOutcome.Stored, 2L), (next.Outcome, next.AckSequence));
    }

    [Fact]
    public async Task Events_are_read_back_by_office_local_time_not_by_utc_date()
    {
        // 07:55 in Beijing is 23:55 UTC the day before (decision 5): it belongs to 2 March.
        _journal.Append(3, Morning);
        await _store.StoreBatchAsync(Batch(await _journal.ReadAfterAsync(0, 10, None)), Topic, None);

        var march2 = await _store.ReadEventsAsync("o1", new DateTime(2026, 3, 2), new DateTime(2026, 3, 3), None);
        var march1 = await _store.ReadEventsAsync(null, new DateTime(2026, 3, 1), new DateTime(2026, 3, 2), None);

        Assert.Equal([1L, 2L, 3L], march2.Select(e => e.Sequence));
        Assert.All(march2, e => Assert.Equal("punch", e.Kind));
        Assert.Empty(march1);
    }

    [Fact]
    public async Task Complete_up_to_follows_the_reported_status_only_once_the_watermark_reaches_its_sequence()
    {
        var rows = _journal.Append(5, Morning);
        await _store.StoreBatchAsync(Batch(rows.Take(3).ToList()), Topic, None);
        var reportedAt = Morning.AddHours(3);
        var status = new DeviceStatus(1, "o1", "d1", true, reportedAt, reportedAt, 5, 3, 2, rows[3].Event.At,
            ClockQuality.Synchronised, "0.1.0", "cfg-7", 1_000_000);
        Assert.True(await _store.StoreStatusAsync(Topics.Status("o1", "d1"), SyncJson.Serialize(status), None));

        var behind = Assert.Single(await _store.GetDevicesAsync("o1", None));
        await _store.StoreBatchAsync(Batch(rows.Skip(3).ToList()), Topic, None);
        var caughtUp = Assert.Single(await _store.GetDevicesAsync("o1", None));

        Assert.Equal(rows[2].Event.At, behind.CompleteUpTo); // only what arrived contiguously
        Assert.Equal(reportedAt, caughtUp.CompleteUpTo);
        Assert.Equal(("cfg-7", 2L, true), (caughtUp.ConfigVersion, caughtUp.QueueDepth, caughtUp.Online));
    }

    [Fact]
    public async Task A_last_will_marks_the_device_offline_even_though_it_was_composed_earlier()
    {
        var early = Morning.AddHours(-1);
        var will = new DeviceStatus(1, "o1", "d1", false, early, early, 0, 0, 0, null, ClockQuality.Untrusted, "0.1.0", null, null);
        var live = will with { Online = true, At = Morning, CompleteUpTo = Morning };
        await _store.StoreStatusAsync(Topics.Status("o1", "d1"), SyncJson.Serialize(live), None);
        await _store.StoreStatusAsync(Topics.Status("o1", "d1"), SyncJson.Serialize(will), None);

        var device = Assert.Single(await _store.GetDevicesAsync("o1", None));
        Assert.Equal((false, Morning), (device.Online, device.StatusAt));
    }

    [Fact]
    public async Task A_journal_file_from_usb_goes_through_the_same_checks_and_deduplicates_with_mqtt()
    {
        var rows = _journal.Append(6, Morning);
        await _store.StoreBatchAsync(Batch(rows.Take(4).ToList()), Topic, None);

        var imported = await _store.StoreBatchAsync(Batch(rows, "usb-export"), topic: null, None);
        var forged = await _store.StoreBatchAsync(Batch(rows) with { Signature = Batch(rows.Take(1).ToList()).Signature }, null, None);

        Assert.Equal((2, 4, 6L), (imported.Stored, imported.Duplicates, imported.AckSequence));
        Assert.Equal(RejectReasons.BadSignature, forged.RejectReason);
    }

    [Fact]
    public async Task The_signed_text_kept_with_a_batch_is_what_its_signature_verifies_over()
    {
        var rows = _journal.Append(4, Morning);
        var batch = Batch(rows, "kept");
        await _store.StoreBatchAsync(batch, Topic, None);

        await using var db = new SqliteConnection($"Data Source={_store.DatabasePath}");
        await db.OpenAsync();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT signed_text, signature FROM batches WHERE batch_id = 'kept'";
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        var signedText = r.GetString(0);
        Assert.Equal(Encoding.UTF8.GetString(BatchSignature.CanonicalBytes("o1", "d1", "kept", rows)), signedText);
        using var key = BatchSignature.ImportPublicKey(_d1.PublicKeyPem);
        Assert.True(BatchSignature.Verify(r.GetString(1), Encoding.UTF8.GetBytes(signedText), key));
        Assert.False(BatchSignature.Verify(r.GetString(1), Encoding.UTF8.GetBytes(signedText.Replace("\n4 ", "\n5 ", StringComparison.Ordinal)), key));
    }

    [Fact]
    public async Task A_re_registered_key_takes_effect_on_the_next_batch_although_the_old_one_was_just_used()
    {
        // The inbox keeps imported keys (DeviceKeys); it must still read the registered key for every batch.
        using var replacement = DeviceIdentity.CreateEphemeral("o1", "d1");
        var before = await _store.StoreBatchAsync(Batch(_journal.Append(2, Morning)), Topic, None);
        await _store.RegisterDeviceAsync("o1", "d1", replacement.PublicKeyPem, None);

        var oldKey = await _store.StoreBatchAsync(Batch(_journal.Append(2, Morning.AddHours(1)), "old"), Topic, None);
        var newKey = await _store.StoreBatchAsync(BatchSignature.Create(replacement, "new", _journal.Append(2, Morning.AddHours(2))), Topic, None);

        Assert.Equal((StoreOutcome.Stored, 2L), (before.Outcome, before.AckSequence));
        Assert.Equal((StoreOutcome.Rejected, RejectReasons.BadSignature), (oldKey.Outcome, oldKey.RejectReason));
        // The new key's batch holds sequences 5-6: stored, and the ack waits at 2 for the hole the old key left.
        Assert.Equal((StoreOutcome.Stored, 2, 2L), (newKey.Outcome, newKey.Stored, newKey.AckSequence));
    }

    [Fact]
    public async Task Migration_is_idempotent_and_a_device_cannot_silently_move_office()
    {
        await _store.MigrateAsync(None);
        await InboxSchema.MigrateAsync(_store.DatabasePath, None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _store.RegisterDeviceAsync("o2", "d1", _d1.PublicKeyPem, None));
        // ECDsa.ImportFromPem: "No supported key formats were found".
        await Assert.ThrowsAsync<ArgumentException>(() => _store.RegisterDeviceAsync("o1", "d2", "not a key", None));
        Assert.Equal("o1", Assert.Single(await _store.GetDevicesAsync(null, None)).OfficeId);
    }
}

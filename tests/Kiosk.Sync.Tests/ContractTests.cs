using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Kiosk.Core.Events;
using Kiosk.Sync.Contract;

namespace Kiosk.Sync.Tests;

public sealed class ContractTests : IDisposable
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(8));
    private readonly string _dir = Directory.CreateTempSubdirectory("kiosk-contract-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private IReadOnlyList<JournalEnvelope> Rows(int count, string device = "d1") =>
        new Testing.SqliteJournal(Path.Combine(_dir, device + Guid.NewGuid().ToString("N") + ".db"), "o1", device).Append(count, Morning);

    [Fact]
    public void A_batch_signed_by_the_device_verifies_with_its_registered_public_key()
    {
        using var identity = DeviceIdentity.CreateEphemeral("o1", "d1");
        using var other = DeviceIdentity.CreateEphemeral("o1", "d1");
        var batch = BatchSignature.Create(identity, "b1", Rows(5));
        using var registered = BatchSignature.ImportPublicKey(identity.PublicKeyPem);
        using var stranger = BatchSignature.ImportPublicKey(other.PublicKeyPem);

        Assert.True(BatchSignature.Verify(batch, registered));
        Assert.False(BatchSignature.Verify(batch, stranger));
        Assert.False(BatchSignature.Verify(batch with { Signature = "" }, registered));
        Assert.False(BatchSignature.Verify(batch with { Signature = "not base64!" }, registered));
    }

    [Fact]
    public void The_signature_covers_device_batch_id_and_every_sequence_and_hash()
    {
        using var identity = DeviceIdentity.CreateEphemeral("o1", "d1");
        using var key = BatchSignature.ImportPublicKey(identity.PublicKeyPem);
        var rows = Rows(4);
        var batch = BatchSignature.Create(identity, "b1", rows);

        Assert.False(BatchSignature.Verify(batch with { BatchId = "b2" }, key));
        Assert.False(BatchSignature.Verify(batch with { OfficeId = "o2" }, key));
        Assert.False(BatchSignature.Verify(batch with { Events = rows.Take(3).ToList() }, key));
        Assert.False(BatchSignature.Verify(batch with { Events = [.. rows.Take(3), rows[3] with { Hash = rows[2].Hash }] }, key));
    }

    [Fact]
    public void The_signed_bytes_are_exactly_the_text_documented_in_protocol_md()
    {
        var rows = Rows(2);
        var text = Encoding.UTF8.GetString(BatchSignature.CanonicalBytes("o1", "d1", "b7", rows));

        Assert.Equal($"kiosk-batch/1\no1\nd1\nb7\n2\n1 {rows[0].Hash}\n2 {rows[1].Hash}\n", text);
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "protocol.md"));
        Assert.Contains("kiosk-batch/1\\n{officeId}\\n{deviceId}\\n{batchId}\\n{count}\\n", doc, StringComparison.Ordinal);
    }

    [Fact]
    public void The_signed_bytes_spell_any_ids_and_sequences_as_the_documented_utf8_text()
    {
        // The writer computes the exact length first and formats straight into it; the reference here is the plain
        // string form of the documented text, for any office/device/batch text (Chinese, empty, escapes) and any
        // sequence (negative and extreme ones only a forged batch carries).
        var prop = Prop.ForAll(ArbMap.Default.ArbFor<string[]>(), ArbMap.Default.ArbFor<long[]>(), (texts, sequences) =>
        {
            var ids = (texts ?? []).Concat(["社区一", "", "d\n1"]).Select(t => t ?? "x").ToArray();
            var items = (sequences ?? []).Concat([long.MinValue, long.MaxValue, 0, -1, 9, 10]).ToArray();
            var expected = new StringBuilder($"kiosk-batch/1\n{ids[0]}\n{ids[1]}\n{ids[2]}\n{items.Length}\n");
            foreach (var (sequence, i) in items.Select((s, i) => (s, i)))
            {
                expected.Append(CultureInfo.InvariantCulture, $"{sequence} {ids[i % ids.Length]}\n");
            }

            var bytes = BatchSignature.CanonicalBytes(ids[0], ids[1], ids[2], items.Length, i => (items[i], ids[i % ids.Length]));
            return bytes.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(expected.ToString()));
        });
        Check.QuickThrowOnFailure(prop);
    }

    [Fact]
    public void Every_envelope_keeps_its_hash_through_the_wire_json()
    {
        // Property: whatever the event's content, serialising with the wire contract and parsing back yields an
        // envelope whose JournalHash still verifies (the centre re-computes it, decision 2).
        var prop = Prop.ForAll(ArbMap.Default.ArbFor<NonNull<string>>(), ArbMap.Default.ArbFor<int>(), (worker, seconds) =>
        {
            var at = Morning.AddSeconds(seconds % 100000);
            var events = new AttendanceEvent[]
            {
                new Punch(worker.Get, "0004001234", 3, PunchMethod.CardAndFinger, at),
                new Excuse(worker.Get, DateOnly.FromDateTime(at.DateTime), Session.Morning, ExcuseReason.Meeting, "开会 " + worker.Get, "sec", EventSource.Secretary, at),
                new Outing(worker.Get, at, TimeSpan.FromMinutes(90), "sec", null, at),
            };
            return events.All(e =>
            {
                var sealedEnvelope = JournalHash.Seal(new JournalEnvelope("o1", "d1", 7, e, "boot", 123, ClockQuality.Untrusted, JournalHash.Genesis, ""));
                var back = SyncJson.Deserialize<JournalEnvelope>(SyncJson.Serialize(sealedEnvelope));
                return JournalHash.Verify(back) && back.Hash == sealedEnvelope.Hash;
            });
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), prop);
    }

    [Fact]
    public void Wire_names_are_camel_case_and_the_event_kind_travels()
    {
        using var identity = DeviceIdentity.CreateEphemeral("o1", "d1");
        var json = JsonDocument.Parse(SyncJson.Serialize(BatchSignature.Create(identity, "b1", Rows(1)))).RootElement;

        Assert.Equal(1, json.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("d1", json.GetProperty("deviceId").GetString());
        var envelope = json.GetProperty("events")[0];
        Assert.Equal(1, envelope.GetProperty("sequence").GetInt64());
        Assert.Equal("punch", envelope.GetProperty("event").GetProperty("kind").GetString());
        Assert.Equal("Synchronised", envelope.GetProperty("clock").GetString());
    }

    [Theory]
    [InlineData("{\"schemaVersion\":1,\"officeId\":\"o1\",\"deviceId\":\"d1\",\"upToSequence\":5}")]
    [InlineData("{\"schemaVersion\":1,\"officeId\":null,\"deviceId\":\"d1\",\"upToSequence\":5,\"storedAt\":\"2026-03-02T08:00:00+08:00\"}")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"schemaVersion\":1,")]
    public void A_message_with_a_missing_or_null_field_is_malformed_not_half_filled(string json)
    {
        Assert.ThrowsAny<JsonException>(() => SyncJson.Deserialize<Ack>(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_device_key_is_created_private_and_loads_back_as_the_same_key()
    {
        var path = Path.Combine(_dir, "keys", "device.pem");
        string first;
        using (var created = DeviceIdentity.LoadOrCreate("o1", "d1", path))
        {
            first = created.PublicKeyPem;
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path), StringComparison.Ordinal);
        using var loaded = DeviceIdentity.LoadOrCreate("o1", "d1", path);
        Assert.Equal(first, loaded.PublicKeyPem);
        Assert.Contains("BEGIN PUBLIC KEY", first, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("o1/d1")]
    [InlineData("+")]
    [InlineData("#")]
    [InlineData("")]
    [InlineData("办公室")]
    public void Ids_that_could_escape_the_topic_tree_are_refused(string id)
    {
        Assert.False(Topics.IsValidId(id));
        Assert.Throws<ArgumentException>(() => Topics.Events(id, "d1"));
        Assert.Throws<ArgumentException>(() => DeviceIdentity.CreateEphemeral("o1", id));
    }

    [Fact]
    public void Device_topics_parse_back_to_office_device_and_kind()
    {
        Assert.True(Topics.TryParseDeviceTopic(Topics.Status("o-1", "d_2"), out var o, out var d, out var k));
        Assert.Equal(("o-1", "d_2", "status"), (o, d, k));
        Assert.False(Topics.TryParseDeviceTopic("attendance/v2/o1/d1/events", out _, out _, out _));
        Assert.False(Topics.TryParseDeviceTopic("attendance/v1/o1/d1/events/x", out _, out _, out _));
        Assert.Equal("$share/central/attendance/v1/+/+/events", Topics.SharedEventsFilter);
    }
}

using System.Text;
using Kiosk.Device.Journal;
using Kiosk.Sync.Bench;
using Kiosk.Sync.Centre;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Device;
using Kiosk.Sync.Mqtt;
using Kiosk.Sync.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Sync.Tests;

/// <summary>Bad traffic through the real broker and its shipped ACL: refused or rejected, logged, never stalling.</summary>
[Collection("broker")]
public sealed class BrokerSecurityTests
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 7, 30, 0, TimeSpan.FromHours(8));
    private static readonly CancellationToken None = CancellationToken.None;
    private const int NotAuthorized = 135; // MQTT 5 reason code 0x87

    [Fact]
    public async Task Forged_replayed_malformed_and_foreign_topic_messages_are_refused_while_good_traffic_continues()
    {
        await using var rig = await SyncRig.StartAsync("d1", "d2");
        await rig.StartCentreAsync();
        var kiosk = await rig.StartKioskAsync("d1");
        var good = kiosk.Journal.Append(300, Morning);
        await rig.UntilAsync(() => rig.DrainedAsync(kiosk), "the first 300 drain");

        using var asD1 = await ConnectAsync(rig, "intruder-d1", "d1");
        using var asD2 = await ConnectAsync(rig, "intruder-d2", "d2");
        using var forger = DeviceIdentity.CreateEphemeral(SyncRig.Office, "d1");
        var topic = Topics.Events(SyncRig.Office, "d1");
        var forgedRows = new SqliteJournal(Path.Combine(rig.Dir, "forged.db"), SyncRig.Office, "d1").Append(5, Morning.AddDays(-1));
        var forged = SyncJson.Serialize(BatchSignature.Create(forger, "forged-1", forgedRows));
        var replayed = SyncJson.Serialize(BatchSignature.Create(kiosk.Identity, "replayed-1", good.Take(50).ToList()));

        Assert.True(await asD1.PublishAsync(topic, forged, 1, false, None) < 0x80);
        Assert.True(await asD1.PublishAsync(topic, replayed, 1, false, None) < 0x80);
        Assert.True(await asD1.PublishAsync(topic, Encoding.UTF8.GetBytes("{\"schemaVersion\":1,"), 1, false, None) < 0x80);
        // Another device writing on d1's topic, and d1 writing on d2's: the shipped ACL refuses both at the broker.
        Assert.Equal(NotAuthorized, await asD2.PublishAsync(topic, forged, 1, false, None));
        Assert.Equal(NotAuthorized, await asD1.PublishAsync(Topics.Events(SyncRig.Office, "d2"), replayed, 1, false, None));
        // Reading another device's retained ack: mosquitto grants the SUBACK but delivers nothing. Its own retained
        // config, subscribed after, arrives; had the ACL allowed d1's ack, that would have come first.
        await asD2.SubscribeAsync(Topics.Ack(SyncRig.Office, "d1"), 1, None);
        await rig.Inbox!.PublishConfigAsync(new OfficeConfig(1, SyncRig.Office, "v1", Morning, null, null, null, null), ["d2"], None);
        await asD2.SubscribeAsync(Topics.Config(SyncRig.Office, "d2"), 1, None);
        var seenByD2 = await asD2.Messages.ReadAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(Topics.Config(SyncRig.Office, "d2"), seenByD2.Topic);

        kiosk.Journal.Append(300, Morning.AddHours(1));
        kiosk.Pump.NotifyAppended();
        await rig.UntilAsync(() => rig.DrainedAsync(kiosk), "the next 300 good events drain after the bad ones");
        await rig.UntilAsync(async () => (await rig.Store.ReadRejectionsAsync(10, None)).Count >= 2, "both rejections are recorded");

        var rejections = await rig.Store.ReadRejectionsAsync(10, None);
        Assert.Equal([RejectReasons.BadSignature, RejectReasons.Malformed], rejections.Select(r => r.Reason).Order());
        Assert.All(rejections, r => Assert.Equal(topic, r.Topic));
        Assert.Equal(600, await rig.Store.CountEventsAsync(null, None));
        Assert.Contains(rig.StoreLog.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("forged-1", StringComparison.Ordinal));
        Assert.Contains(rig.StoreLog.Entries, e => e.Text.Contains("replayed-1", StringComparison.Ordinal)
            && e.Template.Contains("already stored", StringComparison.Ordinal));
        Assert.Contains(rig.StoreLog.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("malformed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_kiosk_with_a_client_certificate_connects_over_tls_and_the_acl_knows_it_by_its_cn()
    {
        await using var rig = await SyncRig.StartAsync("d1");
        var (cert, key) = rig.Broker.MakeClientCertificate("d9");
        var tls = new MqttClientOptions
        {
            Host = "127.0.0.1",
            Port = rig.Broker.TlsPort,
            ClientId = "kiosk-d9",
            Tls = new MqttTls(rig.Broker.CaFile, cert, key),
            ReconnectDelaySeconds = 1,
            ReconnectDelayMaxSeconds = 1,
        };
        using var client = new MosquittoClient(tls);
        client.Start();
        await client.WaitConnectedAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        var own = await client.PublishAsync(Topics.Status(SyncRig.Office, "d9"), "{}"u8, 1, true, None);
        var foreign = await client.PublishAsync(Topics.Status(SyncRig.Office, "d1"), "{}"u8, 1, true, None);

        Assert.True(own < 0x80, $"own topic refused with {own}");
        Assert.Equal(NotAuthorized, foreign);
        using var noCert = new MosquittoClient(tls with { ClientId = "kiosk-nocert", Tls = new MqttTls(rig.Broker.CaFile, null, null) });
        noCert.Start();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            noCert.WaitConnectedAsync(new CancellationTokenSource(TimeSpan.FromSeconds(2)).Token));
    }

    [Fact]
    public async Task Without_libmosquitto_the_error_names_the_debian_package_and_the_kiosk_keeps_recording()
    {
        var options = new MqttClientOptions
        {
            Host = "127.0.0.1",
            ClientId = "kiosk-x",
            LibraryPath = "/nonexistent/libmosquitto.so.1",
        };
        var error = Assert.Throws<MosquittoMissingException>(() => new MosquittoClient(options));
        Assert.Contains("install the Debian package libmosquitto1", error.Message, StringComparison.Ordinal);

        var dir = Directory.CreateTempSubdirectory("kiosk-nolib-").FullName;
        try
        {
            // The kiosk's own journal and outbox, wired to the pump as the kiosk wires them.
            using var journal = EventJournal.Open(new JournalOptions(Path.Combine(dir, "j.db"), "o1", "d1"), NullLogger.Instance);
            var outbox = new JournalOutbox(journal, TimeProvider.System, NullLogger<JournalOutbox>.Instance);
            using var identity = DeviceIdentity.CreateEphemeral("o1", "d1");
            var log = new ListLogger<OutboxPump>();
            using var pump = new OutboxPump(outbox, identity, new OutboxPumpOptions { Mqtt = options }, TimeProvider.System, log);
            journal.Appended += _ => pump.NotifyAppended();
            await pump.StartAsync(None);
            await pump.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));

            Assert.True(pump.ExecuteTask.IsCompletedSuccessfully);
            Assert.NotNull(pump.LibraryMissing);
            Assert.Contains(log.Entries, e => e.Level == LogLevel.Error && e.Text.Contains("libmosquitto1", StringComparison.Ordinal));
            // Punches committed after sync stopped (each one waking the stopped pump) are kept, queued for the centre.
            for (var i = 0; i < 5; i++)
            {
                await DeviceJournal.PunchAsync(journal, i, Morning.AddSeconds(i));
            }

            Assert.Equal(5, (await outbox.GetStatsAsync(None)).QueueDepth);
            Assert.Equal((5L, 0L, 0L), (journal.Head.Sequence, journal.AckedThrough, pump.Acknowledged));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<MosquittoClient> ConnectAsync(SyncRig rig, string clientId, string user)
    {
        var client = new MosquittoClient(rig.ClientOptions(clientId, user) with { SessionExpiry = TimeSpan.Zero });
        client.Start();
        await client.WaitConnectedAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        return client;
    }
}

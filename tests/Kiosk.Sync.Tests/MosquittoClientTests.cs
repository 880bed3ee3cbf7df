using Kiosk.Sync.Contract;
using Kiosk.Sync.Mqtt;
using Kiosk.Sync.Testing;

namespace Kiosk.Sync.Tests;

/// <summary>The libmosquitto client itself against the real broker: what it does on every new connection.</summary>
[Collection("broker")]
public sealed class MosquittoClientTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Every_re_subscription_after_a_killed_broker_is_answered_and_leaves_no_broker_answer_parked()
    {
        await using var rig = await SyncRig.StartAsync("d1");
        var log = new ListLogger<MosquittoClient>();
        using var client = new MosquittoClient(rig.ClientOptions("kiosk-d1", "d1"), log);
        // Registered while disconnected, as the pump does: every connection, the first included, subscribes again.
        string[] filters = [Topics.Ack(SyncRig.Office, "d1"), Topics.Config(SyncRig.Office, "d1"), Topics.Time];
        await client.SubscribeAsync(filters[0], 1, None);
        await client.SubscribeAsync(filters[1], 1, None);
        await client.SubscribeAsync(filters[2], 0, None);
        int Answered() => log.Entries.Count(e => e.Template.StartsWith("Re-subscribed to", StringComparison.Ordinal));
        client.Start();

        const int Connections = 4;
        for (var connection = 1; connection <= Connections; connection++)
        {
            await rig.UntilAsync(() => Task.FromResult(client.ConnectCount == connection && Answered() == connection * filters.Length),
                $"connection {connection} is up and its {filters.Length} re-subscriptions are answered");
            if (connection < Connections)
            {
                await rig.Broker.StopAsync(kill: true); // SIGKILL: the broker forgets the subscriptions
                await rig.Broker.StartAgainAsync();
            }
        }

        Assert.Equal(0, client.ParkedResults);
        Assert.DoesNotContain(log.Entries, e => e.Template.Contains("refused the re-subscription", StringComparison.Ordinal));
        // The subscriptions really are back on the restarted broker: the centre's time broadcast arrives.
        using var centre = new MosquittoClient(rig.ClientOptions("centre-test-1", SyncRig.CentreUser));
        centre.Start();
        await centre.WaitConnectedAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.True(await centre.PublishAsync(Topics.Time, "{}"u8, 1, false, None) < 0x80);
        var message = await client.Messages.ReadAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(Topics.Time, message.Topic);
        message.Release();
        // A SubscribeAsync now gets its own SUBACK, not an answer left over from a re-subscription.
        await client.SubscribeAsync(filters[1], 1, None);
        Assert.Equal(0, client.ParkedResults);
    }
}

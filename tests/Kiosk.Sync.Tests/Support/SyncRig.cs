using System.Diagnostics;
using Kiosk.Sync.Centre;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Device;
using Kiosk.Sync.Mqtt;

namespace Kiosk.Sync.Testing;

/// <summary>One office's worth of real parts: a mosquitto broker with the shipped configuration, the centre's inbox
/// over a SQLite file, and kiosks (a journal file, a key, an outbox pump each). Time is a ManualTime the waits
/// advance, so timeouts measured in minutes or days take milliseconds.</summary>
public sealed class SyncRig : IAsyncDisposable
{
    public const string Office = "o1";
    public const string CentreUser = "centre-1";

    private readonly List<Kiosk> _kiosks = [];

    private SyncRig(BrokerProcess broker, string dir)
    {
        Broker = broker;
        Dir = dir;
        Store = new InboxStore(Path.Combine(dir, "central.db"), Time, StoreLog);
    }

    public BrokerProcess Broker { get; }

    public string Dir { get; }

    public ManualTime Time { get; } = new(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));

    public ListLogger<InboxStore> StoreLog { get; } = new();

    public ListLogger<CentreInbox> InboxLog { get; } = new();

    public InboxStore Store { get; }

    public CentreInbox? Inbox { get; private set; }

    public IReadOnlyList<Kiosk> Kiosks => _kiosks;

    public static string Password(string user) => "pw-" + user;

    public static async Task<SyncRig> StartAsync(params string[] devices)
    {
        var users = devices.Append(CentreUser).Select(u => (u, Password(u)));
        var broker = await BrokerProcess.StartAsync(users);
        var rig = new SyncRig(broker, Directory.CreateTempSubdirectory("kiosk-sync-").FullName);
        await rig.Store.MigrateAsync(CancellationToken.None);
        return rig;
    }

    public MqttClientOptions ClientOptions(string clientId, string user) => new()
    {
        Host = "127.0.0.1",
        Port = Broker.Port,
        ClientId = clientId,
        Username = user,
        Password = Password(user),
        ReconnectDelaySeconds = 1,
        ReconnectDelayMaxSeconds = 1,
        KeepAliveSeconds = 10,
    };

    public async Task<CentreInbox> StartCentreAsync()
    {
        Inbox = new CentreInbox(Store, new CentreInboxOptions { Mqtt = ClientOptions("centre-test-1", CentreUser) }, Time, InboxLog);
        await Inbox.StartAsync(CancellationToken.None);
        await UntilAsync(() => Task.FromResult(Inbox.Client is { IsConnected: true }), "the centre connects");
        return Inbox;
    }

    /// <summary>Registers a kiosk at the centre and starts its pump.</summary>
    public async Task<Kiosk> StartKioskAsync(string device, Func<OutboxPumpOptions, OutboxPumpOptions>? tweak = null,
        IConfigSink? config = null, ITimeSink? timeSink = null)
    {
        var identity = DeviceIdentity.LoadOrCreate(Office, device, Path.Combine(Dir, device + ".key.pem"));
        await Store.RegisterDeviceAsync(Office, device, identity.PublicKeyPem, CancellationToken.None);
        var journal = new SqliteJournal(Path.Combine(Dir, device + ".journal.db"), Office, device);
        var options = new OutboxPumpOptions
        {
            Mqtt = ClientOptions("kiosk-" + device, device),
            AckTimeout = TimeSpan.FromSeconds(10),
        };
        options = tweak?.Invoke(options) ?? options;
        var log = new ListLogger<OutboxPump>();
        var pump = new OutboxPump(journal, identity, options, Time, log, config, timeSink);
        await pump.StartAsync(CancellationToken.None);
        var kiosk = new Kiosk(device, identity, journal, pump, log);
        _kiosks.Add(kiosk);
        return kiosk;
    }

    /// <summary>Polls until the condition holds, moving the manual clock 0.5 s per 20 ms of real time (the real
    /// broker and SQLite still need real time to do their work).</summary>
    public async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"waited {limit} for: {what}\nbroker log tail:\n{Tail(Broker.ReadLog())}");
            }

            Time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(20);
        }
    }

    /// <summary>The centre holds exactly this device's sequences 1..last, acknowledged to the device.</summary>
    public async Task<bool> DrainedAsync(Kiosk kiosk)
    {
        var last = kiosk.Journal.LastSequence;
        var device = (await Store.GetDevicesAsync(Office, CancellationToken.None)).Single(d => d.DeviceId == kiosk.Device);
        return device.WatermarkSequence == last && kiosk.Pump.Acknowledged == last;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var k in _kiosks)
        {
            await k.Pump.StopAsync(CancellationToken.None);
            k.Pump.Dispose();
            k.Identity.Dispose();
        }

        if (Inbox is not null)
        {
            await Inbox.StopAsync(CancellationToken.None);
            Inbox.Dispose();
        }

        await Broker.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : text[^3000..];

    public sealed record Kiosk(string Device, DeviceIdentity Identity, SqliteJournal Journal, OutboxPump Pump,
        ListLogger<OutboxPump> Log);
}

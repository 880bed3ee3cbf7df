using System.Text;
using Kiosk.Core.Events;
using Kiosk.Sync.Contract;

namespace Kiosk.Central.Tests;

/// <summary>A real central store in a temp dir driven through the real command line, with a kiosk identity whose
/// signed journal exports are imported the sneakernet way (the same StoreRawAsync path as MQTT traffic).</summary>
internal sealed class Centre : IDisposable
{
    private readonly Dictionary<string, DeviceIdentity> _devices = new(StringComparer.Ordinal);
    private int _batch;

    public Centre() => Db = Dir.File("central.db");

    public TempDir Dir { get; } = new();

    public string Db { get; }

    public DeviceIdentity Identity(string device) => _devices[device];

    public async Task<string> RunOkAsync(params string[] args)
    {
        var (code, output, err) = await CliRunner.RunAsync([.. args, "--db", Db]);
        Assert.True(code == 0, $"{string.Join(' ', args)} → {code}: {err}");
        return output;
    }

    public Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "--db", Db]);

    public async Task ImportRosterAsync(string csv)
    {
        var path = Dir.File("roster-" + Guid.NewGuid().ToString("N") + ".csv");
        await File.WriteAllTextAsync(path, csv);
        await RunOkAsync("roster", "import", path);
    }

    public async Task RegisterAsync(string office, string device)
    {
        var identity = DeviceIdentity.CreateEphemeral(office, device);
        _devices[device] = identity;
        var pem = Dir.File(device + ".pub.pem");
        await File.WriteAllTextAsync(pem, identity.PublicKeyPem);
        await RunOkAsync("device", "register", "--office", office, "--device", device, "--public-key", pem);
    }

    /// <summary>Writes the rows as a USB export (signed batches, JSON Lines) and imports it.</summary>
    public async Task<string> ImportJournalAsync(IEnumerable<JournalEnvelope> rows, int batchSize = 200)
    {
        var path = Dir.File("export-" + Interlocked.Increment(ref _batch) + ".jsonl");
        var sb = new StringBuilder();
        foreach (var group in rows.GroupBy(r => r.DeviceId))
        {
            foreach (var chunk in group.Chunk(batchSize))
            {
                var batch = BatchSignature.Create(_devices[group.Key], "usb-" + chunk[0].Sequence, chunk);
                sb.Append(Encoding.UTF8.GetString(SyncJson.Serialize(batch))).Append('\n');
            }
        }

        await File.WriteAllTextAsync(path, sb.ToString());
        return await RunOkAsync("import-journal", path);
    }

    public void Dispose()
    {
        foreach (var d in _devices.Values)
        {
            d.Dispose();
        }

        Dir.Dispose();
    }
}

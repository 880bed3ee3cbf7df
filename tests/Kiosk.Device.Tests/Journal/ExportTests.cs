using System.Security.Cryptography;
using Kiosk.Device.Cli;
using Kiosk.Device.Hosting;
using Kiosk.Sync.Contract;

namespace Kiosk.Device.Tests.Journal;

public sealed class ExportTests
{
    [Fact]
    public async Task The_usb_export_is_JSON_lines_of_signed_batches_covering_every_unacknowledged_event()
    {
        using var temp = new TempJournal();
        var at = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TempJournal.Beijing);
        for (var i = 0; i < 1203; i++)
        {
            await temp.Journal.AppendAsync(TempJournal.PunchAt("w" + (i % 7), at.AddSeconds(i)), TempJournal.Stamp(at.AddSeconds(i)), CancellationToken.None);
        }

        await temp.Journal.RecordDeliveryAsync([], 100, at, CancellationToken.None);
        temp.Journal.Dispose();
        var options = new KioskOptions { OfficeId = "office-1", DeviceId = "kiosk-1", DataDirectory = temp.Directory, JournalPath = temp.Options.Path };
        var file = Path.Combine(temp.Directory, "usb.jsonl");
        var (batches, events, last) = await ExportCommand.ExportAsync(options, file, -1, CancellationToken.None);

        Assert.Equal((3, 1103L, 1203L), (batches, events, last));
        using var key = ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(temp.Directory, "device-key.pem")));
        var lines = await File.ReadAllLinesAsync(file);
        var sequences = new List<long>();
        foreach (var line in lines)
        {
            var batch = SyncJson.Deserialize<EventBatch>(System.Text.Encoding.UTF8.GetBytes(line));
            Assert.True(BatchSignature.Verify(batch, key));
            Assert.Equal(("office-1", "kiosk-1"), (batch.OfficeId, batch.DeviceId));
            sequences.AddRange(batch.Events.Select(e => e.Sequence));
        }

        Assert.Equal(Enumerable.Range(101, 1103).Select(i => (long)i), sequences);
        Assert.False(File.Exists(file + ".part"));
        temp.Reopen();
    }
}

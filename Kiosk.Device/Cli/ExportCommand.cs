using System.Buffers;
using System.CommandLine;
using System.Globalization;
using Kiosk.Device.Hosting;
using Kiosk.Device.Journal;
using Kiosk.Sync.Contract;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Cli;

/// <summary>`kiosk export --to FILE`: the sneakernet (issue 6). The journal as JSON Lines, one signed EventBatch
/// per line, exactly as the outbox pump would publish it (docs/protocol.md, "sneakernet"), so the centre checks the
/// file like MQTT traffic and duplicates with what already arrived are harmless. Written to a temporary file,
/// flushed to disk, then renamed: a stick pulled out early never holds half a file under the final name.</summary>
internal static class ExportCommand
{
    public const int BatchSize = 500;

    public static Command Build()
    {
        var config = new Option<string?>("--config") { Description = "配置文件 · configuration file (default /etc/kiosk/kiosk.json)" };
        var to = new Option<string>("--to") { Description = "导出文件 · output file, e.g. /media/usb/office-1-kiosk-1.jsonl", Required = true };
        var from = new Option<long>("--from-seq") { Description = "从此序号之后 · export events after this sequence (default: after the last acknowledged)", DefaultValueFactory = _ => -1 };
        var command = new Command("export", "导出签名考勤记录到U盘 · export the signed journal for the centre (sneakernet)");
        command.Options.Add(config);
        command.Options.Add(to);
        command.Options.Add(from);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = KioskHost.LoadOptions(parseResult.GetValue(config));
            var (batches, events, last) = await ExportAsync(options, parseResult.GetValue(to)!, parseResult.GetValue(from), cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exported {events} events in {batches} signed batches, up to sequence {last}"));
            return 0;
        });
        return command;
    }

    public static async Task<(int Batches, long Events, long LastSequence)> ExportAsync(KioskOptions options, string path, long afterSequence,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var journal = EventJournal.Open(options.Journal, NullLogger.Instance);
        using var identity = DeviceIdentity.LoadOrCreate(options.OfficeId, options.DeviceId, options.ResolvedSigningKeyFile);
        var after = afterSequence >= 0 ? afterSequence : journal.AckedThrough;
        var temporary = path + ".part";
        var batches = 0;
        long events = 0;
        var last = after;
        var buffer = new ArrayBufferWriter<byte>();
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            while (true)
            {
                // The same read and batch writer the outbox pump publishes with (ReadWireAfter + BatchPayload).
                var rows = journal.ReadWireAfter(last, BatchSize);
                if (rows.Count == 0)
                {
                    break;
                }

                var batchId = string.Create(CultureInfo.InvariantCulture, $"export-{rows[0].Sequence}-{rows[^1].Sequence}");
                buffer.ResetWrittenCount();
                BatchPayload.Sign(identity, batchId, rows, buffer);
                buffer.Write("\n"u8);
                await file.WriteAsync(buffer.WrittenMemory, cancellationToken);
                batches++;
                events += rows.Count;
                last = rows[^1].Sequence;
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        return (batches, events, last);
    }
}

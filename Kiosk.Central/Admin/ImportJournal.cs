using Kiosk.Sync.Centre;
using Kiosk.Sync.Contract;

namespace Kiosk.Central.Admin;

/// <summary>Sneakernet import (issue 6): a kiosk without network exports its journal to USB as JSON Lines, one signed
/// EventBatch per line (docs/protocol.md). Each line goes through the inbox's StoreRawAsync with no topic, so the
/// signature is verified exactly as for MQTT traffic and (device, sequence) duplicates with what already arrived
/// are harmless. A bad line is counted and reported; the remaining lines are still imported.</summary>
internal static class ImportJournal
{
    public sealed record Summary(int Batches, int Stored, int Duplicates, IReadOnlyList<string> Problems);

    public static async Task<Summary> RunAsync(string dbPath, TextReader file, CancellationToken ct)
    {
        var inbox = new InboxStore(dbPath, TimeProvider.System);
        int batches = 0, stored = 0, duplicates = 0, lineNumber = 0;
        var problems = new List<string>();
        while (await file.ReadLineAsync(ct) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            // The line's bytes go through the same single-pass reader and checks as MQTT traffic (StoreRawAsync with no
            // topic): a malformed line is recorded in the rejections like any other and reported here.
            var result = await inbox.StoreRawAsync(null, System.Text.Encoding.UTF8.GetBytes(line), ct);
            if (result.RejectReason == RejectReasons.Malformed)
            {
                problems.Add($"line {lineNumber}: not a signed event batch: {result.Detail}");
                continue;
            }

            batches++;
            stored += result.Stored;
            duplicates += result.Duplicates;
            if (result.Outcome == StoreOutcome.Rejected)
            {
                problems.Add($"line {lineNumber}: batch {result.BatchId} of {result.DeviceId} rejected: {result.RejectReason} {result.Detail}".TrimEnd());
            }
        }

        return new Summary(batches, stored, duplicates, problems);
    }
}

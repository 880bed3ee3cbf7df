using System.Globalization;
using Kiosk.Core.Events;
using Kiosk.Device.Clock;
using Kiosk.Device.Journal;
using Kiosk.Sync.Device;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Sync.Bench;

/// <summary>The kiosk's own journal (Kiosk.Device) as the bench's device side: the backlog is committed punch by punch
/// through EventJournal.AppendAsync, exactly as the door commits them, and drained through JournalOutbox. The sync
/// tests link this file too (tests/Kiosk.Sync.Tests: the broker tests on the product's journal).</summary>
internal static class DeviceJournal
{
    public static async Task<EventJournal> FillAsync(string path, string office, string device, int count, DateTimeOffset start)
    {
        var journal = EventJournal.Open(new JournalOptions(path, office, device), NullLogger.Instance);
        for (var i = 0; i < count; i++)
        {
            await PunchAsync(journal, i, start.AddSeconds(i));
        }

        return journal;
    }

    /// <summary>One card punch of one of 500 workers, committed (the fsync of synchronous=FULL included).</summary>
    public static Task<JournalEnvelope> PunchAsync(EventJournal journal, int n, DateTimeOffset at)
    {
        var worker = (n % 500).ToString("D3", CultureInfo.InvariantCulture);
        return journal.AppendAsync(new Punch("w" + worker, "00401" + worker, null, PunchMethod.Card, at),
            new ClockStamp(at, ClockQuality.Synchronised, "bench-boot", n), CancellationToken.None);
    }

    public static IOutbox Outbox(EventJournal journal) => new JournalOutbox(journal, TimeProvider.System, NullLogger<JournalOutbox>.Instance);
}

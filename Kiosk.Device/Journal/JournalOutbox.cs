using Kiosk.Core.Events;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Device;

namespace Kiosk.Device.Journal;

/// <summary>The journal seen by the sync helper's outbox pump (Kiosk.Sync IOutbox). Reading marks rows as
/// sent (attempts + 1) so the device status can show how often a row was tried; only the centre's
/// application acknowledgement marks rows acked (architecture decision 3).</summary>
internal sealed class JournalOutbox : IOutbox
{
    private readonly EventJournal journal;
    private readonly TimeProvider time;

    public JournalOutbox(EventJournal journal, TimeProvider time)
    {
        this.journal = journal;
        this.time = time;
    }

    public async Task<IReadOnlyList<WireEnvelope>> ReadWireAfterAsync(long afterSequence, int max, CancellationToken ct)
    {
        var rows = journal.ReadWireAfter(afterSequence, max);
        if (rows.Count == 0)
        {
            return [];
        }

        await journal.MarkSentAsync(rows[0].Sequence, rows[^1].Sequence, time.GetUtcNow(), ct);
        return rows;
    }

    public Task<long> GetAcknowledgedAsync(CancellationToken ct) => Task.FromResult(journal.AckedThrough);

    public async Task MarkAcknowledgedAsync(long upToSequence, CancellationToken ct)
    {
        if (upToSequence <= journal.AckedThrough)
        {
            return;
        }

        await journal.AcknowledgeAsync(Math.Min(upToSequence, journal.Head.Sequence), time.GetUtcNow(), ct);
    }

    public Task<OutboxStats> GetStatsAsync(CancellationToken ct)
    {
        var head = journal.Head;
        var acked = journal.AckedThrough;
        var oldest = journal.ReadAfter(acked, 1).FirstOrDefault()?.At;
        return Task.FromResult(new OutboxStats(head.Sequence, head.LastAt, acked, oldest));
    }
}

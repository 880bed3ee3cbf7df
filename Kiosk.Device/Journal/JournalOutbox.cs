using Kiosk.Sync.Contract;
using Kiosk.Sync.Device;

namespace Kiosk.Device.Journal;

/// <summary>The journal seen by the sync helper's outbox pump (Kiosk.Sync IOutbox). Reading marks rows as
/// sent (attempts + 1) so the device status can show how often a row was tried; only the centre's
/// application acknowledgement marks rows acked (architecture decision 3).</summary>
/// <remarks>The bookkeeping is written in batches: while a backlog drains, the pump sends a batch and receives an ack
/// every few milliseconds, and one transaction (one fsync, several ms on an SD card) for each of them was most of the
/// drain's time. Attempts and acks are kept here and written together, in one transaction, once the pump has caught
/// up with the journal, once 2,000 more events are acknowledged, or once a second has passed. Losing the unwritten part
/// in a power cut is harmless: the pump then resends from the last written ack and the centre keeps each event once;
/// pruning only ever looks at what was written.</remarks>
internal sealed class JournalOutbox : IOutbox
{
    /// <summary>Newly acknowledged events that force a write even mid-drain.</summary>
    private const int AckWriteEvery = 2_000;

    private static readonly TimeSpan WriteAtLeastEvery = TimeSpan.FromSeconds(1);

    private readonly EventJournal journal;
    private readonly TimeProvider time;
    private readonly List<(long From, long To)> sentNotWritten = [];
    private long ackNotWritten;
    private long pendingSince = -1;

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

        sentNotWritten.Add((rows[0].Sequence, rows[^1].Sequence));
        NotePending();
        if (Due)
        {
            await WriteAsync(ct);
        }

        return rows;
    }

    public Task<long> GetAcknowledgedAsync(CancellationToken ct) => Task.FromResult(Acknowledged);

    public async Task MarkAcknowledgedAsync(long upToSequence, CancellationToken ct)
    {
        var head = journal.Head.Sequence;
        var upTo = Math.Min(upToSequence, head);
        if (upTo <= Acknowledged)
        {
            return;
        }

        ackNotWritten = upTo;
        NotePending();
        if (upTo >= head || upTo - journal.AckedThrough >= AckWriteEvery || Due)
        {
            await WriteAsync(ct);
        }
    }

    public Task<OutboxStats> GetStatsAsync(CancellationToken ct)
    {
        var head = journal.Head;
        var acked = Acknowledged;
        var oldest = journal.ReadAfter(acked, 1).FirstOrDefault()?.At;
        return Task.FromResult(new OutboxStats(head.Sequence, acked, oldest));
    }

    public async Task FlushAsync(bool evenIfRecent, CancellationToken ct)
    {
        if (evenIfRecent || Due)
        {
            await WriteAsync(ct);
        }
    }

    /// <summary>The pump's view: what the centre acknowledged, written or not yet.</summary>
    private long Acknowledged => Math.Max(journal.AckedThrough, ackNotWritten);

    /// <summary>Something unwritten has waited at least <see cref="WriteAtLeastEvery"/>.</summary>
    private bool Due => pendingSince >= 0 && time.GetElapsedTime(pendingSince) >= WriteAtLeastEvery;

    private void NotePending()
    {
        if (pendingSince < 0)
        {
            pendingSince = time.GetTimestamp();
        }
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        var ack = ackNotWritten > journal.AckedThrough ? ackNotWritten : (long?)null;
        if (sentNotWritten.Count > 0 || ack is not null)
        {
            await journal.RecordDeliveryAsync(sentNotWritten, ack, time.GetUtcNow(), ct);
            sentNotWritten.Clear();
        }

        pendingSince = -1;
    }
}

using Kiosk.Sync.Contract;
using Kiosk.Sync.Device;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Journal;

/// <summary>The journal seen by the sync helper's outbox pump (Kiosk.Sync IOutbox). Reading marks rows as
/// sent (attempts + 1) so the device status can show how often a row was tried; only the centre's
/// application acknowledgement marks rows acked (architecture decision 3).</summary>
/// <remarks>
/// <para>The bookkeeping is written in batches: while a backlog drains, the pump sends a batch and receives an ack
/// every few milliseconds, and one transaction (one fsync, several ms on an SD card) for each of them was most of the
/// drain's time. Attempts and acks are kept here and written together, in one transaction, once the pump has caught
/// up with the journal, once 2,000 more events are acknowledged, or once a second has passed. Losing the unwritten part
/// in a power cut is harmless: the pump then resends from the last written ack and the centre keeps each event once;
/// pruning only ever looks at what was written.</para>
/// <para>For the same reason a failed write (SD card full, I/O error) never stops delivery. It is logged (the first
/// failure of a run of them as a warning, the repeats at debug level so a full card is not also flooded with log lines),
/// everything stays kept here, and it is tried again once per second, at the next due write: not at every ack, which
/// during a drain would be a retry every few ms. <see cref="ReadWireAfterAsync"/> still returns its rows and
/// <see cref="MarkAcknowledgedAsync"/> and the periodic <see cref="FlushAsync"/> return normally, so the pump keeps
/// sending. The pump's view of the ack (<see cref="GetAcknowledgedAsync"/>) may then run ahead of the file, as it
/// already does between writes; <see cref="EventJournal.AckedThrough"/>, which pruning uses, moves only after a commit.
/// A forced flush (<c>evenIfRecent</c>, the pump stopping) does the same: the failure is logged here, once, and the next
/// run resends from the last written ack. Cancellation is never swallowed.</para>
/// </remarks>
internal sealed class JournalOutbox : IOutbox
{
    /// <summary>Newly acknowledged events that force a write even mid-drain.</summary>
    private const int AckWriteEvery = 2_000;

    private static readonly TimeSpan WriteAtLeastEvery = TimeSpan.FromSeconds(1);

    private readonly EventJournal journal;
    private readonly TimeProvider time;
    private readonly ILogger<JournalOutbox> log;
    private readonly List<(long From, long To)> sentNotWritten = [];
    private long ackNotWritten;
    private long pendingSince = -1;

    /// <summary>Writes failed in a row; while above 0 only the due period retries.</summary>
    private int failedWrites;

    public JournalOutbox(EventJournal journal, TimeProvider time, ILogger<JournalOutbox> log)
    {
        this.journal = journal;
        this.time = time;
        this.log = log;
    }

    public async Task<IReadOnlyList<WireEnvelope>> ReadWireAfterAsync(long afterSequence, int max, CancellationToken ct)
    {
        var rows = journal.ReadWireAfter(afterSequence, max);
        if (rows.Count == 0)
        {
            return [];
        }

        NoteSent(rows[0].Sequence, rows[^1].Sequence);
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
        // After a failed write the file stays behind, so "2,000 more acked" would hold at every ack of the drain:
        // only the due period retries then.
        var writeNow = failedWrites == 0 && (upTo >= head || upTo - journal.AckedThrough >= AckWriteEvery);
        if (writeNow || Due)
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

    /// <summary>Keeps a sent range; one that continues the last is merged into it (the same rows get the same one
    /// attempt), so a drain, or an outage of the card, keeps one range rather than one per batch.</summary>
    private void NoteSent(long from, long to)
    {
        if (sentNotWritten.Count > 0 && sentNotWritten[^1].To + 1 == from)
        {
            sentNotWritten[^1] = (sentNotWritten[^1].From, to);
        }
        else
        {
            sentNotWritten.Add((from, to));
        }
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        var ack = ackNotWritten > journal.AckedThrough ? ackNotWritten : (long?)null;
        if (sentNotWritten.Count > 0 || ack is not null)
        {
            try
            {
                await journal.RecordDeliveryAsync(sentNotWritten, ack, time.GetUtcNow(), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Kept as it is; the next try is one period from now (Due), not the next ack.
                pendingSince = time.GetTimestamp();
                LogFailure(ex, ack);
                return;
            }

            sentNotWritten.Clear();
            if (failedWrites > 0)
            {
                log.LogInformation("Delivery bookkeeping written again (ack {Ack}) after {Failures} failed attempts",
                    journal.AckedThrough, failedWrites);
                failedWrites = 0;
            }
        }

        pendingSince = -1;
    }

    private void LogFailure(Exception ex, long? ack)
    {
        failedWrites++;
        var level = failedWrites == 1 ? LogLevel.Warning : LogLevel.Debug;
        if (!log.IsEnabled(level))
        {
            return;
        }

        var first = sentNotWritten.Count > 0 ? sentNotWritten.Min(r => r.From) : 0;
        var last = sentNotWritten.Count > 0 ? sentNotWritten.Max(r => r.To) : 0;
        log.Log(level, ex,
            "Could not write the delivery bookkeeping ({Ranges} sent ranges within {From}..{To}, ack {Ack}, written ack {Written}; failure {Failures} in a row); kept in memory and retried in {Retry}, delivery continues",
            sentNotWritten.Count, first, last, ack, journal.AckedThrough, failedWrites, WriteAtLeastEvery);
    }
}

using Kiosk.Core.Events;

namespace Kiosk.Core.Verdicts;

/// <summary>Architecture decision 6 / issue 4 "Clock guard": a punch taken while the wall clock was untrusted is
/// corrected, once the clock becomes trusted on the same boot, by a later ClockCorrection event (never by
/// rewriting the row). A ClockCorrection from device D with BootId B and sequences [From, To] adds Offset to every
/// Untrusted punch journalled by D on boot B with a sequence in that range. If several corrections cover a row,
/// the one journalled last (highest sequence) wins. Trusted rows are never shifted.</summary>
public sealed class ClockCorrectionRule
{
    private readonly Dictionary<(string Device, string Boot), List<(long From, long To, long Seq, TimeSpan Offset)>> _byBoot = new();

    public ClockCorrectionRule(IEnumerable<JournalEnvelope> envelopes)
    {
        ArgumentNullException.ThrowIfNull(envelopes);
        foreach (var e in envelopes)
        {
            if (e.Event is ClockCorrection c)
            {
                var key = (e.DeviceId, c.BootId);
                if (!_byBoot.TryGetValue(key, out var list))
                {
                    list = [];
                    _byBoot[key] = list;
                }

                list.Add((c.FromSequence, c.ToSequence, e.Sequence, c.Offset));
            }
        }
    }

    /// <summary>The punch of this envelope as the rules see it.</summary>
    public PunchRecord Apply(JournalEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Event is not Punch punch)
        {
            throw new ArgumentException("Only punch rows carry a punch time", nameof(envelope));
        }

        if (envelope.Clock != ClockQuality.Untrusted || !_byBoot.TryGetValue((envelope.DeviceId, envelope.BootId), out var list))
        {
            return new PunchRecord(punch.At, envelope.Clock);
        }

        long bestSeq = -1;
        var offset = TimeSpan.Zero;
        foreach (var (from, to, seq, off) in list)
        {
            if (envelope.Sequence >= from && envelope.Sequence <= to && seq > bestSeq)
            {
                bestSeq = seq;
                offset = off;
            }
        }

        return bestSeq < 0
            ? new PunchRecord(punch.At, ClockQuality.Untrusted)
            : new PunchRecord(punch.At + offset, ClockQuality.Untrusted, Corrected: true);
    }
}

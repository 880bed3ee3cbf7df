using System.Globalization;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Core.Schedule;
using Kiosk.Device.Clock;
using Kiosk.Device.Devices;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Punching;

/// <summary>The use cases at the door once identification is done (issue 4, "Punch flow"): a known worker's
/// punch, an unknown card, a finger that was not recognised. Each one is committed to the journal BEFORE the
/// screen and the buzzer say anything (architecture decision 2), and every attempt is journalled, duplicates
/// included: the rules decide what a punch means, the journal only records that it happened.</summary>
internal sealed class PunchRecorder
{
    public const string UnknownCardText = "未登记的卡";
    public const string FingerNotRecognisedText = "指纹未识别，请重试";
    public const string ClockUntrustedText = "时钟未校准";

    private readonly KioskContext kiosk;

    public PunchRecorder(KioskContext kiosk) => this.kiosk = kiosk;

    public async Task<Screen> RecordPunchAsync(Worker worker, string? badgeId, int? slot, PunchMethod method, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        var stamp = kiosk.Clock.Stamp();
        var office = kiosk.Office; // one configuration for the whole punch, even if a new one arrives meanwhile
        var date = KioskContext.DateOf(stamp.Local);
        if (!worker.IsEmployedOn(date))
        {
            // Someone no longer (or not yet) employed: refused, and kept for the audit as what was shown at the door.
            return badgeId is not null
                ? await RecordUnknownCardAsync(badgeId, "卡已停用", cancellationToken, stamp)
                : await RecordFingerNotRecognisedAsync(null, worker, new FingerMatch(FingerStatus.Ok, slot ?? -1, 0, "not employed"),
                    cancellationToken, stamp);
        }

        var classification = kiosk.ClassifierFor(office).Classify(stamp.Local, kiosk.Today.For(worker.Id, date), office.Calendar);
        var envelope = await kiosk.Journal.AppendAsync(new Punch(worker.Id, badgeId, slot, method, stamp.Local), stamp, cancellationToken);
        kiosk.Today.Add(worker.Id, stamp.Local);

        var outcome = classification.Outcome;
        if (outcome == PunchOutcome.Duplicate)
        {
            PunchLog.Duplicate(kiosk.Log, worker.Id, stamp.Local, classification.DuplicateOf, envelope.Sequence);
        }
        else
        {
            PunchLog.Punched(kiosk.Log, envelope.Sequence, worker.Id, method, stamp.Local, outcome, classification.Minutes, stamp.Quality);
        }

        if (outcome is PunchOutcome.OnTime or PunchOutcome.Late or PunchOutcome.SeriouslyLate or PunchOutcome.LateCountsAsHalfDayAbsence or PunchOutcome.EarlyLeave)
        {
            kiosk.Devices.Signal.Success();
        }
        else
        {
            kiosk.Devices.Signal.Attention();
        }

        var footer = !stamp.Trusted ? ClockUntrustedText
            : office.Calendar.KindOf(date) == Core.Calendar.DayKind.Unknown ? "日历未知"
            : null;
        return ScreenText.Fit(worker.Name + " " + ScreenText.Hm(stamp.Local), classification.ToDisplayText(), footer);
    }

    public async Task<Screen> RecordUnknownCardAsync(string badgeId, string text, CancellationToken cancellationToken,
        ClockStamp? stamp = null)
    {
        stamp ??= kiosk.Clock.Stamp();
        var envelope = await kiosk.Journal.AppendAsync(new UnknownCard(badgeId, stamp.Local), stamp, cancellationToken);
        PunchLog.UnknownCard(kiosk.Log, badgeId, kiosk.Options.OfficeId, kiosk.Office.Roster.Version, envelope.Sequence);
        kiosk.Devices.Signal.Refusal();
        return ScreenText.Fit(text, badgeId, stamp.Trusted ? null : ClockUntrustedText);
    }

    public async Task<Screen> RecordFingerNotRecognisedAsync(string? badgeId, Worker? claimed, FingerMatch match, CancellationToken cancellationToken,
        ClockStamp? stamp = null)
    {
        stamp ??= kiosk.Clock.Stamp();
        var envelope = await kiosk.Journal.AppendAsync(new FingerNotRecognised(badgeId, claimed?.Id, stamp.Local), stamp, cancellationToken);
        PunchLog.FingerNotRecognised(kiosk.Log, badgeId, claimed?.Id, match.Status, match.Score, envelope.Sequence);
        kiosk.Devices.Signal.Refusal();
        return ScreenText.Fit(FingerNotRecognisedText, claimed?.Name);
    }

    internal static string Describe(FingerStatus status) => status switch
    {
        FingerStatus.NoFinger or FingerStatus.Timeout => "未检测到手指",
        FingerStatus.CaptureFailed or FingerStatus.TooFewFeatures => "指纹不清，请重试",
        _ => "指纹模块故障 " + ((int)status).ToString(CultureInfo.InvariantCulture),
    };
}

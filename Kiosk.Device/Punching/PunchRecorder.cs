using System.Globalization;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Core.Schedule;
using Kiosk.Device.Clock;
using Kiosk.Device.Devices;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Punching;

/// <summary>The use cases at the door once identification is done (issue 4, "Punch flow"): a known worker's
/// punch, a worker on the roster who is not employed that day, an unknown card, a finger that was not recognised.
/// Each one is committed to the journal BEFORE the screen and the buzzer say anything (architecture decision 2), and
/// every attempt is journalled, duplicates included: the rules decide what a punch means, the journal only records
/// that it happened.</summary>
internal sealed class PunchRecorder
{
    private const string UnknownCardText = "未登记的卡";
    public const string FingerNotRecognisedText = "指纹未识别，请重试";
    public const string ClockUntrustedText = "时钟未校准";
    public const string DisabledText = "已停用";

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
            return await RecordRefusedAsync(worker, badgeId, slot, stamp, cancellationToken);
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

    /// <summary>Someone on the roster who may not sign in on the stamp's date (attendance-policy.md, "Who is
    /// involved": attendance exists only while employed; <see cref="Worker.IsEmployedOn"/>): refused at the door.
    /// No new event kind (the wire contract stays): the attempt is kept for the audit as what was presented, a card
    /// as <see cref="UnknownCard"/>, a finger as <see cref="FingerNotRecognised"/> naming the worker; no punch,
    /// and no retry prompt, since presenting again can never succeed.</summary>
    public async Task<Screen> RecordRefusedAsync(Worker worker, string? badgeId, int? slot, ClockStamp stamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(stamp);
        var date = KioskContext.DateOf(stamp.Local);
        var reason = date < worker.EmployedFrom
            ? "employed only from " + worker.EmployedFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : "employment ended " + worker.EmployedTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        AttendanceEvent refused = badgeId is not null
            ? new UnknownCard(badgeId, stamp.Local)
            : new FingerNotRecognised(null, worker.Id, stamp.Local);
        var envelope = await kiosk.Journal.AppendAsync(refused, stamp, cancellationToken);
        PunchLog.Refused(kiosk.Log, worker.Id, badgeId, slot, reason, EventKinds.Of(refused), envelope.Sequence);
        kiosk.Devices.Signal.Refusal();
        // One word for "may not sign in" whether employment ended or has not begun (the log says which): 已停用 is
        // drawn from ui-chars.txt, the embedded font subset (Devices/Text/README.md). A card shows its number (as for
        // an unknown card) so the secretary can find it; a finger shows whose it is.
        var footer = stamp.Trusted ? null : ClockUntrustedText;
        return badgeId is not null
            ? ScreenText.Fit("卡" + DisabledText, badgeId, footer)
            : ScreenText.Fit(worker.Name, DisabledText, footer);
    }

    public async Task<Screen> RecordUnknownCardAsync(string badgeId, CancellationToken cancellationToken)
    {
        var stamp = kiosk.Clock.Stamp();
        var envelope = await kiosk.Journal.AppendAsync(new UnknownCard(badgeId, stamp.Local), stamp, cancellationToken);
        PunchLog.UnknownCard(kiosk.Log, badgeId, kiosk.Options.OfficeId, kiosk.Office.Roster.Version, envelope.Sequence);
        kiosk.Devices.Signal.Refusal();
        return ScreenText.Fit(UnknownCardText, badgeId, stamp.Trusted ? null : ClockUntrustedText);
    }

    public async Task<Screen> RecordFingerNotRecognisedAsync(string? badgeId, Worker? claimed, FingerMatch match, CancellationToken cancellationToken)
    {
        var stamp = kiosk.Clock.Stamp();
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

using System.Text.Json.Serialization;
using Kiosk.Core.Calendar;
using Kiosk.Core.Events;

namespace Kiosk.Core.Verdicts;

/// <summary>The verdict for one worker × date × session (issue 2 §4). Kind is the sign-in's verdict; SignOut is
/// the sign-out's (measured only where the office configured sign-outs and the worker was present).
/// LateMinutes is kept whenever a late punch exists, even if an excuse or leave covered it, so a report can say why.</summary>
public sealed record SessionVerdict(
    string WorkerId,
    DateOnly Date,
    Session Session,
    VerdictKind Kind,
    DayKind Day,
    int LateMinutes = 0,
    TimeOnly? SignInAt = null,
    SignOutOutcome SignOut = SignOutOutcome.NotMeasured,
    int EarlyLeaveMinutes = 0,
    TimeOnly? SignOutAt = null,
    ExcuseReason? ExcuseReason = null,
    string? ExcusedBy = null,
    LeaveType? LeaveType = null,
    string? LeaveId = null,
    NotRequiredReason NotRequired = NotRequiredReason.None,
    int OffPostFindings = 0,
    int Duplicates = 0,
    VerdictNotes Notes = VerdictNotes.None)
{
    /// <summary>Whether the worker had to be at work this session (the report's 应出勤 counts these).</summary>
    public bool Required => Kind is not (VerdictKind.NotRequired or VerdictKind.CalendarUnknown);
}

[JsonConverter(typeof(JsonStringEnumConverter<VerdictKind>))]
public enum VerdictKind
{
    OnTime,
    Late,
    SeriouslyLate,

    /// <summary>旷工 half a day: no sign-in and nothing covers it, or late beyond the half-day threshold.</summary>
    AbsentHalfDay,

    /// <summary>The attendance officer marked a reason (由考勤负责人标明原因).</summary>
    Excused,
    OnLeave,

    /// <summary>An approved temporary outing (≤ 2 h) covers the sign-in point.</summary>
    OnOuting,

    /// <summary>Only requested leave covers the session: neither 旷工 nor covered until the centre decides.</summary>
    PendingLeave,

    /// <summary>Holiday, weekend, or not employed on the date.</summary>
    NotRequired,

    /// <summary>The office's data is not complete up to this session (architecture decision 4).</summary>
    Pending,

    /// <summary>No calendar for the year: an explicit state, never a guess.</summary>
    CalendarUnknown,

    /// <summary>The counted sign-in was taken on an untrusted clock and never corrected (decision 6): shown for review, not scored.</summary>
    ClockUnverified,
}

[JsonConverter(typeof(JsonStringEnumConverter<SignOutOutcome>))]
public enum SignOutOutcome { NotMeasured, OnTime, EarlyLeave, Missing, Pending, CoveredByOuting, ClockUnverified }

[JsonConverter(typeof(JsonStringEnumConverter<NotRequiredReason>))]
public enum NotRequiredReason { None, Weekend, Holiday, NotEmployed }

/// <summary>Things a report should show next to the verdict.</summary>
[Flags]
public enum VerdictNotes
{
    None = 0,

    /// <summary>An excuse marked by the worker themselves was ignored (policy: nobody excuses their own absence).</summary>
    SelfExcuseIgnored = 1,

    /// <summary>An outing approved by the worker themselves was ignored.</summary>
    SelfApprovedOutingIgnored = 2,

    /// <summary>An outing longer than the settings' maximum was ignored: that needs leave.</summary>
    OutingTooLongIgnored = 4,

    /// <summary>A punch used here was taken on an untrusted clock and corrected by a ClockCorrection event.</summary>
    ClockCorrected = 8,

    /// <summary>The worker punched a sign-out but never signed in (policy: nobody skips the sign-in).</summary>
    SignOutWithoutSignIn = 16,

    /// <summary>Requested (not yet approved) leave also touches this session.</summary>
    LeaveRequested = 32,
}

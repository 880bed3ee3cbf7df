using System.Text.Json.Serialization;
using Kiosk.Core.Events;
using Kiosk.Core.Settings;

namespace Kiosk.Core.Schedule;

/// <summary>The four points of a day. Sign-outs exist only where the office measures early leave.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PunchPoint>))]
public enum PunchPoint { MorningSignIn = 0, MorningSignOut = 1, AfternoonSignIn = 2, AfternoonSignOut = 3 }

/// <summary>A validated <see cref="ScheduleSettings"/> turned into minutes of the day, so the hot paths
/// (door feedback, a month for 10,000 workers) compare integers. Policy, "Working time and sign-in": two sign-ins
/// a day at 08:00 and 13:00, office hours 08:00–11:30 and 13:00–16:30 (defaults; staggered hours = other values).</summary>
public sealed class OfficeSchedule
{
    private readonly int[] _point = new int[4];
    private readonly int[] _open = new int[4];
    private readonly int[] _close = new int[4];

    public OfficeSchedule(ScheduleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Set(PunchPoint.MorningSignIn, settings.Morning.SignIn, settings.Morning.SignInWindow);
        Set(PunchPoint.MorningSignOut, settings.Morning.SignOut, settings.Morning.SignOutWindow);
        Set(PunchPoint.AfternoonSignIn, settings.Afternoon.SignIn, settings.Afternoon.SignInWindow);
        Set(PunchPoint.AfternoonSignOut, settings.Afternoon.SignOut, settings.Afternoon.SignOutWindow);
        SignOuts = settings.SignOutsRequired;
        Grace = settings.GraceMinutes;
        SeriouslyLate = settings.SeriouslyLateMinutes;
        HalfDayAbsence = settings.HalfDayAbsenceLateMinutes;
    }

    public bool SignOuts { get; }

    public int Grace { get; }

    public int SeriouslyLate { get; }

    public int HalfDayAbsence { get; }

    public static PunchPoint SignInOf(Session session) => session == Session.Morning ? PunchPoint.MorningSignIn : PunchPoint.AfternoonSignIn;

    public static PunchPoint SignOutOf(Session session) => session == Session.Morning ? PunchPoint.MorningSignOut : PunchPoint.AfternoonSignOut;

    public static Session SessionOf(PunchPoint point) => point is PunchPoint.MorningSignIn or PunchPoint.MorningSignOut ? Session.Morning : Session.Afternoon;

    public static bool IsSignIn(PunchPoint point) => point is PunchPoint.MorningSignIn or PunchPoint.AfternoonSignIn;

    /// <summary>The point's minute of the day (08:00 → 480).</summary>
    public int PointMinute(PunchPoint point) => _point[(int)point];

    public TimeOnly PointTime(PunchPoint point) => TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(_point[(int)point]));

    /// <summary>Whether the point is in use: sign-ins always, sign-outs only when the office measures them.</summary>
    public bool IsActive(PunchPoint point) => IsSignIn(point) || SignOuts;

    /// <summary>Window [open, close) in minutes of the day.</summary>
    public bool InWindow(PunchPoint point, int minute) => IsActive(point) && minute >= _open[(int)point] && minute < _close[(int)point];

    public int WindowClose(PunchPoint point) => _close[(int)point];

    private void Set(PunchPoint p, TimeOnly point, WindowSettings window)
    {
        var m = MinuteRule.MinuteOfDay(point);
        _point[(int)p] = m;
        _open[(int)p] = m - window.OpensMinutesBefore;
        _close[(int)p] = m + window.ClosesMinutesAfter;
    }
}

using System.Globalization;
using System.Text.Json.Serialization;
using Kiosk.Core.Calendar;
using Kiosk.Core.Events;
using Kiosk.Core.Settings;

namespace Kiosk.Core.Schedule;

/// <summary>What the kiosk tells a worker at the door, instantly and offline (issue 4, "Punch flow").
/// It applies the same placement and minute rule as the verdicts, so the screen and the month's report agree.</summary>
public sealed class PunchClassifier
{
    private readonly TimeSpan _offset;

    public PunchClassifier(RulesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _offset = settings.UtcOffset;
        Schedule = new OfficeSchedule(settings.Schedule);
    }

    public OfficeSchedule Schedule { get; }

    /// <summary>Classifies the punch at <paramref name="at"/> given the punches the same worker already made
    /// (any dates: only those on the same office-local date matter; order does not matter).</summary>
    public PunchClassification Classify(DateTimeOffset at, IReadOnlyList<DateTimeOffset> earlierPunches, WorkCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(earlierPunches);
        ArgumentNullException.ThrowIfNull(calendar);
        var (date, minute) = MinuteRule.Local(at, _offset);
        var localTime = TimeOnly.FromDateTime(at.ToOffset(_offset).DateTime);
        var day = calendar.KindOf(date);

        // Replay the day in time order with the new punch in it (ties: earlier punches first).
        var sameDay = new List<(DateTimeOffset At, int Minute, bool IsNew)>(earlierPunches.Count + 1);
        foreach (var p in earlierPunches)
        {
            var (d, m) = MinuteRule.Local(p, _offset);
            if (d == date)
            {
                sameDay.Add((p, m, false));
            }
        }

        sameDay.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.IsNew.CompareTo(b.IsNew));
        var insertAt = sameDay.FindIndex(x => x.At > at);
        sameDay.Insert(insertAt < 0 ? sameDay.Count : insertAt, (at, minute, true));

        Span<int> counted = [-1, -1, -1, -1];
        Span<int> countedMinute = [0, 0, 0, 0];
        var placement = Placement.Outside;
        for (var i = 0; i < sameDay.Count; i++)
        {
            var placed = PunchPlacement.Place(Schedule, sameDay[i].Minute, i, counted, countedMinute);
            if (sameDay[i].IsNew)
            {
                placement = placed;
            }
        }

        if (!day.IsWorkday() && day != DayKind.Unknown)
        {
            // Issue 4: a day that is not a workday still records the punch and says so.
            return new PunchClassification(date, localTime, day, calendar.NameOf(date), null, PunchOutcome.NotAWorkday, 0, null);
        }

        if (placement.Point < 0)
        {
            return new PunchClassification(date, localTime, day, null, null, PunchOutcome.OutsideWindows, 0, null);
        }

        var point = (PunchPoint)placement.Point;
        if (!placement.Counted)
        {
            var first = sameDay[counted[placement.Point]].At;
            var firstTime = TimeOnly.FromDateTime(first.ToOffset(_offset).DateTime);
            return new PunchClassification(date, localTime, day, null, point, PunchOutcome.Duplicate, 0, firstTime);
        }

        var (outcome, minutes) = Judge(Schedule, point, minute);
        return new PunchClassification(date, localTime, day, null, point, outcome, minutes, null);
    }

    /// <summary>The next sign-in point strictly after the current minute on a workday, for the idle screen;
    /// null when the calendar does not know the days ahead (the screen then says the calendar is unknown).</summary>
    public NextSignIn? NextSignIn(DateTimeOffset now, WorkCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var (date, minute) = MinuteRule.Local(now, _offset);
        var kind = calendar.KindOf(date);
        if (kind == DayKind.Unknown)
        {
            return null;
        }

        if (kind.IsWorkday())
        {
            foreach (var session in new[] { Session.Morning, Session.Afternoon })
            {
                var p = OfficeSchedule.SignInOf(session);
                if (Schedule.PointMinute(p) > minute)
                {
                    return new NextSignIn(date, session, Schedule.PointTime(p));
                }
            }
        }

        var next = calendar.NextWorkday(date);
        return next is null ? null : new NextSignIn(next.Value, Session.Morning, Schedule.PointTime(PunchPoint.MorningSignIn));
    }

    /// <summary>Policy, "Definitions": 迟到 = not at post at the sign-in point; 早退 = leaving before the end of
    /// office hours. Lateness counts whole minutes after the point (minute rule); within the grace it is on
    /// time, but the minutes reported are always counted from the point itself.</summary>
    internal static (PunchOutcome Outcome, int Minutes) Judge(OfficeSchedule s, PunchPoint point, int minute)
    {
        if (OfficeSchedule.IsSignIn(point))
        {
            var late = minute - s.PointMinute(point);
            if (late <= s.Grace)
            {
                return (PunchOutcome.OnTime, 0);
            }

            if (late >= s.HalfDayAbsence)
            {
                return (PunchOutcome.LateCountsAsHalfDayAbsence, late);
            }

            return (late >= s.SeriouslyLate ? PunchOutcome.SeriouslyLate : PunchOutcome.Late, late);
        }

        var early = s.PointMinute(point) - minute;
        return early <= s.Grace ? (PunchOutcome.OnTime, 0) : (PunchOutcome.EarlyLeave, early);
    }
}

[JsonConverter(typeof(JsonStringEnumConverter<PunchOutcome>))]
public enum PunchOutcome
{
    OnTime,
    Late,
    SeriouslyLate,

    /// <summary>Late by at least the half-day threshold: scored as half a day of 旷工.</summary>
    LateCountsAsHalfDayAbsence,
    EarlyLeave,

    /// <summary>A later punch in a window whose point is already taken: kept, changes nothing.</summary>
    Duplicate,
    OutsideWindows,
    NotAWorkday,
}

/// <summary>Door feedback for one punch. Minutes: late or early minutes. DuplicateOf: the time of the punch
/// that counted. HolidayName: set on statutory holidays.</summary>
public sealed record PunchClassification(
    DateOnly Date,
    TimeOnly LocalTime,
    DayKind Day,
    string? HolidayName,
    PunchPoint? Point,
    PunchOutcome Outcome,
    int Minutes,
    TimeOnly? DuplicateOf)
{
    /// <summary>Chinese text for the second line of the screen (issue 4: "上午签到 迟到2分钟", "已签到 07:58").</summary>
    public string ToDisplayText()
    {
        var what = Point switch
        {
            PunchPoint.MorningSignIn => "上午签到",
            PunchPoint.AfternoonSignIn => "下午签到",
            PunchPoint.MorningSignOut => "上午签退",
            PunchPoint.AfternoonSignOut => "下午签退",
            _ => string.Empty,
        };
        var inv = CultureInfo.InvariantCulture;
        return Outcome switch
        {
            PunchOutcome.OnTime => what + " 准时",
            PunchOutcome.Late => string.Create(inv, $"{what} 迟到{Minutes}分钟"),
            PunchOutcome.SeriouslyLate => string.Create(inv, $"{what} 严重迟到{Minutes}分钟"),
            PunchOutcome.LateCountsAsHalfDayAbsence => string.Create(inv, $"迟到{Minutes}分钟 计旷工半天"),
            PunchOutcome.EarlyLeave => string.Create(inv, $"{what} 早退{Minutes}分钟"),
            PunchOutcome.Duplicate => (Point is { } p && OfficeSchedule.IsSignIn(p) ? "已签到 " : "已签退 ")
                + DuplicateOf?.ToString("HH:mm", inv),
            PunchOutcome.NotAWorkday => HolidayName is null ? "今天非工作日" : HolidayName + " 非工作日",
            _ => "不在签到时间",
        };
    }
}

/// <summary>The next sign-in point for the idle screen.</summary>
public sealed record NextSignIn(DateOnly Date, Session Session, TimeOnly At);

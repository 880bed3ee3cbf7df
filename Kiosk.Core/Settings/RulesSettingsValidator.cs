using System.Globalization;
using Kiosk.Core.Schedule;

namespace Kiosk.Core.Settings;

/// <summary>Rejects nonsense in a settings document with one message per problem, each naming the field by its
/// JSON path ("schedule.morning.signIn: ..."), so the centre's operator sees what to fix before pushing.</summary>
public static class RulesSettingsValidator
{
    public static IReadOnlyList<string> Validate(RulesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(settings.Version))
        {
            errors.Add("version: must not be empty (the kiosk reports which version it runs)");
        }

        if (settings.UtcOffsetMinutes is < -720 or > 840)
        {
            errors.Add(Msg("utcOffsetMinutes", "must be between -720 and 840, got {0}", settings.UtcOffsetMinutes));
        }

        if (settings.Schedule is null)
        {
            errors.Add("schedule: required");
        }
        else
        {
            ValidateSchedule(settings.Schedule, errors);
        }

        ValidateDeductions(settings.Deductions, errors);
        ValidateScore(settings.Score, errors);
        ValidateYear(settings.Year, errors);
        ValidateLadder(settings.LeaveLadder, errors);
        if (settings.OutingMaxMinutes is < 1 or > 1440)
        {
            errors.Add(Msg("outingMaxMinutes", "must be between 1 and 1440, got {0}", settings.OutingMaxMinutes));
        }

        return errors;
    }

    private static void ValidateSchedule(ScheduleSettings s, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(s.Name))
        {
            errors.Add("schedule.name: must not be empty");
        }

        var morningOk = ValidateSession("schedule.morning", s.Morning, errors);
        var afternoonOk = ValidateSession("schedule.afternoon", s.Afternoon, errors);
        if (morningOk && afternoonOk)
        {
            if (s.Morning.End > s.Afternoon.Start)
            {
                errors.Add(Msg("schedule.afternoon.start", "{0} is before the end of the morning ({1})", s.Afternoon.Start, s.Morning.End));
            }

            // A punch must belong to one session only, or "the first punch in a window counts" is ambiguous.
            var morningClose = Math.Max(Close(s.Morning.SignIn, s.Morning.SignInWindow), s.SignOutsRequired ? Close(s.Morning.SignOut, s.Morning.SignOutWindow) : 0);
            var afternoonOpen = Math.Min(Open(s.Afternoon.SignIn, s.Afternoon.SignInWindow), s.SignOutsRequired ? Open(s.Afternoon.SignOut, s.Afternoon.SignOutWindow) : int.MaxValue);
            if (morningClose > afternoonOpen)
            {
                errors.Add(Msg("schedule.afternoon.signInWindow", "opens at {0} but the morning's windows stay open until {1}: windows of two sessions must not overlap",
                    Hm(afternoonOpen), Hm(morningClose)));
            }
        }

        if (s.GraceMinutes is < 0 or > 120)
        {
            errors.Add(Msg("schedule.graceMinutes", "must be between 0 and 120, got {0}", s.GraceMinutes));
        }

        if (s.SeriouslyLateMinutes <= s.GraceMinutes)
        {
            errors.Add(Msg("schedule.seriouslyLateMinutes", "must be greater than graceMinutes ({0}), got {1}", s.GraceMinutes, s.SeriouslyLateMinutes));
        }

        if (s.HalfDayAbsenceLateMinutes < s.SeriouslyLateMinutes)
        {
            errors.Add(Msg("schedule.halfDayAbsenceLateMinutes", "must be at least seriouslyLateMinutes ({0}), got {1}", s.SeriouslyLateMinutes, s.HalfDayAbsenceLateMinutes));
        }
    }

    private static bool ValidateSession(string path, SessionSettings? s, List<string> errors)
    {
        if (s is null)
        {
            errors.Add(path + ": required");
            return false;
        }

        var before = errors.Count;
        if (s.Start >= s.End)
        {
            errors.Add(Msg(path + ".end", "{0} must be after start {1}", s.End, s.Start));
        }

        if (s.SignIn < s.Start || s.SignIn >= s.End)
        {
            errors.Add(Msg(path + ".signIn", "{0} must lie within office hours {1}–{2}", s.SignIn, s.Start, s.End));
        }

        if (s.SignOut <= s.SignIn || s.SignOut > s.End)
        {
            errors.Add(Msg(path + ".signOut", "{0} must be after signIn {1} and not after the end {2}", s.SignOut, s.SignIn, s.End));
        }

        ValidateWindow(path + ".signInWindow", s.SignIn, s.SignInWindow, errors);
        ValidateWindow(path + ".signOutWindow", s.SignOut, s.SignOutWindow, errors);
        return errors.Count == before;
    }

    private static void ValidateWindow(string path, TimeOnly point, WindowSettings? w, List<string> errors)
    {
        if (w is null)
        {
            errors.Add(path + ": required");
            return;
        }

        if (w.OpensMinutesBefore < 0)
        {
            errors.Add(Msg(path + ".opensMinutesBefore", "must not be negative, got {0}", w.OpensMinutesBefore));
        }
        else if (Open(point, w) < 0)
        {
            errors.Add(Msg(path + ".opensMinutesBefore", "{0} minutes before {1} is before midnight", w.OpensMinutesBefore, point));
        }

        if (w.ClosesMinutesAfter < 1)
        {
            errors.Add(Msg(path + ".closesMinutesAfter", "must be at least 1 (the point's own minute), got {0}", w.ClosesMinutesAfter));
        }
        else if (Close(point, w) > 24 * 60)
        {
            errors.Add(Msg(path + ".closesMinutesAfter", "{0} minutes after {1} is past midnight", w.ClosesMinutesAfter, point));
        }
    }

    private static void ValidateDeductions(DeductionTable? d, List<string> errors)
    {
        if (d is null)
        {
            errors.Add("deductions: required");
            return;
        }

        CheckPoints("deductions.late", d.Late, errors);
        CheckPoints("deductions.seriouslyLate", d.SeriouslyLate, errors);
        CheckPoints("deductions.earlyLeave", d.EarlyLeave, errors);
        CheckPoints("deductions.absentHalfDay", d.AbsentHalfDay, errors);
        CheckPoints("deductions.offPostFinding", d.OffPostFinding, errors);
        CheckPoints("deductions.missingSignOut", d.MissingSignOut, errors);
    }

    private static void CheckPoints(string path, decimal value, List<string> errors)
    {
        if (value < 0m || value > 100m)
        {
            errors.Add(Msg(path, "must be between 0 and 100 points, got {0}", value));
        }
    }

    private static void ValidateScore(ScoreSettings? s, List<string> errors)
    {
        if (s is null)
        {
            errors.Add("score: required");
            return;
        }

        if (s.RecordPoints <= 0m)
        {
            errors.Add(Msg("score.recordPoints", "must be positive, got {0}", s.RecordPoints));
        }

        if (s.SecretaryMaxPoints < 0m)
        {
            errors.Add(Msg("score.secretaryMaxPoints", "must not be negative, got {0}", s.SecretaryMaxPoints));
        }

        // Policy, "Scoring": attendance is scored on a 100-point scale.
        if (s.RecordPoints + s.SecretaryMaxPoints != 100m)
        {
            errors.Add(Msg("score.secretaryMaxPoints", "recordPoints ({0}) + secretaryMaxPoints ({1}) must make the 100-point scale", s.RecordPoints, s.SecretaryMaxPoints));
        }
    }

    private static void ValidateYear(YearSettings? y, List<string> errors)
    {
        if (y is null)
        {
            errors.Add("year: required");
            return;
        }

        if (y.AbsenceAlertDays < 0m)
        {
            errors.Add(Msg("year.absenceAlertDays", "must not be negative, got {0}", y.AbsenceAlertDays));
        }

        if (y.MaxNoticesBeforeUnsatisfactory < 0)
        {
            errors.Add(Msg("year.maxNoticesBeforeUnsatisfactory", "must not be negative, got {0}", y.MaxNoticesBeforeUnsatisfactory));
        }

        if (y.Grades is null || y.Grades.Count == 0)
        {
            errors.Add("year.grades: at least one band is required");
            return;
        }

        for (var i = 0; i < y.Grades.Count; i++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"year.grades[{i}]");
            var b = y.Grades[i];
            if (b is null)
            {
                errors.Add(path + ": must not be null");
                continue;
            }

            if (string.IsNullOrWhiteSpace(b.Label))
            {
                errors.Add(path + ".label: must not be empty");
            }

            if (b.MinAverageScore is < 0m or > 100m)
            {
                errors.Add(Msg(path + ".minAverageScore", "must be between 0 and 100, got {0}", b.MinAverageScore));
            }

            if (b.MaxAbsenceDays < 0m)
            {
                errors.Add(Msg(path + ".maxAbsenceDays", "must not be negative, got {0}", b.MaxAbsenceDays));
            }

            if (b.MaxNotices < 0)
            {
                errors.Add(Msg(path + ".maxNotices", "must not be negative, got {0}", b.MaxNotices));
            }

            var isLast = i == y.Grades.Count - 1;
            if (isLast && (b.MinAverageScore is not null || b.MaxAbsenceDays is not null || b.MaxNotices is not null))
            {
                errors.Add(path + ": the last band must have no limits, so that every worker gets a grade");
            }
        }
    }

    private static void ValidateLadder(LeaveLadderSettings? l, List<string> errors)
    {
        if (l is null)
        {
            errors.Add("leaveLadder: required");
            return;
        }

        if (l.WorkingMinutesPerDay is < 60 or > 1440)
        {
            errors.Add(Msg("leaveLadder.workingMinutesPerDay", "must be between 60 and 1440, got {0}", l.WorkingMinutesPerDay));
        }

        if (l.Rungs is null || l.Rungs.Count == 0)
        {
            errors.Add("leaveLadder.rungs: at least one rung is required");
            return;
        }

        int? previous = null;
        for (var i = 0; i < l.Rungs.Count; i++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"leaveLadder.rungs[{i}]");
            var r = l.Rungs[i];
            if (r is null)
            {
                errors.Add(path + ": must not be null");
                continue;
            }

            var isLast = i == l.Rungs.Count - 1;
            if (r.UpToMinutes is null && !isLast)
            {
                errors.Add(path + ".upToMinutes: only the last rung may be open-ended (null)");
            }

            if (r.UpToMinutes is not null && isLast)
            {
                errors.Add(path + ".upToMinutes: the last rung must be open-ended (null) so every duration has an approver");
            }

            if (r.UpToMinutes is { } up)
            {
                if (up <= 0)
                {
                    errors.Add(Msg(path + ".upToMinutes", "must be positive, got {0}", up));
                }
                else if (previous is { } p && up <= p)
                {
                    errors.Add(Msg(path + ".upToMinutes", "{0} must be greater than the previous rung's {1}", up, p));
                }

                previous = up;
            }

            if (r.Approvers is null || r.Approvers.Count == 0)
            {
                errors.Add(path + ".approvers: at least one approving role is required");
            }
        }

        if (l.SecretaryOwnLeave is { Count: 0 })
        {
            errors.Add("leaveLadder.secretaryOwnLeave: leave it out or name at least one role");
        }
    }

    private static int Open(TimeOnly point, WindowSettings w) => MinuteRule.MinuteOfDay(point) - w.OpensMinutesBefore;

    private static int Close(TimeOnly point, WindowSettings w) => MinuteRule.MinuteOfDay(point) + w.ClosesMinutesAfter;

    private static string Hm(int minutes) => string.Create(CultureInfo.InvariantCulture, $"{minutes / 60:00}:{minutes % 60:00}");

    private static string Msg(string path, string format, params object?[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is TimeOnly t)
            {
                args[i] = t.ToString("HH:mm", CultureInfo.InvariantCulture);
            }
        }

        return path + ": " + string.Format(CultureInfo.InvariantCulture, format, args);
    }
}

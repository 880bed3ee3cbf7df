using System.Text.Json.Serialization;
using Kiosk.Core.Roster;

namespace Kiosk.Core.Settings;

/// <summary>The ONE settings document of an office (attendance-policy.md: "where a rule leaves a number open,
/// the product makes it a setting with a sensible default, never a constant"). The centre edits and pushes it,
/// the kiosk caches it. JSON field names are camelCase; a field left out keeps its default.
/// Parse with <see cref="RulesSettingsJson.Parse"/>, check with <see cref="RulesSettingsValidator"/>.</summary>
public sealed record RulesSettings
{
    /// <summary>Defaults that follow attendance-policy.md; every number below is documented in docs/rules.md.</summary>
    public static RulesSettings Default { get; } = new();

    /// <summary>Set by the centre each time it changes the document; the kiosk reports the version it runs.</summary>
    public string Version { get; init; } = "default";

    /// <summary>The office's fixed UTC offset (architecture decision 5: Asia/Shanghai, +08:00, no DST).</summary>
    public int UtcOffsetMinutes { get; init; } = 480;

    public ScheduleSettings Schedule { get; init; } = new();

    public DeductionTable Deductions { get; init; } = new();

    public ScoreSettings Score { get; init; } = new();

    public YearSettings Year { get; init; } = new();

    public LeaveLadderSettings LeaveLadder { get; init; } = LeaveLadderSettings.SubDistrictA;

    /// <summary>Policy, "Leave": a temporary outing is at most 2 hours and the secretary approves it.</summary>
    public int OutingMaxMinutes { get; init; } = 120;

    /// <summary>Architecture decision 6: a punch taken while the clock was untrusted and never corrected is not
    /// scored as if it were right. false (default): its session is "clock unverified" for a human to review;
    /// true: its time is taken at face value.</summary>
    public bool ScoreUntrustedPunchesAtFaceValue { get; init; }

    [JsonIgnore]
    public TimeSpan UtcOffset => TimeSpan.FromMinutes(UtcOffsetMinutes);
}

/// <summary>Office hours and sign-in points (policy, "Working time and sign-in"). Staggered hours (错时工作)
/// are just another schedule with other times.</summary>
public sealed record ScheduleSettings
{
    public string Name { get; init; } = "standard";

    public SessionSettings Morning { get; init; } = SessionSettings.DefaultMorning;

    public SessionSettings Afternoon { get; init; } = SessionSettings.DefaultAfternoon;

    /// <summary>Offices that want early leave (早退) measured set this: then each session also has a sign-out.</summary>
    public bool SignOutsRequired { get; init; }

    /// <summary>Minutes after a point that still count as on time. Policy: late = "not at post at 08:00", so 0.</summary>
    public int GraceMinutes { get; init; }

    /// <summary>Late by at least this many minutes is "seriously late" (严重迟到).</summary>
    public int SeriouslyLateMinutes { get; init; } = 30;

    /// <summary>Late by at least this many minutes counts as half a day of 旷工.</summary>
    public int HalfDayAbsenceLateMinutes { get; init; } = 60;
}

/// <summary>One half-day: office hours, its sign-in point, its optional sign-out point, and the windows in
/// which a punch counts for each point.</summary>
public sealed record SessionSettings
{
    public static SessionSettings DefaultMorning { get; } = new()
    {
        Start = new TimeOnly(8, 0),
        End = new TimeOnly(11, 30),
        SignIn = new TimeOnly(8, 0),
        SignOut = new TimeOnly(11, 30),
        SignInWindow = new WindowSettings { OpensMinutesBefore = 60, ClosesMinutesAfter = 210 },
        SignOutWindow = new WindowSettings { OpensMinutesBefore = 180, ClosesMinutesAfter = 30 },
    };

    public static SessionSettings DefaultAfternoon { get; } = new()
    {
        Start = new TimeOnly(13, 0),
        End = new TimeOnly(16, 30),
        SignIn = new TimeOnly(13, 0),
        SignOut = new TimeOnly(16, 30),
        SignInWindow = new WindowSettings { OpensMinutesBefore = 60, ClosesMinutesAfter = 210 },
        SignOutWindow = new WindowSettings { OpensMinutesBefore = 180, ClosesMinutesAfter = 120 },
    };

    [JsonConverter(typeof(HourMinuteConverter))]
    public TimeOnly Start { get; init; }

    [JsonConverter(typeof(HourMinuteConverter))]
    public TimeOnly End { get; init; }

    [JsonConverter(typeof(HourMinuteConverter))]
    public TimeOnly SignIn { get; init; }

    [JsonConverter(typeof(HourMinuteConverter))]
    public TimeOnly SignOut { get; init; }

    public WindowSettings SignInWindow { get; init; } = new();

    public WindowSettings SignOutWindow { get; init; } = new();
}

/// <summary>The window around a point in which a punch counts for it: [point − before, point + after).</summary>
public sealed record WindowSettings
{
    public int OpensMinutesBefore { get; init; }

    public int ClosesMinutesAfter { get; init; }
}

/// <summary>Points deducted from the 80 record points per occurrence (policy, "Scoring": the amounts are set by
/// the civil affairs bureau, so all configurable). The 80 are floored at 0.</summary>
public sealed record DeductionTable
{
    public decimal Late { get; init; } = 1m;

    public decimal SeriouslyLate { get; init; } = 2m;

    public decimal EarlyLeave { get; init; } = 1m;

    public decimal AbsentHalfDay { get; init; } = 5m;

    public decimal OffPostFinding { get; init; } = 5m;

    public decimal MissingSignOut { get; init; } = 1m;
}

/// <summary>Policy, "Scoring": 100 points, of which 20 are the community secretary's to give.</summary>
public sealed record ScoreSettings
{
    public decimal RecordPoints { get; init; } = 80m;

    public decimal SecretaryMaxPoints { get; init; } = 20m;
}

/// <summary>Policy, "Scoring and consequences": more than 5 days of 旷工 a year is grounds for dismissal; a
/// worker noticed more than N times a year is 不称职 (N is local); grades 优秀/称职/基本称职/不称职.</summary>
public sealed record YearSettings
{
    /// <summary>The alert is raised when cumulative 旷工 days are strictly greater than this.</summary>
    public decimal AbsenceAlertDays { get; init; } = 5m;

    /// <summary>More notices (通报) than this in a year makes the suggested grade 不称职 whatever the bands say.</summary>
    public int MaxNoticesBeforeUnsatisfactory { get; init; } = 2;

    /// <summary>Checked in order; the first band whose every limit is met gives the grade. The last band must
    /// have no limits (it catches everyone else).</summary>
    public IReadOnlyList<GradeBand> Grades { get; init; } = DefaultGrades;

    public static IReadOnlyList<GradeBand> DefaultGrades { get; } =
    [
        new GradeBand { Grade = Grade.Excellent, Label = "优秀", MinAverageScore = 95m, MaxAbsenceDays = 0m, MaxNotices = 0 },
        new GradeBand { Grade = Grade.Competent, Label = "称职", MinAverageScore = 85m, MaxAbsenceDays = 2m, MaxNotices = 1 },
        new GradeBand { Grade = Grade.BasicallyCompetent, Label = "基本称职", MinAverageScore = 70m, MaxAbsenceDays = 5m, MaxNotices = 2 },
        new GradeBand { Grade = Grade.Unsatisfactory, Label = "不称职" },
    ];
}

/// <summary>One band of the grade table. Null limits do not apply.</summary>
public sealed record GradeBand
{
    public Grade Grade { get; init; }

    /// <summary>What the report prints (some places say 合格 instead of 称职).</summary>
    public string Label { get; init; } = string.Empty;

    public decimal? MinAverageScore { get; init; }

    public decimal? MaxAbsenceDays { get; init; }

    public int? MaxNotices { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<Grade>))]
public enum Grade { Excellent, Competent, BasicallyCompetent, Unsatisfactory }

/// <summary>The leave approval ladder as data (policy, "Leave": "the approval ladder is therefore data, not
/// code"). Durations are working minutes; a leave of N half-days lasts N × WorkingMinutesPerDay / 2.</summary>
public sealed record LeaveLadderSettings
{
    /// <summary>One sub-district's rule: ≤ 2 h secretary; &lt; 1 day community-building section; ≥ 1 day
    /// leader in charge; ≥ 2 days head; the secretary's own leave always to the head.</summary>
    public static LeaveLadderSettings SubDistrictA { get; } = new()
    {
        Name = "subdistrict-a",
        WorkingMinutesPerDay = 420,
        Rungs =
        [
            new LadderRung { UpToMinutes = 120, Inclusive = true, Approvers = [Role.Secretary] },
            new LadderRung { UpToMinutes = 420, Inclusive = false, Approvers = [Role.CommunityBuildingSection] },
            new LadderRung { UpToMinutes = 840, Inclusive = false, Approvers = [Role.LeaderInCharge] },
            new LadderRung { UpToMinutes = null, Approvers = [Role.Head] },
        ],
        SecretaryOwnLeave = [Role.Head],
    };

    public string Name { get; init; } = "custom";

    /// <summary>Default 420 = 3.5 h + 3.5 h of office hours.</summary>
    public int WorkingMinutesPerDay { get; init; } = 420;

    public IReadOnlyList<LadderRung> Rungs { get; init; } = [];

    /// <summary>If set, the secretary's own leave of any length goes to these approvers instead of the rungs.</summary>
    public IReadOnlyList<Role>? SecretaryOwnLeave { get; init; }
}

/// <summary>A rung covers durations up to UpToMinutes (inclusive or not); null means "and longer".
/// Approvers all sign, in order (the second sub-district: "3–7 days also the leader in charge").</summary>
public sealed record LadderRung
{
    public int? UpToMinutes { get; init; }

    public bool Inclusive { get; init; }

    public IReadOnlyList<Role> Approvers { get; init; } = [];
}

using System.Text.Json.Serialization;

namespace Kiosk.Core.Calendar;

/// <summary>What a date is for attendance (cn-calendar.md). Unknown is an explicit state: the year has no
/// calendar loaded, and the product says so instead of guessing.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DayKind>))]
public enum DayKind
{
    Unknown = 0,
    Workday,
    Weekend,
    StatutoryHoliday,

    /// <summary>调休上班: a Saturday or Sunday that is a workday.</summary>
    AdjustedWorkday,
}

public static class DayKindExtensions
{
    public static bool IsWorkday(this DayKind kind) => kind is DayKind.Workday or DayKind.AdjustedWorkday;
}

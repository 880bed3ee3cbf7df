using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kiosk.Core.Calendar;

/// <summary>One year of the working calendar, read from the common exception-list format (cn-calendar.md,
/// "How others ship it"): <c>{ "year": 2026, "papers": [...], "days": [ { "name", "date", "isOffDay" } ] }</c>;
/// "papers" (the notices the data was typed from) is for the people who check the file and is not read.
/// Dates not listed follow the Monday–Friday rule. An off day on a weekday is a statutory holiday; a listed
/// off day on a weekend is also reported as a statutory holiday (it is part of the holiday); a listed working
/// day must fall on a weekend (调休上班), anything else is rejected as nonsense.</summary>
public sealed class CalendarYear
{
    private readonly DayKind[] _kinds;
    private readonly string?[] _names;

    private CalendarYear(int year, DayKind[] kinds, string?[] names, string version)
    {
        Year = year;
        _kinds = kinds;
        _names = names;
        Version = version;
    }

    public int Year { get; }

    /// <summary>The file's own "version" field if it has one, otherwise "sha256:" + the first 16 hex digits of
    /// the file's hash, so two kiosks with the same data report the same version.</summary>
    public string Version { get; }

    public DayKind KindOf(DateOnly date)
    {
        if (date.Year != Year)
        {
            return DayKind.Unknown;
        }

        return _kinds[date.DayOfYear - 1];
    }

    /// <summary>The holiday's name (e.g. 春节) for a listed date, for screens and reports.</summary>
    public string? NameOf(DateOnly date) => date.Year == Year ? _names[date.DayOfYear - 1] : null;

    public int CountWorkdays()
    {
        var n = 0;
        foreach (var k in _kinds)
        {
            if (k.IsWorkday())
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Parses one year's file; throws <see cref="CalendarFormatException"/> naming the entry at fault.</summary>
    public static CalendarYear Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        CalendarFileDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(json, CalendarJsonContext.Default.CalendarFileDto);
        }
        catch (JsonException ex)
        {
            throw new CalendarFormatException($"calendar file: not valid JSON at {ex.Path}: {ex.Message}", ex);
        }

        if (dto is null || dto.Year is < 1900 or > 2200)
        {
            throw new CalendarFormatException("year: missing or out of range");
        }

        var year = dto.Year;
        var length = DateTime.IsLeapYear(year) ? 366 : 365;
        var kinds = new DayKind[length];
        var names = new string?[length];
        var start = new DateOnly(year, 1, 1);
        for (var i = 0; i < length; i++)
        {
            var d = start.AddDays(i);
            kinds[i] = IsWeekend(d) ? DayKind.Weekend : DayKind.Workday;
        }

        var seen = new HashSet<DateOnly>();
        var days = dto.Days ?? [];
        for (var i = 0; i < days.Count; i++)
        {
            var entry = days[i];
            var where = string.Create(CultureInfo.InvariantCulture, $"days[{i}]");
            if (entry?.Date is null || !DateOnly.TryParseExact(entry.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new CalendarFormatException($"{where}.date: '{entry?.Date}' is not a date yyyy-MM-dd");
            }

            if (date.Year != year)
            {
                throw new CalendarFormatException($"{where}.date: {entry.Date} is not in the file's year {year}");
            }

            if (!seen.Add(date))
            {
                throw new CalendarFormatException($"{where}.date: {entry.Date} is listed twice");
            }

            if (entry.IsOffDay is null)
            {
                throw new CalendarFormatException($"{where}.isOffDay: required");
            }

            var idx = date.DayOfYear - 1;
            if (entry.IsOffDay.Value)
            {
                kinds[idx] = DayKind.StatutoryHoliday;
            }
            else if (IsWeekend(date))
            {
                kinds[idx] = DayKind.AdjustedWorkday;
            }
            else
            {
                throw new CalendarFormatException($"{where}: {entry.Date} is a weekday listed as a working day; only weekends can be adjusted working days");
            }

            names[idx] = entry.Name;
        }

        var version = string.IsNullOrWhiteSpace(dto.Version)
            ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16]
            : dto.Version;
        return new CalendarYear(year, kinds, names, version);
    }

    private static bool IsWeekend(DateOnly d) => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
}

public sealed class CalendarFormatException : Exception
{
    public CalendarFormatException() { }

    public CalendarFormatException(string message) : base(message) { }

    public CalendarFormatException(string message, Exception inner) : base(message, inner) { }
}

internal sealed class CalendarFileDto
{
    public int Year { get; set; }

    public string? Version { get; set; }

    public List<CalendarDayDto?>? Days { get; set; }
}

internal sealed class CalendarDayDto
{
    public string? Name { get; set; }

    public string? Date { get; set; }

    public bool? IsOffDay { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(CalendarFileDto))]
internal sealed partial class CalendarJsonContext : JsonSerializerContext;

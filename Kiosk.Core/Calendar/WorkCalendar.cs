using System.Globalization;

namespace Kiosk.Core.Calendar;

/// <summary>The working calendar over the years loaded (cn-calendar.md). Immutable: adding a year gives a new
/// calendar with a new <see cref="Version"/>. A date in a year that is not loaded is <see cref="DayKind.Unknown"/>.</summary>
public sealed class WorkCalendar
{
    private static readonly Lazy<WorkCalendar> LazyBuiltIn = new(LoadBuiltIn);
    private readonly Dictionary<int, CalendarYear> _years;

    private WorkCalendar(Dictionary<int, CalendarYear> years)
    {
        _years = years;
        var parts = new List<string>();
        foreach (var y in years.Keys.Order())
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{y}={years[y].Version}"));
        }

        Version = parts.Count == 0 ? "empty" : string.Join(';', parts);
    }

    public static WorkCalendar Empty { get; } = new(new Dictionary<int, CalendarYear>());

    /// <summary>The years shipped inside Kiosk.Core (Calendar/Data/*.json, embedded resources): 2025 and 2026.</summary>
    public static WorkCalendar BuiltIn => LazyBuiltIn.Value;

    /// <summary>"2025=sha256:…;2026=sha256:…": what the kiosk reports as its calendar version.</summary>
    public string Version { get; }

    public static WorkCalendar FromYears(IEnumerable<CalendarYear> years)
    {
        ArgumentNullException.ThrowIfNull(years);
        var map = new Dictionary<int, CalendarYear>();
        foreach (var y in years)
        {
            map[y.Year] = y;
        }

        return new WorkCalendar(map);
    }

    /// <summary>A new calendar with this year added or replaced (the State Council has changed a year mid-year).</summary>
    public WorkCalendar With(CalendarYear year)
    {
        ArgumentNullException.ThrowIfNull(year);
        var map = new Dictionary<int, CalendarYear>(_years) { [year.Year] = year };
        return new WorkCalendar(map);
    }

    public CalendarYear? Year(int year) => _years.GetValueOrDefault(year);

    public DayKind KindOf(DateOnly date) => _years.TryGetValue(date.Year, out var y) ? y.KindOf(date) : DayKind.Unknown;

    public string? NameOf(DateOnly date) => _years.TryGetValue(date.Year, out var y) ? y.NameOf(date) : null;

    /// <summary>The first workday strictly after the date, or null when an unknown year is reached first.</summary>
    public DateOnly? NextWorkday(DateOnly after) => Step(after, 1);

    /// <summary>The last workday strictly before the date (the secretary may mark the previous workday's
    /// sessions, issue 4), or null when an unknown year is reached first.</summary>
    public DateOnly? PreviousWorkday(DateOnly before) => Step(before, -1);

    private DateOnly? Step(DateOnly from, int direction)
    {
        var d = from;
        for (var i = 0; i < 400; i++)
        {
            d = d.AddDays(direction);
            var k = KindOf(d);
            if (k == DayKind.Unknown)
            {
                return null;
            }

            if (k.IsWorkday())
            {
                return d;
            }
        }

        return null;
    }

    private static WorkCalendar LoadBuiltIn()
    {
        // Embedded resources are part of the assembly, not I/O on the device's disk.
        var assembly = typeof(WorkCalendar).Assembly;
        var years = new List<CalendarYear>();
        foreach (var name in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            if (!name.StartsWith("Kiosk.Core.Calendar.", StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            years.Add(CalendarYear.Parse(reader.ReadToEnd()));
        }

        return FromYears(years);
    }
}

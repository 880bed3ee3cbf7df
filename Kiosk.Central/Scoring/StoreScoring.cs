using Kiosk.Central.Admin;
using Kiosk.Central.Roster;
using Kiosk.Central.Store;
using Kiosk.Sync.Centre;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Scoring;

/// <summary>Builds a scoring run's input from the central store: roster, the inbox's raw events (never edited),
/// centre-entered events, the calendar, each office's settings, and each office's "complete up to".</summary>
internal static class StoreScoring
{
    /// <summary>How far back before the period events are read: leave requested on a kiosk and the clock
    /// corrections that apply to the period are recorded before it (docs/central.md, "Scoring window").</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(62);

    /// <summary>Excuses are marked up to the next workday (issue 4), which may fall in the next month.</summary>
    public static readonly TimeSpan LookAhead = TimeSpan.FromDays(31);

    public static async Task<ScoringInput> LoadAsync(SqliteConnection db, string dbPath, string? office, DateOnly from, DateOnly to,
        DateTimeOffset? completeUpToOverride, CancellationToken ct) =>
        (await LoadWithDevicesAsync(db, dbPath, office, from, to, completeUpToOverride, ct)).Input;

    /// <summary><see cref="LoadAsync"/>, also handing back the devices it read (the day board shows them).</summary>
    public static async Task<(ScoringInput Input, IReadOnlyList<DeviceRecord> Devices)> LoadWithDevicesAsync(SqliteConnection db,
        string dbPath, string? office, DateOnly from, DateOnly to, DateTimeOffset? completeUpToOverride, CancellationToken ct)
    {
        var roster = RosterStore.Load(db, office);
        var inbox = new InboxStore(dbPath, TimeProvider.System);
        var (readFrom, readTo) = Window(from, to);
        var stored = await inbox.ReadEventsAsync(office, readFrom, readTo, ct);
        var centre = CentreEventLog.Load(db, office).Select(e => (e.OfficeId, e.Event)).ToList();
        var devices = await inbox.GetDevicesAsync(office, ct);
        var offices = new Dictionary<string, OfficeScope>(StringComparer.Ordinal);
        foreach (var officeId in roster.Select(r => r.Office).Distinct(StringComparer.Ordinal))
        {
            var upTo = completeUpToOverride ?? OfficeCompleteUpTo(devices, officeId) ?? DateTimeOffset.MinValue;
            offices[officeId] = new OfficeScope(officeId, SetSettings.For(db, officeId), upTo);
        }

        return (new ScoringInput(roster, stored.Select(s => s.Envelope).ToList(), centre, ImportCalendar.Load(db), offices), devices);
    }

    /// <summary>The office-local times [From, To) of the inbox events a scoring run of the dates from..to reads:
    /// <see cref="LookBack"/> before the first date and <see cref="LookAhead"/> after the last.</summary>
    public static (DateTime From, DateTime To) Window(DateOnly from, DateOnly to) =>
        (from.ToDateTime(TimeOnly.MinValue) - LookBack, to.ToDateTime(TimeOnly.MinValue).AddDays(1) + LookAhead);

    /// <summary>Architecture decision 4: an office is complete only as far as its least complete active device.
    /// No active device or no data at all → null, and every session is pending.</summary>
    public static DateTimeOffset? OfficeCompleteUpTo(IReadOnlyList<DeviceRecord> devices, string officeId)
    {
        DateTimeOffset? min = null;
        foreach (var d in devices)
        {
            if (!string.Equals(d.OfficeId, officeId, StringComparison.Ordinal) || d.RetiredAt is not null)
            {
                continue;
            }

            if (d.CompleteUpTo is not { } upTo)
            {
                return null;
            }

            min = min is null || upTo < min ? upTo : min;
        }

        return min;
    }
}

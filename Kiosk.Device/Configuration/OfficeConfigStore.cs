using System.Text.Json;
using Kiosk.Core.Calendar;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Core.Settings;
using Kiosk.Device.Journal;
using Kiosk.Sync.Contract;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Configuration;

/// <summary>The cached office configuration. The centre publishes it as a retained, versioned OfficeConfig
/// (docs/protocol.md); the kiosk checks every section, stores the message in journal.db in one transaction,
/// and only then swaps the snapshot. A bad section rejects the whole message: the previous configuration
/// keeps running (never half an update), and the error names the section and the reason.</summary>
internal sealed class OfficeConfigStore
{
    private static readonly JsonSerializerOptions SectionJson = new(JsonSerializerDefaults.Web);
    private readonly EventJournal journal;
    private readonly TimeProvider time;
    private readonly ILogger log;
    private OfficeState current;

    public OfficeConfigStore(EventJournal journal, string officeId, TimeProvider time, ILogger log)
    {
        this.journal = journal;
        this.time = time;
        this.log = log;
        current = OfficeState.Empty(officeId);
    }

    public OfficeState Current => Volatile.Read(ref current);

    /// <summary>Loads the cached configuration, else the seed file, else stays empty (every card unknown,
    /// built-in calendar, default rules) and says so.</summary>
    public async Task LoadAsync(string? seedPath, CancellationToken cancellationToken)
    {
        var cached = journal.LoadOfficeConfig();
        if (cached is { } c)
        {
            var config = SyncJson.Deserialize<OfficeConfig>(System.Text.Encoding.UTF8.GetBytes(c.Json));
            Volatile.Write(ref current, Parse(config, Current));
            log.LogInformation("Office configuration {Version} loaded from the journal: {Workers} workers", c.Version, Current.Roster.Workers.Count);
            return;
        }

        if (seedPath is { Length: > 0 })
        {
            var bytes = await File.ReadAllBytesAsync(seedPath, cancellationToken);
            await ApplyAsync(SyncJson.Deserialize<OfficeConfig>(bytes), cancellationToken);
            return;
        }

        log.LogWarning("No office configuration yet: every card is unknown until the centre sends the roster");
    }

    /// <summary>Applies a configuration from the centre. Returns the errors (empty when applied).</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(OfficeConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        OfficeState next;
        try
        {
            next = Parse(config, Current);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            log.LogError("Office configuration {Version} rejected, keeping {Current}: {Reason}", config.Version, Current.Version, ex.Message);
            return [ex.Message];
        }

        var json = System.Text.Encoding.UTF8.GetString(SyncJson.Serialize(config));
        await journal.SaveOfficeConfigAsync(config.Version, json, time.GetUtcNow(), cancellationToken);
        Volatile.Write(ref current, next);
        log.LogInformation("Office configuration {Version} applied: {Workers} workers, calendar {Calendar}, rules {Rules}",
            next.Version, next.Roster.Workers.Count, next.Calendar.Version, next.Settings.Version);
        return [];
    }

    /// <summary>Turns the wire sections into Core types. A missing section keeps the previous one.</summary>
    internal static OfficeState Parse(OfficeConfig config, OfficeState previous)
    {
        var roster = config.Roster is { } r
            ? Section<OfficeRoster>(r, "roster")
            : previous.Roster;
        var settings = previous.Settings;
        if (config.Settings is { } s)
        {
            if (!RulesSettingsJson.TryParse(s.GetRawText(), out var parsed, out var problems) || parsed is null)
            {
                throw new FormatException("settings: " + string.Join("; ", problems));
            }

            settings = parsed;
        }

        var calendar = previous.Calendar;
        if (config.Calendar is { } cal)
        {
            // One year's exception list, or an array of them (cn-calendar.md, "How others ship it").
            var years = cal.ValueKind == JsonValueKind.Array
                ? cal.EnumerateArray().Select(y => CalendarYear.Parse(y.GetRawText()))
                : [CalendarYear.Parse(cal.GetRawText())];
            foreach (var year in years)
            {
                calendar = calendar.With(year);
            }
        }

        var leave = config.ApprovedLeave is { } l
            ? Section<List<LeaveRequest>>(l, "approvedLeave")
            : previous.ApprovedLeave;
        if (!string.Equals(roster.OfficeId, config.OfficeId, StringComparison.Ordinal))
        {
            throw new FormatException($"roster: it is for office '{roster.OfficeId}', the message for '{config.OfficeId}'");
        }

        return new OfficeState(config.Version, roster, settings, calendar, leave);
    }

    private static T Section<T>(JsonElement element, string name)
        where T : class
    {
        try
        {
            return element.Deserialize<T>(SectionJson) ?? throw new FormatException($"{name}: is null");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{name}: {ex.Message}", ex);
        }
    }
}

using System.CommandLine;
using System.Globalization;
using Kiosk.Central.Admin;
using Kiosk.Central.Store;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Cli;

/// <summary>Options every store command shares, and the one place that turns a refused request into a message
/// and exit code 2 (nothing written) instead of a stack trace.</summary>
internal static class CliCommon
{
    public const string DefaultDb = "/var/lib/kiosk-central/central.db";

    public static Option<string> DbOption() => new("--db")
    {
        Description = "中心数据库 · central SQLite store (env KIOSK_CENTRAL_DB)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("KIOSK_CENTRAL_DB") is { Length: > 0 } env ? env : DefaultDb,
    };

    public static Option<string> ByOption(string description) => new("--by") { Description = description, Required = true };

    public static Option<string> WorkerOption() => new("--worker") { Description = "工号 · worker id", Required = true };

    /// <summary>The wall clock for stamping administration entries; scoring never reads it (it takes explicit times).</summary>
    public static TimeProvider Clock { get; } = TimeProvider.System;

    public static DateTimeOffset Now() => Clock.GetLocalNow();

    public static Command Group(string name, string description, params Command[] children)
    {
        var group = new Command(name, description);
        foreach (var child in children)
        {
            group.Subcommands.Add(child);
        }

        return group;
    }

    /// <summary>Runs a store command: opens and migrates the store, maps refusals to exit code 2.</summary>
    public static int WithStore(ParseResult parse, Option<string> db, Func<SqliteConnection, int> body)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(body);
        return Guard(() =>
        {
            using var connection = CentralStore.Open(parse.GetValue(db)!);
            return body(connection);
        });
    }

    public static async Task<int> WithStoreAsync(ParseResult parse, Option<string> db, Func<SqliteConnection, Task<int>> body,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            await using var connection = await CentralStore.OpenAsync(parse.GetValue(db)!, ct);
            return await body(connection);
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            Console.Error.WriteLine("错误 · error: " + ex.Message);
            return 2;
        }
    }

    private static bool IsUserError(Exception ex) => ex is AdminException or InvalidDataException or FileNotFoundException
        or DirectoryNotFoundException or Kiosk.Core.Settings.RulesSettingsException or Kiosk.Core.Calendar.CalendarFormatException;

    public static int Guard(Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body();
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            Console.Error.WriteLine("错误 · error: " + ex.Message);
            return 2;
        }
    }

    public static DateOnly ParseDate(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new AdminException($"{option}: '{text}' is not a date yyyy-MM-dd");

    public static (int Year, int Month) ParseMonth(string text, string option) =>
        DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? (d.Year, d.Month)
            : throw new AdminException($"{option}: '{text}' is not a month yyyy-MM");

    public static T ParseEnum<T>(string text, string option)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new AdminException($"{option}: '{text}' is not one of {string.Join(", ", Enum.GetNames<T>())}");
}

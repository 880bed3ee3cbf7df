using System.Globalization;
using Kiosk.Central.Store;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Roster;

/// <summary>Roster rows in the central store. Import is all-or-nothing: the file is validated completely first,
/// then checked against what is stored (a badge already worn by somebody else), then written in one
/// transaction. A worker_id already present is updated (the roster is administration data, not history).</summary>
internal static class RosterStore
{
    private const string RowColumns =
        "worker_id, name, badge, office_id, role, role_from, role_to, employed_from, employed_to, finger_slots";

    public static IReadOnlyList<RosterError> Import(SqliteConnection db, TextReader csv, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (rows, errors) = RosterCsv.Parse(csv);
        if (errors.Count > 0)
        {
            return errors;
        }

        using var transaction = db.BeginTransaction();
        var conflicts = new List<RosterError>();
        foreach (var row in rows)
        {
            using var check = CentralDb.Command(db, "SELECT worker_id FROM workers WHERE badge = $b AND worker_id <> $w", transaction,
                ("$b", row.Badge), ("$w", row.WorkerId));
            if (check.ExecuteScalar() is string other)
            {
                conflicts.Add(new RosterError(row.Line, "badge", $"'{row.Badge}' is already worn by stored worker '{other}'"));
            }
        }

        if (conflicts.Count > 0)
        {
            transaction.Rollback();
            return conflicts;
        }

        foreach (var row in rows)
        {
            using var office = CentralDb.Command(db,
                "INSERT INTO offices(office_id, name, created_at) VALUES ($o, $o, $t) ON CONFLICT(office_id) DO NOTHING", transaction,
                ("$o", row.Office), ("$t", now.ToString("O", CultureInfo.InvariantCulture)));
            office.ExecuteNonQuery();
            using var upsert = CentralDb.Command(db, """
                INSERT INTO workers(worker_id, name, badge, office_id, role, role_from, role_to, employed_from, employed_to, finger_slots, updated_at)
                VALUES ($id, $name, $badge, $office, $role, $rf, $rt, $ef, $et, $slots, $t)
                ON CONFLICT(worker_id) DO UPDATE SET name=excluded.name, badge=excluded.badge, office_id=excluded.office_id,
                  role=excluded.role, role_from=excluded.role_from, role_to=excluded.role_to, employed_from=excluded.employed_from,
                  employed_to=excluded.employed_to, finger_slots=excluded.finger_slots, updated_at=excluded.updated_at
                """, transaction,
                ("$id", row.WorkerId), ("$name", row.Name), ("$badge", row.Badge), ("$office", row.Office), ("$role", row.Role),
                ("$rf", NullIfEmpty(Csv.Format(row.RoleFrom))), ("$rt", NullIfEmpty(Csv.Format(row.RoleTo))),
                ("$ef", Csv.Format(row.EmployedFrom)), ("$et", NullIfEmpty(Csv.Format(row.EmployedTo))),
                ("$slots", string.Join(';', row.FingerSlots.Select(s => s.ToString(CultureInfo.InvariantCulture)))),
                ("$t", now.ToString("O", CultureInfo.InvariantCulture)));
            upsert.ExecuteNonQuery();
        }

        transaction.Commit();
        return [];
    }

    public static IReadOnlyList<RosterRow> Load(SqliteConnection db, string? office = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        using var command = CentralDb.Command(db, $"""
            SELECT {RowColumns} FROM workers WHERE $o IS NULL OR office_id = $o ORDER BY office_id, worker_id
            """, null, ("$o", office));
        return Read(command);
    }

    /// <summary>One worker by id (primary key), or null: administration commands name one worker at a time.</summary>
    public static RosterRow? Find(SqliteConnection db, string workerId)
    {
        ArgumentNullException.ThrowIfNull(db);
        using var command = CentralDb.Command(db, $"SELECT {RowColumns} FROM workers WHERE worker_id = $w", null, ("$w", workerId));
        return Read(command) is [var row] ? row : null;
    }

    private static List<RosterRow> Read(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<RosterRow>();
        while (reader.Read())
        {
            rows.Add(new RosterRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), Date(reader, 5), Date(reader, 6), Date(reader, 7)!.Value, Date(reader, 8),
                reader.GetString(9).Split(';', StringSplitOptions.RemoveEmptyEntries)
                    .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()));
        }

        return rows;
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static DateOnly? Date(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateOnly.ParseExact(reader.GetString(ordinal), "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text.Json;
using Kiosk.Core.Events;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Store;

/// <summary>An event entered at the centre (leave decisions, 脱岗 findings, secretary points, excuses), with the
/// office it belongs to. These are the same AttendanceEvent records the kiosks journal, so the scorer treats both
/// sources alike; provenance is the table they come from plus EnteredBy.</summary>
internal sealed record CentreEvent(long Id, string OfficeId, string WorkerId, AttendanceEvent Event, string EnteredBy);

/// <summary>Append-only log of centre-entered events (issue 6: "a correction is a new event, not an update";
/// the table refuses UPDATE/DELETE, CentralSchema). A leave is decided by appending a LeaveRequest with the same
/// LeaveId and a new State; the latest one wins (AttendanceEvent.cs, LeaveRequest; LeaveRegister applies the rule).</summary>
internal static class CentreEventLog
{
    public static long Append(SqliteConnection db, string officeId, string workerId, AttendanceEvent ev, string enteredBy,
        DateTimeOffset now, SqliteTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(ev);
        using var command = CentralDb.Command(db, """
            INSERT INTO centre_events(office_id, worker_id, kind, body, entered_by, entered_at)
            VALUES ($o, $w, $k, $b, $by, $t) RETURNING id
            """, transaction,
            ("$o", officeId), ("$w", workerId), ("$k", Kind(ev)), ("$b", JsonSerializer.Serialize(ev)), ("$by", enteredBy),
            ("$t", now.ToString("O", CultureInfo.InvariantCulture)));
        return (long)command.ExecuteScalar()!;
    }

    public static IReadOnlyList<CentreEvent> Load(SqliteConnection db, string? officeId = null, string? kind = null)
    {
        using var command = CentralDb.Command(db, """
            SELECT id, office_id, worker_id, body, entered_by FROM centre_events
            WHERE ($o IS NULL OR office_id = $o) AND ($k IS NULL OR kind = $k) ORDER BY id
            """, null, ("$o", officeId), ("$k", kind));
        using var reader = command.ExecuteReader();
        var list = new List<CentreEvent>();
        while (reader.Read())
        {
            var ev = JsonSerializer.Deserialize<AttendanceEvent>(reader.GetString(3))
                ?? throw new InvalidDataException($"centre_events row {reader.GetInt64(0)} holds JSON null");
            list.Add(new CentreEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), ev, reader.GetString(4)));
        }

        return list;
    }

    /// <summary>The kind name (Core EventKinds, the wire's discriminator) of an event the centre may enter itself.</summary>
    internal static string Kind(AttendanceEvent ev) => ev is LeaveRequest or InspectionFinding or SecretaryPoints or Excuse or Outing
        ? EventKinds.Of(ev)
        : throw new ArgumentException($"{ev.GetType().Name} is not entered at the centre", nameof(ev));
}

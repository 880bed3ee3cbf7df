using System.Globalization;
using Kiosk.Sync.Contract;

namespace Kiosk.Central.Roster;

/// <summary>One roster line as the sub-district keeps it (issue 6, "Roster": name, badge number, office, role,
/// employed from/to, finger slots). RoleFrom/RoleTo bound a named attendance officer (考勤负责人, policy "Who is
/// involved") or any other role held only for a while.</summary>
internal sealed record RosterRow(string WorkerId, string Name, string Badge, string Office, string Role,
    DateOnly? RoleFrom, DateOnly? RoleTo, DateOnly EmployedFrom, DateOnly? EmployedTo, IReadOnlyList<int> FingerSlots, int Line = 0);

/// <summary>Why a roster line was refused: line number as the editor shows it, the column, and why.</summary>
internal sealed record RosterError(int Line, string Field, string Why)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"line {Line}, {Field}: {Why}");
}

/// <summary>Parses and validates a roster CSV. It returns every error at once (a clerk fixes the file in one go)
/// and the caller imports nothing unless the list is empty (issue 6: "nothing half-imported").</summary>
internal static class RosterCsv
{
    public static readonly string[] Columns =
        ["worker_id", "name", "badge", "office", "role", "role_from", "role_to", "employed_from", "employed_to", "finger_slots"];

    /// <summary>Roles of the policy ("Who is involved"); the Chinese names are accepted as well.</summary>
    public static readonly IReadOnlyDictionary<string, string> Roles = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["worker"] = "worker", ["社工"] = "worker",
        ["secretary"] = "secretary", ["书记"] = "secretary",
        ["deputy"] = "deputy", ["副书记"] = "deputy",
        ["attendance_officer"] = "attendance_officer", ["考勤负责人"] = "attendance_officer",
        ["section"] = "section", ["社区建设科"] = "section",
        ["leader"] = "leader", ["分管领导"] = "leader",
        ["head"] = "head", ["正职领导"] = "head",
    };

    /// <summary>Template slots of the largest supported module (R307: capacity 1000, hardware-protocols.md §Timing).</summary>
    public const int MaxFingerSlot = 999;

    public static (IReadOnlyList<RosterRow> Rows, IReadOnlyList<RosterError> Errors) Parse(TextReader reader)
    {
        var rows = new List<RosterRow>();
        var errors = new List<RosterError>();
        var records = Csv.Read(reader).ToList();
        if (records.Count == 0)
        {
            errors.Add(new RosterError(1, "header", "the file is empty; expected a header line: " + string.Join(',', Columns)));
            return (rows, errors);
        }

        var header = records[0].Fields.Select(f => f.Trim()).ToList();
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            index[header[i]] = i;
        }

        foreach (var column in Columns.Where(c => !index.ContainsKey(c)))
        {
            errors.Add(new RosterError(records[0].Line, column, "column missing from the header"));
        }

        if (errors.Count > 0)
        {
            return (rows, errors);
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var badges = new Dictionary<string, int>(StringComparer.Ordinal);
        var slots = new Dictionary<(string Office, int Slot), int>();
        foreach (var record in records.Skip(1))
        {
            // Every row's id and badge are recorded before the row is parsed, whether or not it has other errors, so
            // a duplicate of a faulty row is reported in the same run (a clerk fixes the file in one go).
            var rawId = Raw(record, index, "worker_id");
            var rawBadge = Raw(record, index, "badge");
            var duplicate = false;
            if (rawId.Length > 0 && !ids.TryAdd(rawId, record.Line))
            {
                errors.Add(new RosterError(record.Line, "worker_id", $"'{rawId}' already used on line {ids[rawId]}"));
                duplicate = true;
            }

            if (rawBadge.Length > 0 && !badges.TryAdd(rawBadge, record.Line))
            {
                errors.Add(new RosterError(record.Line, "badge", $"'{rawBadge}' already used on line {badges[rawBadge]}"));
                duplicate = true;
            }

            var row = ParseRow(record, index, errors);
            if (row is null || duplicate)
            {
                continue;
            }

            var slotClash = false;
            foreach (var slot in row.FingerSlots)
            {
                if (!slots.TryAdd((row.Office, slot), record.Line))
                {
                    errors.Add(new RosterError(record.Line, "finger_slots",
                        $"slot {slot} in office '{row.Office}' already used on line {slots[(row.Office, slot)]}"));
                    slotClash = true;
                }
            }

            if (slotClash)
            {
                continue;
            }

            rows.Add(row);
        }

        return (rows, errors);
    }

    private static string Raw(Csv.Record record, Dictionary<string, int> index, string column) =>
        index[column] < record.Fields.Count ? record.Fields[index[column]].Trim() : string.Empty;

    private static RosterRow? ParseRow(Csv.Record record, Dictionary<string, int> index, List<RosterError> errors)
    {
        var before = errors.Count;
        string Get(string column) => Raw(record, index, column);
        void Fail(string column, string why) => errors.Add(new RosterError(record.Line, column, why));

        var id = Get("worker_id");
        if (id.Length == 0)
        {
            Fail("worker_id", "is empty");
        }

        var name = Get("name");
        if (name.Length == 0)
        {
            Fail("name", "is empty");
        }

        var badge = Get("badge");
        if (badge.Length == 0)
        {
            Fail("badge", "is empty (every worker wears a badge with the sub-district's unified number)");
        }

        var office = Get("office");
        if (office.Length == 0)
        {
            Fail("office", "is empty");
        }
        else if (!Topics.IsValidId(office))
        {
            Fail("office", $"'{office}' may only hold letters, digits, '-' and '_' (it becomes part of an MQTT topic)");
        }

        var roleText = Get("role");
        if (!Roles.TryGetValue(roleText, out var role))
        {
            Fail("role", $"'{roleText}' is not one of worker, secretary, deputy, attendance_officer, section, leader, head");
            role = string.Empty;
        }

        var roleFrom = OptionalDate(Get("role_from"), "role_from", Fail);
        var roleTo = OptionalDate(Get("role_to"), "role_to", Fail);
        if (roleFrom is { } rf && roleTo is { } rt && rt < rf)
        {
            Fail("role_to", $"{Csv.Format(rt)} is before role_from {Csv.Format(rf)}");
        }

        var employedFromText = Get("employed_from");
        DateOnly? employedFrom = null;
        if (employedFromText.Length == 0)
        {
            Fail("employed_from", "is empty (needed to know from which day attendance is required)");
        }
        else
        {
            employedFrom = OptionalDate(employedFromText, "employed_from", Fail);
        }

        var employedTo = OptionalDate(Get("employed_to"), "employed_to", Fail);
        if (employedFrom is { } ef && employedTo is { } et && et < ef)
        {
            Fail("employed_to", $"{Csv.Format(et)} is before employed_from {Csv.Format(ef)}");
        }

        var fingers = new List<int>();
        foreach (var part in Get("finger_slots").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var slot) || slot > MaxFingerSlot)
            {
                Fail("finger_slots", $"'{part}' is not a slot number 0–{MaxFingerSlot} (separate several with ';')");
            }
            else if (fingers.Contains(slot))
            {
                Fail("finger_slots", $"slot {slot} is listed twice");
            }
            else
            {
                fingers.Add(slot);
            }
        }

        if (errors.Count > before || employedFrom is null)
        {
            return null;
        }

        return new RosterRow(id, name, badge, office, role, roleFrom, roleTo, employedFrom.Value, employedTo, fingers, record.Line);
    }

    private static DateOnly? OptionalDate(string text, string column, Action<string, string> fail)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        fail(column, $"'{text}' is not a date in the form yyyy-MM-dd");
        return null;
    }

    public static void Write(TextWriter writer, IEnumerable<RosterRow> rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(string.Join(',', Columns) + "\n");
        foreach (var r in rows)
        {
            writer.Write(Csv.Line([r.WorkerId, r.Name, r.Badge, r.Office, r.Role, Csv.Format(r.RoleFrom), Csv.Format(r.RoleTo),
                Csv.Format(r.EmployedFrom), Csv.Format(r.EmployedTo),
                string.Join(';', r.FingerSlots.Select(s => s.ToString(CultureInfo.InvariantCulture)))]) + "\n");
        }
    }
}

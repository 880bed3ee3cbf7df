using Kiosk.Central.Roster;
using Kiosk.Central.Store;

namespace Kiosk.Central.Tests;

public sealed class RosterImportTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private const string Header = "worker_id,name,badge,office,role,role_from,role_to,employed_from,employed_to,finger_slots\n";

    [Fact]
    public void A_roster_with_bad_rows_imports_nothing_and_reports_every_error_with_line_and_field()
    {
        using var dir = new TempDir();
        using var db = CentralDb.Open(dir.File("centre.db"));
        CentralSchema.Migrate(db);
        var csv = Header +
            "w1,张三,B001,hongqi,secretary,,,2020-01-01,,1;2\n" +
            "w2,,B002,hongqi,worker,,,2020-01-01,,3\n" +                 // line 3: name empty
            "w3,王五,B001,hongqi,worker,,,2020-01-01,,4\n" +             // line 4: badge used on line 2
            "w4,赵六,B004,hong/qi,boss,,,2020-13-01,,x\n" +              // line 5: office, role, date, slot
            "w5,钱七,B005,hongqi,worker,,,2021-05-01,2020-01-01,2\n";    // line 6: employed_to before from; slot 2 taken
        var errors = RosterStore.Import(db, new StringReader(csv), Now);

        var found = errors.Select(e => (e.Line, e.Field)).ToHashSet();
        Assert.Contains((3, "name"), found);
        Assert.Contains((4, "badge"), found);
        Assert.Contains((5, "office"), found);
        Assert.Contains((5, "role"), found);
        Assert.Contains((5, "employed_from"), found);
        Assert.Contains((5, "finger_slots"), found);
        Assert.Contains((6, "employed_to"), found);
        Assert.Contains("line 2", errors.Single(e => e.Line == 4).Why, StringComparison.Ordinal);
        Assert.Empty(RosterStore.Load(db));
    }

    [Fact]
    public void A_row_that_repeats_the_id_and_badge_of_a_faulty_row_is_reported_in_the_same_run()
    {
        var csv = Header +
            "w1,张三,B001,hongqi,boss,,,2020-01-01,,1\n" +            // line 2: bad role, so the row itself is refused
            "w1,李四,B001,hongqi,worker,,,2020-01-01,,2\n" +          // line 3: same id and badge as line 2
            "w3,王五,B003,hongqi,worker,,,2020-01-01,,3\n";
        var (rows, errors) = RosterCsv.Parse(new StringReader(csv));

        Assert.Contains(errors, e => e is { Line: 2, Field: "role" });
        Assert.Contains(errors, e => e is { Line: 3, Field: "worker_id", Why: "'w1' already used on line 2" });
        Assert.Contains(errors, e => e is { Line: 3, Field: "badge", Why: "'B001' already used on line 2" });
        Assert.Equal(["w3"], rows.Select(r => r.WorkerId));
    }

    [Fact]
    public void A_missing_column_is_reported_against_the_header_line()
    {
        var (rows, errors) = RosterCsv.Parse(new StringReader("worker_id,name,badge,office,role\nw1,张三,B1,hq,worker\n"));
        Assert.Empty(rows);
        Assert.Contains(errors, e => e is { Line: 1, Field: "employed_from" });
        Assert.Contains(errors, e => e is { Line: 1, Field: "finger_slots" });
    }

    [Fact]
    public void A_good_roster_round_trips_through_import_and_export_including_quotes_and_chinese_roles()
    {
        using var dir = new TempDir();
        using var db = CentralDb.Open(dir.File("centre.db"));
        CentralSchema.Migrate(db);
        var csv = Header +
            "w1,\"欧阳, 明\",B001,hongqi,书记,,,2020-01-01,,1;2\n" +
            "w2,李四,B002,hongqi,attendance_officer,2026-03-01,2026-03-31,2020-01-01,2026-06-30,\n" +
            "w3,王五,B003,xinhua,worker,,,2025-07-01,,1\n";
        Assert.Empty(RosterStore.Import(db, new StringReader(csv), Now));

        var rows = RosterStore.Load(db);
        Assert.Equal(3, rows.Count);
        Assert.Equal("欧阳, 明", rows[0].Name);
        Assert.Equal("secretary", rows[0].Role);
        Assert.Equal([1, 2], rows[0].FingerSlots);
        Assert.Equal(new DateOnly(2026, 3, 31), rows[1].RoleTo);
        Assert.Equal(new DateOnly(2026, 6, 30), rows[1].EmployedTo);

        var export = new StringWriter();
        RosterCsv.Write(export, rows);
        var (again, errors) = RosterCsv.Parse(new StringReader(export.ToString()));
        Assert.Empty(errors);
        Assert.Equal(rows.Select(r => r with { Line = 0 }).Select(r => (r.WorkerId, r.Name, r.Badge, r.Role, r.RoleTo, string.Join(';', r.FingerSlots))),
            again.Select(r => (r.WorkerId, r.Name, r.Badge, r.Role, r.RoleTo, string.Join(';', r.FingerSlots))));
    }

    [Fact]
    public void A_badge_already_worn_by_a_stored_worker_refuses_the_whole_second_import()
    {
        using var dir = new TempDir();
        using var db = CentralDb.Open(dir.File("centre.db"));
        CentralSchema.Migrate(db);
        Assert.Empty(RosterStore.Import(db, new StringReader(Header + "w1,张三,B001,hq,worker,,,2020-01-01,,\n"), Now));

        var errors = RosterStore.Import(db, new StringReader(Header +
            "w9,新人,B009,hq,worker,,,2026-01-01,,\n" +
            "w2,李四,B001,hq,worker,,,2020-01-01,,\n"), Now);

        var error = Assert.Single(errors);
        Assert.Equal((3, "badge"), (error.Line, error.Field));
        Assert.Equal(["w1"], RosterStore.Load(db).Select(r => r.WorkerId));
    }

    [Fact]
    public void Centre_events_are_append_only_in_the_store()
    {
        using var dir = new TempDir();
        using var db = CentralDb.Open(dir.File("centre.db"));
        CentralSchema.Migrate(db);
        CentralSchema.Migrate(db);
        CentralDb.Execute(db, "INSERT INTO centre_events(office_id, worker_id, kind, body, entered_by, entered_at) VALUES ('hq','w1','inspection','{}','x','t')");
        var ex = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => CentralDb.Execute(db, "UPDATE centre_events SET body = '{\"x\":1}'"));
        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
        Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => CentralDb.Execute(db, "DELETE FROM centre_events"));
    }
}

using System.Text;
using System.Text.Json;
using Kiosk.Central.Store;
using Kiosk.Core.Events;
using Kiosk.Sync.Contract;

namespace Kiosk.Central.Tests;

public sealed class AdminTests
{
    private const string Roster = """
        worker_id,name,badge,office,role,role_from,role_to,employed_from,employed_to,finger_slots
        w1,张三,B-w1,hongqi,secretary,,,2018-03-01,,1
        w2,李四,B-w2,hongqi,worker,,,2020-07-01,,2
        a1,陈六,B-a1,hongqi,attendance_officer,2026-03-01,2026-03-15,2020-01-01,,3
        l1,周主任,B-l1,jiedao,leader,,,2012-01-01,,

        """;

    [Fact]
    public async Task Roster_import_from_the_command_line_lists_every_bad_row_and_imports_nothing()
    {
        using var centre = new Centre();
        var path = centre.Dir.File("bad.csv");
        await File.WriteAllTextAsync(path, Roster + "w9,,B-w9,hongqi,worker,,,2020-01-01,,\nw10,某人,B-w1,hongqi,boss,,,2020-01-01,,\n");
        var (code, _, err) = await centre.RunAsync("roster", "import", path);
        Assert.Equal(2, code);
        Assert.Contains("roster NOT imported, 3 error(s)", err, StringComparison.Ordinal);
        Assert.Contains("line 6, name: is empty", err, StringComparison.Ordinal);
        Assert.Contains("line 7, role: 'boss'", err, StringComparison.Ordinal);
        Assert.Contains("line 7, badge: 'B-w1' already used on line 2", err, StringComparison.Ordinal);
        Assert.Equal("worker_id,name,badge,office,role,role_from,role_to,employed_from,employed_to,finger_slots\n",
            await centre.RunOkAsync("roster", "export"));
    }

    [Fact]
    public async Task Nonsense_settings_are_refused_naming_the_field_and_good_ones_become_a_new_version()
    {
        using var centre = new Centre();
        await centre.ImportRosterAsync(Roster);
        var bad = centre.Dir.File("bad.json");
        await File.WriteAllTextAsync(bad, """{"schedule":{"seriouslyLateMinutes":-5}}""");
        var (code, _, err) = await centre.RunAsync("settings", "set", "--office", "hongqi", "--by", "l1", bad);
        Assert.Equal(2, code);
        Assert.Contains("schedule.seriouslyLateMinutes", err, StringComparison.Ordinal);

        var good = centre.Dir.File("good.json");
        await File.WriteAllTextAsync(good, """{"schedule":{"graceMinutes":5}}""");
        Assert.Contains("settings version s1", await centre.RunOkAsync("settings", "set", "--office", "hongqi", "--by", "l1", good), StringComparison.Ordinal);
        using var db = CentralDb.Open(centre.Db);
        Assert.Equal(5, Admin.SetSettings.For(db, "hongqi").Schedule.GraceMinutes);
        Assert.Equal(0, Admin.SetSettings.For(db, "xinhua").Schedule.GraceMinutes);
    }

    [Fact]
    public async Task A_calendar_import_replaces_the_built_in_year_and_a_broken_one_is_refused()
    {
        using var centre = new Centre();
        var broken = centre.Dir.File("broken.json");
        await File.WriteAllTextAsync(broken, """{"year":2027,"days":[{"name":"x","date":"2027-13-01","isOffDay":true}]}""");
        var (code, _, err) = await centre.RunAsync("calendar", "import", broken);
        Assert.Equal(2, code);
        Assert.Contains("calendar file refused", err, StringComparison.Ordinal);

        var y2027 = centre.Dir.File("2027.json");
        await File.WriteAllTextAsync(y2027, """{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}""");
        Assert.Contains("calendar 2027 imported", await centre.RunOkAsync("calendar", "import", y2027), StringComparison.Ordinal);
        using var db = CentralDb.Open(centre.Db);
        var calendar = Admin.ImportCalendar.Load(db);
        Assert.Equal(Kiosk.Core.Calendar.DayKind.StatutoryHoliday, calendar.KindOf(new DateOnly(2027, 1, 1)));
        Assert.Equal(Kiosk.Core.Calendar.DayKind.AdjustedWorkday, calendar.KindOf(new DateOnly(2026, 2, 14)));   // built-in year kept
    }

    [Fact]
    public async Task A_published_config_carries_roster_delegation_settings_and_only_approved_leave_with_a_rising_version()
    {
        using var centre = new Centre();
        await centre.ImportRosterAsync(Roster);
        var approved = await centre.RunOkAsync("leave", "request", "--worker", "w2", "--type", "Sick", "--start", "2026-03-09", "--half-days", "2", "--by", "w1");
        var approvedId = System.Text.RegularExpressions.Regex.Match(approved, @"L\d{14}-[0-9a-f]{6}").Value;
        await centre.RunOkAsync("leave", "approve", approvedId, "--by", "l1");
        await centre.RunOkAsync("leave", "request", "--worker", "w2", "--type", "Personal", "--start", "2026-03-20", "--half-days", "1", "--by", "w1");

        Assert.Contains("config version 1", await centre.RunOkAsync("config", "publish", "--office", "hongqi"), StringComparison.Ordinal);
        Assert.Contains("config version 2", await centre.RunOkAsync("config", "publish", "--office", "hongqi"), StringComparison.Ordinal);
        using var db = CentralDb.Open(centre.Db);
        var config = Assert.Single(Admin.PublishConfig.Latest(db));
        Assert.Equal(("hongqi", "2"), (config.OfficeId, config.Version));
        var leave = config.ApprovedLeave!.Value;
        Assert.Equal(1, leave.GetArrayLength());
        Assert.Equal(approvedId, leave[0].GetProperty("leaveId").GetString());
        var roster = config.Roster!.Value;
        Assert.Equal(3, roster.GetProperty("workers").GetArrayLength());
        var delegation = roster.GetProperty("delegations")[0];
        Assert.Equal(("a1", "2026-03-15", "w1"), (delegation.GetProperty("workerId").GetString(), delegation.GetProperty("to").GetString(),
            delegation.GetProperty("namedBy").GetString()));
        Assert.Equal(JsonValueKind.Object, config.Settings!.Value.ValueKind);
    }

    [Fact]
    public async Task Registering_a_device_writes_a_mosquitto_password_line_and_retiring_removes_it()
    {
        using var centre = new Centre();
        using var identity = DeviceIdentity.CreateEphemeral("hongqi", "hongqi-door");
        var pem = centre.Dir.File("key.pem");
        await File.WriteAllTextAsync(pem, identity.PublicKeyPem);
        var passwd = centre.Dir.File("passwd");
        var output = await centre.RunOkAsync("device", "register", "--office", "hongqi", "--device", "hongqi-door", "--public-key", pem,
            "--password-file", passwd);
        Assert.Contains("broker username: hongqi-door", output, StringComparison.Ordinal);
        Assert.Matches(@"broker password \(shown once.*\): [A-Za-z0-9_-]{24}", output);
        var line = Assert.Single(File.ReadAllLines(passwd));
        Assert.StartsWith("hongqi-door:$", line, StringComparison.Ordinal);      // hashed by mosquitto_passwd, never plain

        var notAKey = centre.Dir.File("bad.pem");
        await File.WriteAllTextAsync(notAKey, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        var (code, _, err) = await centre.RunAsync("device", "register", "--office", "hongqi", "--device", "d2", "--public-key", notAKey);
        Assert.Equal(2, code);
        Assert.Contains("device d2 not registered", err, StringComparison.Ordinal);

        await centre.RunOkAsync("device", "retire", "--device", "hongqi-door", "--password-file", passwd);
        Assert.Empty(File.ReadAllLines(passwd));
    }

    [Fact]
    public async Task A_sneakernet_file_with_a_forged_batch_stores_the_good_batches_and_reports_the_forged_one()
    {
        using var centre = new Centre();
        await centre.ImportRosterAsync(Roster);
        await centre.RegisterAsync("hongqi", "hongqi-door");
        var rows = new Journal("hongqi", "hongqi-door").OnTime("w2", Journal.Workdays(2026, 3, toDay: 6)).Build();
        using var forger = DeviceIdentity.CreateEphemeral("hongqi", "hongqi-door");   // right names, wrong key
        var file = centre.Dir.File("usb.jsonl");
        await File.WriteAllTextAsync(file,
            Encoding.UTF8.GetString(SyncJson.Serialize(BatchSignature.Create(forger, "forged", rows.Take(4).ToList()))) + "\n" +
            "{not json\n");
        var (code, output, err) = await centre.RunAsync("import-journal", file);
        Assert.Equal(3, code);
        Assert.Contains("0 new events stored", output, StringComparison.Ordinal);
        Assert.Contains("line 1: batch forged of hongqi-door rejected", err, StringComparison.Ordinal);
        Assert.Contains("line 2: not a signed event batch", err, StringComparison.Ordinal);

        Assert.Contains($"{rows.Count} new events stored", await centre.ImportJournalAsync(rows), StringComparison.Ordinal);
        Assert.Contains($"0 new events stored, {rows.Count} already present", await centre.ImportJournalAsync(rows, batchSize: 3), StringComparison.Ordinal);
        var devices = await centre.RunOkAsync("device", "list");
        Assert.Contains($"hongqi\thongqi-door\t?\t", devices, StringComparison.Ordinal);
        Assert.Contains($"\t{rows.Count}\t2026-03-06 12:55:00 +08:00\t", devices, StringComparison.Ordinal);   // watermark and complete-up-to
    }
}

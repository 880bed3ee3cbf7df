using System.Runtime.CompilerServices;
using Kiosk.Central.Scoring;
using Kiosk.Core.Events;
using Kiosk.Core.Settings;

namespace Kiosk.Central.Tests;

/// <summary>The small files-only example in examples/files-only (docs/central.md): February 2026 for office
/// "hongqi" — Spring Festival holidays, two 调休 Saturdays, late and seriously late, an excuse, a self-excuse,
/// approved and pending leave, a 脱岗 finding, a worker who joins mid-month, secretary points.</summary>
internal static class ExampleData
{
    public const string Month = "2026-02";
    public const string CompleteUpTo = "2026-02-28T23:59:59+08:00";

    /// <summary>examples/files-only of this checkout: found from the source path, or (if the build mapped source
    /// paths) by walking up from the working and output directories to Kiosk.sln.</summary>
    public static string Directory([CallerFilePath] string source = "")
    {
        var fromSource = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "examples", "files-only"));
        if (System.IO.Directory.Exists(fromSource))
        {
            return fromSource;
        }

        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Kiosk.sln")))
                {
                    return Path.Combine(dir.FullName, "examples", "files-only");
                }
            }
        }

        return fromSource;
    }

    public const string Roster = """
        worker_id,name,badge,office,role,role_from,role_to,employed_from,employed_to,finger_slots
        w1,张三,B-w1,hongqi,secretary,,,2018-03-01,,1;2
        w2,李四,B-w2,hongqi,worker,,,2020-07-01,,3
        w3,王五,B-w3,hongqi,worker,,,2021-01-04,,4
        w4,赵六,B-w4,hongqi,worker,,,2026-02-24,,5
        s1,孙科长,B-s1,jiedao,section,,,2015-01-01,,
        l1,周主任,B-l1,jiedao,leader,,,2012-01-01,,

        """;

    public static IReadOnlyList<JournalEnvelope> DeviceJournal()
    {
        var d = (int day) => new DateOnly(2026, 2, day);
        var j = new Journal("hongqi", "hongqi-door");
        j.OnTime("w1", Journal.Workdays(2026, 2));
        foreach (var day in Journal.Workdays(2026, 2))
        {
            if (day.Day != 2 && day.Day != 4 && day.Day != 14)
            {
                j.Punch("w2", day, 7, 58);
            }

            if (day.Day != 3 && day.Day != 5)
            {
                j.Punch("w2", day, 12, 58);
            }
        }

        j.Punch("w2", d(2), 8, 5, 30);           // late 5 minutes (seconds dropped)
        j.Punch("w2", d(2), 8, 6);               // a second tap: a duplicate, changes nothing
        j.Punch("w2", d(3), 13, 40);             // seriously late, 40 minutes
        j.Add(new Excuse("w2", d(4), Session.Morning, ExcuseReason.Meeting, "街道例会", "w1", EventSource.Secretary, Journal.At(d(4), 10, 0)));
        // w2: 5 Feb afternoon and the 调休 Saturday 14 Feb morning have no sign-in and nothing covering them → 旷工.

        foreach (var day in Journal.Workdays(2026, 2).Where(x => x.Day is not (9 or 10 or 11)))
        {
            j.Punch("w3", day, 7, 50).Punch("w3", day, 12, 50);
        }

        j.Punch("w3", d(10), 12, 50).Punch("w3", d(11), 12, 50);
        j.Add(new LeaveRequest("L-0210", "w3", LeaveType.Sick, d(10), Session.Morning, 1, LeaveState.Requested, null, null, "w1", "看病",
            Journal.At(d(10), 8, 30)));        // registered on the kiosk, never approved → pending leave
        j.Add(new Excuse("w3", d(11), Session.Morning, ExcuseReason.FieldVisit, null, "w3", EventSource.Secretary,
            Journal.At(d(11), 9, 0)));          // self-excuse: invalid, so 11 Feb morning is 旷工

        j.OnTime("w4", Journal.Workdays(2026, 2, fromDay: 24));
        return j.Build();
    }

    public static IReadOnlyList<CentreLine> CentreLines()
    {
        var at = Journal.At(new DateOnly(2026, 2, 6), 16, 0);
        return
        [
            new CentreLine("hongqi", "w3", new LeaveRequest("L-0209", "w3", LeaveType.Personal, new DateOnly(2026, 2, 9), Session.Morning, 2,
                LeaveState.Requested, "leader", null, "w3", "家中有事", at)),
            new CentreLine("hongqi", "l1", new LeaveRequest("L-0209", "w3", LeaveType.Personal, new DateOnly(2026, 2, 9), Session.Morning, 2,
                LeaveState.Approved, "leader", "l1", "w3", "家中有事", at.AddHours(1))),
            new CentreLine("hongqi", "检查组", new InspectionFinding("w4", new DateOnly(2026, 2, 25), Session.Afternoon, "检查组", "14:30 不在岗",
                Journal.At(new DateOnly(2026, 2, 25), 14, 30))),
            new CentreLine("hongqi", "s1", new SecretaryPoints("w1", 2026, 2, 19, "s1", Journal.At(new DateOnly(2026, 2, 28), 17, 0))),
            new CentreLine("hongqi", "w1", new SecretaryPoints("w2", 2026, 2, 18, "w1", Journal.At(new DateOnly(2026, 2, 28), 17, 0))),
            new CentreLine("hongqi", "w1", new SecretaryPoints("w3", 2026, 2, 20, "w1", Journal.At(new DateOnly(2026, 2, 28), 17, 0))),
            new CentreLine("hongqi", "w1", new SecretaryPoints("w4", 2026, 2, 15, "w1", Journal.At(new DateOnly(2026, 2, 28), 17, 0))),
        ];
    }

    public static string EventsJsonl()
    {
        var writer = new StringWriter { NewLine = "\n" };
        Kiosk.Central.Scoring.EventsJsonl.Write(writer, DeviceJournal());
        foreach (var line in CentreLines())
        {
            writer.Write(Kiosk.Central.Scoring.EventsJsonl.CentreLineJson(line) + "\n");
        }

        return writer.ToString();
    }

    public static string SettingsJson() => RulesSettingsJson.Serialize(RulesSettings.Default with { Version = "example-1" });
}

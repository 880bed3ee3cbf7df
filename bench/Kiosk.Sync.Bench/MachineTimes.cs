namespace Kiosk.Sync.Bench;

/// <summary>The whole machine's CPU times from /proc/stat (all cores, in clock ticks): how much of a drain the cores
/// sat idle or waited for the disk, which tells a drain bound by the CPU from one bound by waiting.</summary>
internal static class MachineTimes
{
    public static (long Idle, long Total) Read()
    {
        if (!File.Exists("/proc/stat"))
        {
            return (0, 0);
        }

        // "cpu  user nice system idle iowait irq softirq steal ..." (proc(5)); idle and iowait are the 4th and 5th.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (fields[3] + fields[4], fields.Take(8).Sum());
    }

    public static double IdleShare((long Idle, long Total) before, (long Idle, long Total) after) =>
        after.Total > before.Total ? (double)(after.Idle - before.Idle) / (after.Total - before.Total) : double.NaN;
}

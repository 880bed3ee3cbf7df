using Kiosk.Device.Journal;

namespace Kiosk.Device.Punching;

/// <summary>The punches of the office-local day, per worker, for duplicate detection and the day board. Loaded
/// from the journal when the day changes (or the program restarts), so a restart in the middle of the morning
/// still answers "已签到 07:58" to the second tap.</summary>
internal sealed class TodayPunches
{
    private readonly EventJournal journal;
    private readonly Dictionary<string, List<DateTimeOffset>> byWorker = new(StringComparer.Ordinal);
    private DateOnly? day;

    public TodayPunches(EventJournal journal) => this.journal = journal;

    public IReadOnlyList<DateTimeOffset> For(string workerId, DateOnly date)
    {
        EnsureDay(date);
        return byWorker.TryGetValue(workerId, out var list) ? list : [];
    }

    public void Add(string workerId, DateTimeOffset at)
    {
        var date = KioskContext.DateOf(at);
        if (day != date)
        {
            // Reloading reads the journal, which already holds this punch (it is committed before Add).
            EnsureDay(date);
            return;
        }

        if (!byWorker.TryGetValue(workerId, out var list))
        {
            list = [];
            byWorker[workerId] = list;
        }

        list.Add(at);
    }

    private void EnsureDay(DateOnly date)
    {
        if (day == date)
        {
            return;
        }

        byWorker.Clear();
        day = date;
        // The worker and the time are columns of the row: no envelope is parsed (this runs on the first punch of a day).
        foreach (var row in journal.ReadDay(date, "punch"))
        {
            if (row.WorkerId is { } worker)
            {
                if (!byWorker.TryGetValue(worker, out var list))
                {
                    list = [];
                    byWorker[worker] = list;
                }

                list.Add(row.At);
            }
        }
    }
}

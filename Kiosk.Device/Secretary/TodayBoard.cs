using Kiosk.Core.Events;
using Kiosk.Core.Verdicts;
using Kiosk.Device.Punching;

namespace Kiosk.Device.Secretary;

/// <summary>今日签到: who has signed today (first punch time) and who has not; a marked reason, or approved leave from the
/// centre's configuration (issue 4: the kiosk caches approved leave), is shown instead of 未签到.</summary>
internal sealed class TodayBoard(SecretaryPrompt prompt)
{
    public Task RunAsync(CancellationToken cancellationToken) => prompt.PagesAsync("今日签到", Lines(prompt.Kiosk), cancellationToken);

    internal static IReadOnlyList<string> Lines(KioskContext kiosk)
    {
        var today = KioskContext.DateOf(kiosk.Clock.Stamp().Local);
        var office = kiosk.Office;
        var excused = kiosk.Journal.ReadDay(today, "excuse")
            .Select(r => r.Envelope().Event)
            .OfType<Excuse>()
            .ToList();
        var onLeave = LeaveCoverage.Current(office.ApprovedLeave)
            .Where(l => l.State == LeaveState.Approved && LeaveCoverage.SessionsCovered(l, office.Calendar).Any(s => s.Date == today))
            .ToList();
        var lines = new List<string>();
        foreach (var worker in office.Roster.Workers.Where(w => w.IsEmployedOn(today)))
        {
            var punches = kiosk.Today.For(worker.Id, today);
            var excuse = excused.LastOrDefault(e => e.WorkerId == worker.Id && e.Date == today);
            var leave = onLeave.FirstOrDefault(l => string.Equals(l.WorkerId, worker.Id, StringComparison.Ordinal));
            lines.Add(worker.Name + " " + (punches.Count > 0 ? ScreenText.Hm(punches.Min())
                : excuse is not null ? excuse.Reason.ToChinese()
                : leave is not null ? leave.Type.ToChinese()
                : "未签到"));
        }

        return lines;
    }
}

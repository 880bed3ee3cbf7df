using Kiosk.Core.Events;
using Kiosk.Device.Punching;

namespace Kiosk.Device.Secretary;

/// <summary>今日签到: who has signed today (first punch time) and who has not, marked reasons shown instead.</summary>
internal sealed class TodayBoard(SecretaryPrompt prompt)
{
    public Task RunAsync(CancellationToken cancellationToken) => prompt.PagesAsync("今日签到", Lines(prompt.Kiosk), cancellationToken);

    internal static IReadOnlyList<string> Lines(KioskContext kiosk)
    {
        var today = KioskContext.DateOf(kiosk.Clock.Stamp().Local);
        var excused = kiosk.Journal.ReadDay(today)
            .Where(r => r.Kind == "excuse")
            .Select(r => r.Envelope().Event)
            .OfType<Excuse>()
            .ToList();
        var lines = new List<string>();
        foreach (var worker in kiosk.Office.Roster.Workers.Where(w => w.IsEmployedOn(today)))
        {
            var punches = kiosk.Today.For(worker.Id, today);
            var excuse = excused.LastOrDefault(e => e.WorkerId == worker.Id && e.Date == today);
            lines.Add(worker.Name + " " + (punches.Count > 0 ? ScreenText.Hm(punches.Min())
                : excuse is not null ? MarkReason.Reasons.First(r => r.Reason == excuse.Reason).Text
                : "未签到"));
        }

        return lines;
    }
}

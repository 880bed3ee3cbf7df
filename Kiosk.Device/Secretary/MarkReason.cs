using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Device.Punching;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Secretary;

/// <summary>标明原因 (policy: "the attendance officer marks the reason"): worker by number or badge, the session
/// (today's or the previous workday's), the reason. Nobody marks a reason for themselves (decision 7).</summary>
internal sealed class MarkReason(SecretaryPrompt prompt)
{
    public static readonly IReadOnlyList<(ExcuseReason Reason, string Text)> Reasons =
        [.. ChineseNames.ExcuseReasons.Select(r => (r, r.ToChinese()))];

    public async Task RunAsync(Worker officer, CancellationToken cancellationToken)
    {
        var kiosk = prompt.Kiosk;
        var worker = await prompt.ReadWorkerAsync("标明原因", cancellationToken);
        if (worker is null)
        {
            return;
        }

        if (string.Equals(worker.Id, officer.Id, StringComparison.Ordinal))
        {
            kiosk.Log.LogWarning("{Officer} tried to mark a reason for themselves; refused", officer.Id);
            kiosk.Devices.Signal.Refusal();
            await prompt.MessageAsync(cancellationToken, "不能为自己标明", "原因");
            return;
        }

        var today = KioskContext.DateOf(kiosk.Clock.Stamp().Local);
        var sessions = new List<(DateOnly Date, Session Session, string Text)>
        {
            (today, Session.Morning, "今天上午"),
            (today, Session.Afternoon, "今天下午"),
        };
        if (kiosk.Office.Calendar.PreviousWorkday(today) is { } previous)
        {
            sessions.Add((previous, Session.Morning, "上个工作日上午"));
            sessions.Add((previous, Session.Afternoon, "上个工作日下午"));
        }

        if (await prompt.ChooseAsync(worker.Name, sessions.Select(s => s.Text).ToList(), cancellationToken) is not { } s
            || await prompt.ChooseAsync("原因", Reasons.Select(r => r.Text).ToList(), cancellationToken) is not { } r)
        {
            return;
        }

        var (date, session, sessionText) = sessions[s];
        var stamp = kiosk.Clock.Stamp();
        var excuse = new Excuse(worker.Id, date, session, Reasons[r].Reason, null, officer.Id, EventSource.Secretary, stamp.Local);
        var envelope = await kiosk.Journal.AppendAsync(excuse, stamp, cancellationToken);
        kiosk.Log.LogInformation("Reason {Reason} marked for {Worker} on {Date} {Session} by {Officer}; sequence {Sequence}",
            excuse.Reason, worker.Id, date, session, officer.Id, envelope.Sequence);
        kiosk.Devices.Signal.Success();
        await prompt.MessageAsync(cancellationToken, "已标明原因", worker.Name, sessionText, Reasons[r].Text);
    }
}

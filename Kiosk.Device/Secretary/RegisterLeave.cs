using System.Globalization;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Device.Punching;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Secretary;

/// <summary>登记请假: type, start (MMDD, Enter alone = today), half-day, length in half-days. The request
/// travels as Requested; only the centre approves along the ladder (attendance-policy.md, "Leave").</summary>
internal sealed class RegisterLeave(SecretaryPrompt prompt)
{
    public static readonly IReadOnlyList<(LeaveType Type, string Text)> Types =
        [.. ChineseNames.LeaveTypes.Select(t => (t, t.ToChinese()))];

    public async Task RunAsync(Worker officer, CancellationToken cancellationToken)
    {
        var kiosk = prompt.Kiosk;
        var worker = await prompt.ReadWorkerAsync("登记请假", cancellationToken);
        if (worker is null || await prompt.ChooseAsync("假别", Types.Select(t => t.Text).ToList(), cancellationToken) is not { } type)
        {
            return;
        }

        var today = KioskContext.DateOf(kiosk.Clock.Stamp().Local);
        DateOnly start;
        while (true)
        {
            var typed = await prompt.ReadNumberAsync("开始日期 月日", "如0302 确认=今天", acceptCard: false, cancellationToken, allowEmpty: true);
            if (typed is null)
            {
                return;
            }

            if (typed.Length == 0)
            {
                start = today;
                break;
            }

            if (TryStartFromMonthDay(typed, today) is { } date)
            {
                start = date;
                break;
            }

            await prompt.MessageAsync(cancellationToken, "日期不对", typed);
        }

        if (await prompt.ChooseAsync("从", ["上午", "下午"], cancellationToken) is not { } half)
        {
            return;
        }

        var count = await prompt.ReadNumberAsync("共几个半天", "1-60", acceptCard: false, cancellationToken);
        if (count is null || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var halfDays) || halfDays is < 1 or > 60)
        {
            return;
        }

        var stamp = kiosk.Clock.Stamp();
        var leave = new LeaveRequest("kiosk-" + kiosk.Options.DeviceId + "-" + Guid.NewGuid().ToString("N")[..12], worker.Id, Types[type].Type,
            start, half == 0 ? Session.Morning : Session.Afternoon, halfDays, LeaveState.Requested, null, null, officer.Id, null, stamp.Local);
        var envelope = await kiosk.Journal.AppendAsync(leave, stamp, cancellationToken);
        kiosk.Log.LogInformation("Leave {LeaveId} requested for {Worker}: {Type} from {Start} {Session}, {HalfDays} half-days, by {Officer}; sequence {Sequence}",
            leave.LeaveId, worker.Id, leave.Type, start, leave.StartSession, halfDays, officer.Id, envelope.Sequence);
        kiosk.Devices.Signal.Success();
        await prompt.MessageAsync(cancellationToken, "请假已登记", worker.Name, Types[type].Text + " " + halfDays.ToString(CultureInfo.InvariantCulture) + "个半天", "待中心审批");
    }

    /// <summary>The date a typed MMDD means: the one nearest today, within half a year either way (leave is registered
    /// after the fact or ahead of time), so "0105" typed on 28 December is next January, not the last one.</summary>
    internal static DateOnly? TryStartFromMonthDay(string typed, DateOnly today)
    {
        if (typed.Length > 4)
        {
            return null;
        }

        var text = typed.PadLeft(4, '0');
        foreach (var year in new[] { today.Year, today.Year + 1, today.Year - 1 })
        {
            if (DateOnly.TryParseExact(year.ToString("D4", CultureInfo.InvariantCulture) + text, "yyyyMMdd", CultureInfo.InvariantCulture,
                    DateTimeStyles.None, out var date)
                && date > today.AddMonths(-6) && date <= today.AddMonths(6))
            {
                return date;
            }
        }

        return null;
    }
}

using System.Globalization;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Secretary;

/// <summary>临时外出: a temporary outing of at most OutingMaxMinutes (policy: 2 hours), approved by the secretary
/// on the spot, starting now. Nobody approves their own outing.</summary>
internal sealed class ApproveOuting(SecretaryPrompt prompt)
{
    public async Task RunAsync(Worker officer, CancellationToken cancellationToken)
    {
        var kiosk = prompt.Kiosk;
        var worker = await prompt.ReadWorkerAsync("临时外出", cancellationToken);
        if (worker is null)
        {
            return;
        }

        if (string.Equals(worker.Id, officer.Id, StringComparison.Ordinal))
        {
            kiosk.Devices.Signal.Refusal();
            await prompt.MessageAsync(cancellationToken, "不能为自己批准", "外出");
            return;
        }

        var max = kiosk.Office.Settings.OutingMaxMinutes;
        var typed = await prompt.ReadNumberAsync("外出分钟", "最多" + max.ToString(CultureInfo.InvariantCulture), acceptCard: false, cancellationToken);
        if (typed is null || !int.TryParse(typed, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes < 1 || minutes > max)
        {
            if (typed is not null)
            {
                await prompt.MessageAsync(cancellationToken, "超过" + max.ToString(CultureInfo.InvariantCulture) + "分钟", "请走请假");
            }

            return;
        }

        var stamp = kiosk.Clock.Stamp();
        var outing = new Outing(worker.Id, stamp.Local, TimeSpan.FromMinutes(minutes), officer.Id, null, stamp.Local);
        var envelope = await kiosk.Journal.AppendAsync(outing, stamp, cancellationToken);
        kiosk.Log.LogInformation("Outing of {Minutes} min approved for {Worker} by {Officer}; sequence {Sequence}", minutes, worker.Id, officer.Id, envelope.Sequence);
        kiosk.Devices.Signal.Success();
        await prompt.MessageAsync(cancellationToken, "外出已批准", worker.Name, minutes.ToString(CultureInfo.InvariantCulture) + "分钟");
    }
}

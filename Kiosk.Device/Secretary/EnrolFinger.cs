using System.Globalization;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Device.Devices;
using Kiosk.Device.Punching;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Secretary;

/// <summary>登记指纹: two captures into a free module slot. The template stays in the module (decision 8); only
/// the slot number is journalled (Enrolment) and used on this kiosk at once.</summary>
internal sealed class EnrolFinger(SecretaryPrompt prompt)
{
    public async Task RunAsync(Worker officer, CancellationToken cancellationToken)
    {
        var kiosk = prompt.Kiosk;
        var worker = await prompt.ReadWorkerAsync("登记指纹", cancellationToken);
        if (worker is null)
        {
            return;
        }

        if (kiosk.Devices.Fingerprint is not { } finger)
        {
            await prompt.MessageAsync(cancellationToken, "无指纹模块");
            return;
        }

        // Capture, lift, capture: up to three finger waits.
        var progress = new ScreenProgress(kiosk.Devices.Display, worker.Name);
        var result = await kiosk.UseFingerAsync(3, prompt.Liveness, async wait =>
        {
            await progress.ShowAsync(EnrolStep.PlaceFinger, cancellationToken);
            return await finger.EnrolAsync(progress, wait, cancellationToken);
        }, cancellationToken);

        if (!result.IsMatch)
        {
            kiosk.Log.LogWarning("Enrolment of {Worker} failed: {Status} {Detail}", worker.Id, result.Status, result.Detail);
            kiosk.Devices.Signal.Refusal();
            await prompt.MessageAsync(cancellationToken, "登记失败", PunchRecorder.Describe(result.Status));
            return;
        }

        var stamp = kiosk.Clock.Stamp();
        var enrolment = new Enrolment(worker.Id, result.Slot, officer.Id, stamp.Local);
        var envelope = await kiosk.Journal.AppendAsync(enrolment, stamp, cancellationToken);
        kiosk.Enrolments.Add(enrolment);
        kiosk.Log.LogInformation("Finger of {Worker} enrolled in slot {Slot} by {Officer}; sequence {Sequence}", worker.Id, result.Slot, officer.Id, envelope.Sequence);
        kiosk.Devices.Signal.Success();
        await prompt.MessageAsync(cancellationToken, "指纹已登记", worker.Name, "编号 " + result.Slot.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Shows each enrolment step; the driver reports from its own thread, so showing never blocks it.</summary>
    private sealed class ScreenProgress(IDisplay display, string name) : IProgress<EnrolStep>
    {
        public Task ShowAsync(EnrolStep step, CancellationToken cancellationToken) => display.ShowAsync(ScreenText.Fit(name, Text(step)), cancellationToken);

        public void Report(EnrolStep value) => _ = ShowAsync(value, CancellationToken.None);

        private static string Text(EnrolStep step) => step switch
        {
            EnrolStep.PlaceFinger => "请按手指",
            EnrolStep.LiftFinger => "请抬起手指",
            EnrolStep.PlaceAgain => "请再按一次",
            _ => "正在保存",
        };
    }
}

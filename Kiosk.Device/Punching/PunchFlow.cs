using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Device.Devices;
using Kiosk.Device.Hosting;
using Kiosk.Device.Secretary;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Punching;

/// <summary>The door (issue 4, "Punch flow"): one loop takes inputs one at a time, identifies the worker in the
/// office's mode (card only / finger only / card then finger, 1:1 against the worker's own slots), records
/// through <see cref="PunchRecorder"/>, shows the result for a few seconds and returns to the idle screen.
/// The Menu key opens secretary mode. A failure handling one input never stops the loop.</summary>
internal sealed class PunchFlow : BackgroundService
{
    public const string PlaceFingerText = "请按手指";
    public const string SaveFailedText = "记录失败";

    private readonly KioskContext kiosk;
    private readonly PunchRecorder recorder;
    private readonly SecretaryMode secretary;
    private readonly Liveness liveness;
    private Screen? shown;
    private long resultUntil;

    public PunchFlow(KioskContext kiosk, SecretaryMode secretary, Liveness liveness)
    {
        this.kiosk = kiosk;
        recorder = new PunchRecorder(kiosk);
        this.secretary = secretary;
        this.liveness = liveness;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        kiosk.Inputs.Start(kiosk.Devices, pollFinger: kiosk.Options.Identification == IdentificationMode.FingerOnly);
        await ShowAsync(IdleScreen.Build(kiosk), stoppingToken);
        liveness.MarkReady();
        while (!stoppingToken.IsCancellationRequested)
        {
            liveness.Beat();
            var input = await kiosk.Inputs.ReadAsync(TimeSpan.FromSeconds(1), stoppingToken);
            if (input is null)
            {
                await RefreshClockAsync(stoppingToken);
            }

            try
            {
                await HandleAsync(input, stoppingToken);
            }
            catch (Exception ex) when (ex is SqliteException or IOException or InvalidOperationException)
            {
                // The journal could not commit (disk full, SD card failing): never show success for it.
                kiosk.Log.LogError(ex, "Could not handle {Input}; nothing was shown as recorded", input);
                kiosk.Devices.Signal.Refusal();
                await ShowResultAsync(ScreenText.Fit(SaveFailedText, "请联系书记"), stoppingToken);
            }
        }
    }

    /// <summary>On an idle tick (not on a punch's path): when the clock has just become trusted, the correction of
    /// this boot's untrusted rows is journalled (decision 6). A failure here is logged; nobody is at the door to be
    /// shown 记录失败.</summary>
    private async Task RefreshClockAsync(CancellationToken cancellationToken)
    {
        try
        {
            await kiosk.Clock.RefreshAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidOperationException)
        {
            kiosk.Log.LogError(ex, "Could not journal the clock correction; it is tried again on the next idle second");
        }
    }

    private async Task HandleAsync(KioskInput? input, CancellationToken cancellationToken)
    {
        switch (input)
        {
            case CardInput card:
                await ShowResultAsync(await OnCardAsync(card.Card.CardId, cancellationToken), cancellationToken);
                break;
            case FingerInput finger:
                await ShowResultAsync(await OnFingerAsync(finger.Match, cancellationToken), cancellationToken);
                break;
            case KeyInput { Key.Kind: KeyKind.Menu }:
                await secretary.RunAsync(cancellationToken);
                resultUntil = 0;
                // Secretary mode drew on the display itself: what we showed last is no longer there.
                shown = null;
                await ShowAsync(IdleScreen.Build(kiosk), cancellationToken);
                break;
            default:
                if (kiosk.Time.GetTimestamp() >= resultUntil)
                {
                    await ShowAsync(IdleScreen.Build(kiosk), cancellationToken);
                }

                break;
        }
    }

    internal async Task<Screen> OnCardAsync(string cardId, CancellationToken cancellationToken)
    {
        var worker = kiosk.Office.Roster.FindByBadge(cardId);
        if (worker is null)
        {
            return await recorder.RecordUnknownCardAsync(cardId, cancellationToken);
        }

        var finger = kiosk.Devices.Fingerprint;
        if (kiosk.Options.Identification != IdentificationMode.CardThenFinger || finger is null)
        {
            // The recorder checks employment itself (a former worker's card is refused: 卡已停用, RecordRefusedAsync).
            return await recorder.RecordPunchAsync(worker, cardId, null, PunchMethod.Card, cancellationToken);
        }

        var slots = kiosk.SlotsOf(worker);
        if (slots.Count == 0)
        {
            kiosk.Log.LogWarning("Worker {Worker} has no finger enrolled; punch taken on the card alone", worker.Id);
            return await recorder.RecordPunchAsync(worker, cardId, null, PunchMethod.Card, cancellationToken);
        }

        var stamp = kiosk.Clock.Stamp();
        if (!worker.IsEmployedOn(KioskContext.DateOf(stamp.Local)))
        {
            // No finger asked of someone who has left: the card is refused and kept for the audit. Checked here, just
            // before the finger wait, so a card-only punch stamps the clock once (in the recorder).
            return await recorder.RecordRefusedAsync(worker, cardId, null, stamp, cancellationToken);
        }

        await ShowAsync(ScreenText.Fit(worker.Name, PlaceFingerText), cancellationToken);
        var match = await kiosk.VerifyFingerAsync(finger, slots, liveness, cancellationToken);
        if (match.IsMatch && slots.Contains(match.Slot))
        {
            return await recorder.RecordPunchAsync(worker, cardId, match.Slot, PunchMethod.CardAndFinger, cancellationToken);
        }

        if (match.Status is FingerStatus.NoMatch or FingerStatus.Ok)
        {
            return await recorder.RecordFingerNotRecognisedAsync(cardId, worker, match, cancellationToken);
        }

        if (match.Status is FingerStatus.CommunicationError or FingerStatus.ModuleError)
        {
            // A broken module must not shut the door: the card punch is kept, marked as card-only.
            kiosk.Log.LogError("Fingerprint module failed ({Status}: {Detail}); punch of {Worker} taken on the card alone", match.Status, match.Detail, worker.Id);
            return await recorder.RecordPunchAsync(worker, cardId, null, PunchMethod.Card, cancellationToken);
        }

        kiosk.Log.LogInformation("No finger after the card of {Worker} ({Status}); nothing recorded", worker.Id, match.Status);
        kiosk.Devices.Signal.Attention();
        return ScreenText.Fit(worker.Name, PunchRecorder.Describe(match.Status), "请重新刷卡");
    }

    internal async Task<Screen> OnFingerAsync(FingerMatch match, CancellationToken cancellationToken)
    {
        Worker? worker = match.IsMatch ? kiosk.WorkerOfSlot(match.Slot) : null;
        return worker is null
            ? await recorder.RecordFingerNotRecognisedAsync(null, null, match, cancellationToken)
            : await recorder.RecordPunchAsync(worker, null, match.Slot, PunchMethod.Finger, cancellationToken);
    }

    private async Task ShowResultAsync(Screen screen, CancellationToken cancellationToken)
    {
        await ShowAsync(screen, cancellationToken);
        resultUntil = kiosk.Time.GetTimestamp() + (kiosk.Options.ResultSeconds * kiosk.Time.TimestampFrequency);
    }

    private async Task ShowAsync(Screen screen, CancellationToken cancellationToken)
    {
        if (shown is not null && shown.Inverted == screen.Inverted && shown.Lines.SequenceEqual(screen.Lines))
        {
            return;
        }

        shown = screen;
        await kiosk.Devices.Display.ShowAsync(screen, cancellationToken);
    }
}

using Kiosk.Core.Events;
using Kiosk.Device.Hosting;
using Kiosk.Device.Punching;
using Kiosk.Device.Tests.CardReaders;
using Kiosk.Device.Tests.EndToEnd;

namespace Kiosk.Device.Tests.Punching;

/// <summary>Someone on the roster who is not employed that day (attendance-policy.md, "Who is involved") is
/// refused at the door through <see cref="PunchRecorder.RecordRefusedAsync"/>: the screen says the account is
/// disabled, the journal keeps the attempt as the event kind the wire already knows, the log says who and why,
/// and nothing is counted.</summary>
[Collection("kiosk rig")]
public sealed class RefusedAtTheDoorTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 12, 55, 0, KioskRig.Beijing);

    private static readonly Core.Roster.Worker Left =
        KioskRig.W("1004", "赵六", "0001623029", 4) with { EmployedTo = new DateOnly(2026, 2, 27) };

    [Fact]
    public async Task A_former_workers_card_is_refused_as_disabled_and_journalled_as_that_card_with_no_punch()
    {
        var log = new ListLogger();
        await using var rig = await KioskRig.StartAsync([Left], Monday, log: log);

        // Card then finger (the rig's default): the finger is already on the sensor, so a punch would go through if asked for.
        var screen = await rig.TapAsync("0001623029", 4);

        Assert.Equal(["卡" + PunchRecorder.DisabledText, "0001623029"], screen.Lines);
        var row = Assert.Single(rig.Temp.Journal.ReadAfter(0, 10));
        Assert.Equal("0001623029", ((UnknownCard)row.Envelope().Event).BadgeId);
        Assert.Empty(rig.Kiosk.Today.For("1004", new DateOnly(2026, 3, 2)));
        Assert.Equal(["refusal"], rig.Signal.Seen);
        Assert.DoesNotContain(rig.Display.History, s => s.Lines.Contains(PunchFlow.PlaceFingerText));

        var warning = Assert.Single(log.Warnings);
        Assert.Contains("1004", warning, StringComparison.Ordinal);
        Assert.Contains("employment ended 2026-02-27", warning, StringComparison.Ordinal);
        Assert.Contains("unknown_card", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("not on the roster", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_former_workers_finger_is_refused_as_disabled_without_a_retry_prompt_or_an_invented_module_verdict()
    {
        var log = new ListLogger();
        var options = new KioskOptions { OfficeId = "office-1", DeviceId = "kiosk-1", Identification = IdentificationMode.FingerOnly, FingerWaitSeconds = 3 };
        await using var rig = await KioskRig.StartAsync([Left], Monday, options, log: log);

        rig.Finger.PutFingerOfSlot(4);
        var screen = await rig.WaitForScreenAsync(s => !KioskRig.IsIdle(s) && s.Lines.Count > 0);
        rig.Finger.LiftFinger();

        Assert.Equal(["赵六", PunchRecorder.DisabledText], screen.Lines);
        Assert.DoesNotContain(screen.Lines, l => l.Contains("重试", StringComparison.Ordinal));
        var refused = (FingerNotRecognised)Assert.Single(rig.Temp.Journal.ReadAfter(0, 10)).Envelope().Event;
        Assert.Equal(((string?)null, (string?)"1004"), (refused.BadgeId, refused.ClaimedWorkerId));
        Assert.Empty(rig.Kiosk.Today.For("1004", new DateOnly(2026, 3, 2)));
        Assert.Equal(["refusal"], rig.Signal.Seen);

        var warning = Assert.Single(log.Warnings);
        Assert.Contains("1004", warning, StringComparison.Ordinal);
        Assert.Contains("employment ended 2026-02-27", warning, StringComparison.Ordinal);
        Assert.Contains("finger slot 4", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("module said", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_whose_employment_has_not_started_is_refused_and_the_log_says_from_when_they_may_sign_in()
    {
        var log = new ListLogger();
        var newcomer = KioskRig.W("1005", "孙七", "0001623030", 5) with { EmployedFrom = new DateOnly(2026, 3, 9) };
        await using var rig = await KioskRig.StartAsync([newcomer], Monday, new KioskOptions { OfficeId = "office-1", DeviceId = "kiosk-1", Identification = IdentificationMode.CardOnly }, log: log);

        var screen = await rig.Flow.OnCardAsync("0001623030", CancellationToken.None);

        Assert.Equal(["卡" + PunchRecorder.DisabledText, "0001623030"], screen.Lines);
        Assert.Equal("unknown_card", Assert.Single(rig.Temp.Journal.ReadAfter(0, 10)).Kind);
        Assert.Empty(rig.Kiosk.Today.For("1005", new DateOnly(2026, 3, 2)));
        Assert.Equal(["refusal"], rig.Signal.Seen);
        Assert.Contains("employed only from 2026-03-09", Assert.Single(log.Warnings), StringComparison.Ordinal);
    }
}

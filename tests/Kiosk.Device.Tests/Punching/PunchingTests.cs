using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Device.Configuration;
using Kiosk.Device.Hosting;
using Kiosk.Device.Punching;
using Kiosk.Device.Tests.EndToEnd;
using Kiosk.Device.Tests.Journal;
using Kiosk.Sync.Contract;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Tests.Punching;

[Collection("kiosk rig")]
public sealed class PunchingTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 12, 55, 0, KioskRig.Beijing);

    [Fact]
    public void Every_line_put_on_the_screen_fits_sixteen_columns_and_four_lines()
    {
        var alphabet = "张三李四王五上午签到迟到分钟，已 0123456789:abc".ToCharArray();
        Prop.ForAll(
            Gen.ArrayOf(Gen.Elements(alphabet)).Select(c => new string(c)).ArrayOf().ToArbitrary(),
            lines =>
            {
                var screen = ScreenText.Fit(lines);
                return screen.Lines.Count <= ScreenText.Lines && screen.Lines.All(l => ScreenText.Width(l) <= ScreenText.Columns);
            }).QuickCheckThrowOnFailure();
        Assert.Equal(["上午签到", "迟到2分钟"], ScreenText.Fit("上午签到 迟到2分钟").Lines);
        Assert.Equal(18, ScreenText.Width(PunchRecorder.FingerNotRecognisedText));
    }

    [Fact]
    public async Task In_a_finger_only_office_a_finger_alone_records_the_afternoon_punch()
    {
        var options = new KioskOptions { OfficeId = "office-1", DeviceId = "kiosk-1", Identification = IdentificationMode.FingerOnly, FingerWaitSeconds = 3 };
        await using var rig = await KioskRig.StartAsync([KioskRig.W("1002", "李四", "0001623027", 2)], Monday, options);
        rig.Finger.PutFingerOfSlot(2);
        var screen = await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0].StartsWith("李四", StringComparison.Ordinal));
        rig.Finger.LiftFinger();
        Assert.Equal("下午签到 准时", screen.Lines[1]);
        var punch = (Punch)Assert.Single(rig.Temp.Journal.ReadAfter(0, 10), r => r.Kind == "punch").Envelope().Event;
        Assert.Equal((PunchMethod.Finger, 2, (string?)null), (punch.Method, punch.FingerSlot ?? -1, punch.BadgeId));
    }

    [Fact]
    public async Task A_configuration_with_a_bad_section_is_refused_whole_and_the_previous_one_keeps_running()
    {
        using var temp = new TempJournal();
        var store = new OfficeConfigStore(temp.Journal, "office-1", TimeProvider.System, NullLogger.Instance);
        var roster = JsonSerializer.SerializeToElement(new OfficeRoster("office-1", "r1", [KioskRig.W("1001", "张三", "0001623026", 1)], []),
            new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Empty(await store.ApplyAsync(new OfficeConfig(1, "office-1", "v1", Monday, roster, null, null, null), CancellationToken.None));

        var badSettings = JsonDocument.Parse("""{"schedule":{"graceMinutes":-5}}""").RootElement;
        var errors = await store.ApplyAsync(new OfficeConfig(1, "office-1", "v2", Monday, null, badSettings, null, null), CancellationToken.None);
        Assert.NotEmpty(errors);
        Assert.Equal("v1", store.Current.Version);
        var otherOffice = await store.ApplyAsync(new OfficeConfig(1, "office-2", "v3", Monday, roster, null, null, null), CancellationToken.None);
        Assert.Contains("roster", Assert.Single(otherOffice), StringComparison.Ordinal);

        var reloaded = new OfficeConfigStore(temp.Reopen(), "office-1", TimeProvider.System, NullLogger.Instance);
        await reloaded.LoadAsync(null, CancellationToken.None);
        Assert.Equal("v1", reloaded.Current.Version);
        Assert.Equal("张三", reloaded.Current.Roster.FindByBadge("0001623026")?.Name);
    }

    [Fact]
    public async Task A_worker_who_has_left_is_refused_by_card_and_by_finger_and_each_attempt_is_kept_as_what_was_presented()
    {
        var left = KioskRig.W("1004", "赵六", "0001623029", 4) with { EmployedTo = new DateOnly(2026, 2, 27) };
        await using var rig = await KioskRig.StartAsync([left], Monday);
        var card = await rig.Flow.OnCardAsync("0001623029", CancellationToken.None);
        var finger = await rig.Flow.OnFingerAsync(new Kiosk.Device.Devices.FingerMatch(Kiosk.Device.Devices.FingerStatus.Ok, 4), CancellationToken.None);

        Assert.Equal(["卡已停用", "0001623029"], card.Lines);
        // The finger is refused as the account it belongs to, never told to retry (retrying can never succeed).
        Assert.Equal(["赵六", PunchRecorder.DisabledText], finger.Lines);
        var rows = rig.Temp.Journal.ReadAfter(0, 10);
        Assert.Equal(["unknown_card", "finger_not_recognised"], rows.Select(r => r.Kind));
        Assert.Equal("0001623029", ((UnknownCard)rows[0].Envelope().Event).BadgeId);
        var refused = (FingerNotRecognised)rows[1].Envelope().Event;
        Assert.Equal(((string?)null, (string?)"1004"), (refused.BadgeId, refused.ClaimedWorkerId));
        Assert.Equal(["refusal", "refusal"], rig.Signal.Seen);
    }
}

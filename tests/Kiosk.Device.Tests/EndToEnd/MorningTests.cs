using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Device.Devices;
using Kiosk.Device.Journal;

namespace Kiosk.Device.Tests.EndToEnd;

[Collection("kiosk rig")]
public sealed class MorningTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 7, 50, 0, KioskRig.Beijing);

    private static readonly Worker Zhang = KioskRig.W("1001", "张三", "0001623026", 1);
    private static readonly Worker Li = KioskRig.W("1002", "李四", "0001623027", 2);
    private static readonly Worker Wang = KioskRig.W("1003", "王五", "0001623028", 3);
    private static readonly Worker Secretary = KioskRig.W("1009", "赵书记", "0001623099", 9, Role.Secretary);

    [Fact]
    public async Task A_morning_at_the_door_gives_the_expected_screens_and_journal_rows()
    {
        await using var rig = await KioskRig.StartAsync([Zhang, Li, Wang, Secretary], Monday);

        rig.Time.JumpTo(Monday.AddMinutes(8));
        var onTime = await rig.TapAsync(Zhang.BadgeIds[0], 1);
        Assert.Equal(["张三 07:58", "上午签到 准时"], onTime.Lines);

        rig.Time.JumpTo(Monday.AddMinutes(12).AddSeconds(5));
        var late = await rig.TapAsync(Li.BadgeIds[0], 2);
        Assert.Equal(["李四 08:02", "上午签到", "迟到2分钟"], late.Lines);

        rig.Time.JumpTo(Monday.AddMinutes(13));
        var duplicate = await rig.TapAsync(Zhang.BadgeIds[0], 1);
        Assert.Equal(["张三 08:03", "已签到 07:58"], duplicate.Lines);

        var unknown = await rig.TapAsync("0000000042", null);
        Assert.Equal(["未登记的卡", "0000000042"], unknown.Lines);

        var wrongFinger = await rig.TapAsync(Wang.BadgeIds[0], null, unknownFinger: true);
        Assert.Equal(["指纹未识别，", "请重试", "王五"], wrongFinger.Lines);

        // The secretary marks that 王五 is at a meeting: Menu, own badge + finger, 1 标明原因, worker 1003, 今天上午, 开会.
        rig.Time.JumpTo(Monday.AddMinutes(20));
        rig.Press(new KeyPress(KeyKind.Menu));
        await rig.WaitForScreenAsync(s => s.Lines.Contains("请刷书记胸卡"));
        var menu = await rig.TapAsync(Secretary.BadgeIds[0], 9, until: s => s.Lines[0].StartsWith("书记模式 1/", StringComparison.Ordinal));
        Assert.Equal("1 标明原因", menu.Lines[1]);
        rig.Press(Digit('1'), Digit('1'), Digit('0'), Digit('0'), Digit('3'), new KeyPress(KeyKind.Enter));
        await rig.WaitForScreenAsync(s => s.Lines.Contains("1 今天上午"));
        rig.Press(Digit('1'));
        await rig.WaitForScreenAsync(s => s.Lines.Contains("1 开会"));
        rig.Press(Digit('1'));
        var marked = await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0] == "已标明原因");
        Assert.Equal(["已标明原因", "王五", "今天上午", "开会"], marked.Lines);
        var count = rig.Display.History.Count;
        rig.Press(new KeyPress(KeyKind.Back), new KeyPress(KeyKind.Back));
        await rig.WaitForScreenAsync(KioskRig.IsIdle, count);

        var rows = rig.Temp.Journal.ReadAfter(0, 100);
        Assert.Equal(["punch", "punch", "punch", "unknown_card", "finger_not_recognised", "secretary_login", "excuse"], rows.Select(r => r.Kind));
        var punches = rows.Where(r => r.Kind == "punch").Select(r => (Punch)r.Envelope().Event).ToList();
        Assert.Equal(["1001", "1002", "1001"], punches.Select(p => p.WorkerId));
        Assert.All(punches, p => Assert.Equal(PunchMethod.CardAndFinger, p.Method));
        Assert.Equal([1, 2, 1], punches.Select(p => p.FingerSlot ?? -1));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 7, 58, 0, KioskRig.Beijing), punches[0].At.AddTicks(-(punches[0].At.Ticks % TimeSpan.TicksPerMinute)));
        Assert.Equal("0000000042", ((UnknownCard)rows[3].Envelope().Event).BadgeId);
        Assert.Equal("1003", ((FingerNotRecognised)rows[4].Envelope().Event).ClaimedWorkerId);
        var excuse = Assert.IsType<Excuse>(rows[6].Envelope().Event);
        Assert.Equal(("1003", new DateOnly(2026, 3, 2), Session.Morning, ExcuseReason.Meeting, "1009", EventSource.Secretary),
            (excuse.WorkerId, excuse.Date, excuse.Session, excuse.Reason, excuse.MarkedBy, excuse.Source));
        Assert.All(rows, r => Assert.Equal(ClockQuality.Synchronised, r.Clock));
        Assert.True(JournalIntegrity.Check(rig.Temp.Journal).Healthy);
        Assert.Equal(["success", "success", "attention", "refusal", "refusal", "success", "success"], rig.Signal.Seen);
    }

    [Fact]
    public async Task Nobody_marks_a_reason_for_themselves()
    {
        await using var rig = await KioskRig.StartAsync([Zhang, Secretary], Monday.AddMinutes(30));
        rig.Press(new KeyPress(KeyKind.Menu));
        await rig.WaitForScreenAsync(s => s.Lines.Contains("请刷书记胸卡"));
        await rig.TapAsync(Secretary.BadgeIds[0], 9, until: s => s.Lines[0].StartsWith("书记模式 1/", StringComparison.Ordinal));
        rig.Press(Digit('1'), Digit('1'), Digit('0'), Digit('0'), Digit('9'), new KeyPress(KeyKind.Enter));
        var refused = await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0] == "不能为自己标明");
        Assert.NotNull(refused);
        Assert.DoesNotContain(rig.Temp.Journal.ReadAfter(0, 100), r => r.Kind == "excuse");
    }

    [Fact]
    public async Task A_worker_who_may_not_run_sign_in_cannot_enter_secretary_mode()
    {
        await using var rig = await KioskRig.StartAsync([Zhang, Secretary], Monday.AddMinutes(30));
        rig.Press(new KeyPress(KeyKind.Menu));
        await rig.WaitForScreenAsync(s => s.Lines.Contains("请刷书记胸卡"));
        var refused = await rig.TapAsync(Zhang.BadgeIds[0], 1, until: s => s.Lines.Count > 0 && s.Lines[0] == "无权进入");
        Assert.Equal("张三", refused.Lines[1]);
        Assert.DoesNotContain(rig.Temp.Journal.ReadAfter(0, 100), r => r.Kind == "secretary_login");
    }

    private static KeyPress Digit(char d) => new(KeyKind.Digit, d);
}

using System.Reflection;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.ConsoleDisplay;
using Kiosk.Device.Journal;
using Kiosk.Device.Secretary;
using Kiosk.Device.Tests.EndToEnd;

namespace Kiosk.Device.Tests.Secretary;

/// <summary>Secretary menus 4 登记指纹, 5 今日签到 and 6 设备状态 end to end (docs/device.md "Secretary mode"): the RDM6300
/// and R30x drivers on socat ptys with the emulators on the far ends, a real journal, keys posted as the keypad would.</summary>
[Collection("kiosk rig")]
public sealed class SecretaryPagesTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 7, 50, 0, KioskRig.Beijing);
    private static readonly Worker Zhang = KioskRig.W("1001", "张三", "0001623026", 1);
    private static readonly Worker Li = KioskRig.W("1002", "李四", "0001623027", 2);
    private static readonly Worker Ouyang = KioskRig.W("1005", "欧阳娜娜", "0001623030", 5);
    private static readonly Worker Wang = KioskRig.W("1003", "王五", "0001623028", 3);
    private static readonly Worker Secretary = KioskRig.W("1009", "赵书记", "0001623099", 9, Role.Secretary);

    [Fact]
    public async Task An_enrolled_finger_is_stored_in_a_free_module_slot_journalled_and_then_required_at_the_door()
    {
        var newcomer = Li with { FingerSlots = [] };
        await using var rig = await KioskRig.StartAsync([Zhang, newcomer, Secretary], Monday.AddMinutes(5));
        var before = rig.Finger.Library;
        await EnterAsync(rig);

        // 4 登记指纹 → worker 1002 → two captures of the same finger, lifted in between (R30x §1 "Enrolment").
        var seen = rig.Display.History.Count;
        rig.Press(D('4'), D('1'), D('0'), D('0'), D('2'), Key(KeyKind.Enter));
        await rig.WaitForScreenAsync(s => s.Lines.SequenceEqual(["李四", "请按手指"]), seen);
        rig.Finger.PutFinger("finger-li-right-index");
        await rig.WaitForScreenAsync(s => s.Lines.SequenceEqual(["李四", "请抬起手指"]), seen);
        rig.Finger.LiftFinger();
        await rig.WaitForScreenAsync(s => s.Lines.SequenceEqual(["李四", "请再按一次"]), seen);
        rig.Finger.PutFinger("finger-li-right-index");
        var done = await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0] is "指纹已登记" or "登记失败", seen);
        rig.Finger.LiftFinger();

        var enrolment = Assert.IsType<Enrolment>(Assert.Single(rig.Temp.Journal.ReadAfter(0, 100), r => r.Kind == "enrolment").Envelope().Event);
        Assert.Equal(("1002", "1009"), (enrolment.WorkerId, enrolment.EnrolledBy));
        Assert.Equal(["指纹已登记", "李四", "编号 " + enrolment.FingerSlot.ToString(System.Globalization.CultureInfo.InvariantCulture)], done.Lines);
        Assert.False(before.ContainsKey(enrolment.FingerSlot), "the slot was free before");
        Assert.Equal(rig.Finger.TemplateOf("finger-li-right-index"), rig.Finger.Library[enrolment.FingerSlot]);

        seen = rig.Display.History.Count;
        rig.Press(Key(KeyKind.Enter), Key(KeyKind.Back));
        await rig.WaitForScreenAsync(KioskRig.IsIdle, seen);

        // At the door the new finger is now checked 1:1: somebody else's finger is refused, his own is punched with it.
        var refused = await rig.TapAsync(newcomer.BadgeIds[0], null, unknownFinger: true);
        Assert.Equal(["指纹未识别，", "请重试", "李四"], refused.Lines);
        rig.Finger.PutFinger("finger-li-right-index");
        var punched = await rig.TapAsync(newcomer.BadgeIds[0], null);
        Assert.StartsWith("李四 ", punched.Lines[0], StringComparison.Ordinal);
        var punch = Assert.IsType<Punch>(rig.Temp.Journal.ReadAfter(0, 100).Last(r => r.Kind == "punch").Envelope().Event);
        Assert.Equal(("1002", PunchMethod.CardAndFinger, (int?)enrolment.FingerSlot), (punch.WorkerId, punch.Method, punch.FingerSlot));
    }

    [Fact]
    public async Task Todays_board_shows_first_sign_in_times_marked_reasons_and_who_has_not_signed_without_losing_a_line()
    {
        await using var rig = await KioskRig.StartAsync([Zhang, Li, Ouyang, Wang, Secretary], Monday);
        rig.Time.JumpTo(Monday.AddMinutes(8));
        await rig.TapAsync(Zhang.BadgeIds[0], 1);
        rig.Time.JumpTo(Monday.AddMinutes(15));
        await rig.TapAsync(Wang.BadgeIds[0], 3);
        rig.Time.JumpTo(Monday.AddMinutes(20));
        var again = await rig.TapAsync(Zhang.BadgeIds[0], 1);
        Assert.Equal("已签到 07:58", again.Lines[1]);

        // 1 标明原因: 欧阳娜娜 (1005) is out on official business this morning (今天上午, 公务外出 = reason 4).
        await EnterAsync(rig);
        var seen = rig.Display.History.Count;
        rig.Press(D('1'), D('1'), D('0'), D('0'), D('5'), Key(KeyKind.Enter));
        await rig.WaitForScreenAsync(s => s.Lines.Contains("1 今天上午"), seen);
        rig.Press(D('1'));
        await rig.WaitForScreenAsync(s => s.Lines.Contains("1 开会"), seen);
        rig.Press(D('4'));
        await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0] == "已标明原因", seen);

        // 5 今日签到, paged with ↓: a name and reason too wide for one line (8+1+8 columns) wrap, and the entry moves
        // whole to the next page instead of pushing the page's last line off the 4-line screen.
        seen = rig.Display.History.Count;
        rig.Press(Key(KeyKind.Enter), D('5'));
        var page1 = await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0].StartsWith("今日签到 1/", StringComparison.Ordinal), seen);
        rig.Press(Key(KeyKind.Down));
        var page2 = await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0].StartsWith("今日签到 2/", StringComparison.Ordinal), seen);
        rig.Press(Key(KeyKind.Down));
        var page3 = await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0].StartsWith("今日签到 3/", StringComparison.Ordinal), seen);
        var shown = string.Join("\n", new[] { page1, page2, page3 }.Select(PlainTextDisplay.Format));
        Assert.Equal(["今日签到 1/3", "张三 07:58", "李四 未签到"], page1.Lines);
        Assert.True(page2.Lines.SequenceEqual(["今日签到 2/3", "欧阳娜娜", "公务外出", "王五 08:05"]), shown);
        Assert.True(page3.Lines.SequenceEqual(["今日签到 3/3", "赵书记 未签到"]), shown);

        // ↓ on the last page wraps to the first; any other key leaves the board for the menu, Back leaves the mode.
        seen = rig.Display.History.Count;
        rig.Press(Key(KeyKind.Down));
        await rig.WaitForScreenAsync(s => s.Lines.SequenceEqual(page1.Lines), seen);
        seen = rig.Display.History.Count;
        rig.Press(Key(KeyKind.Back), Key(KeyKind.Back));
        await rig.WaitForScreenAsync(KioskRig.IsIdle, seen);
        Assert.Equal(["punch", "punch", "punch", "secretary_login", "excuse"], rig.Temp.Journal.ReadAfter(0, 100).Select(r => r.Kind));
    }

    [Fact]
    public async Task Device_status_shows_the_queue_the_last_acknowledgement_the_clock_the_address_and_the_versions()
    {
        await using var rig = await KioskRig.StartAsync([Zhang, Secretary], Monday.AddMinutes(5));
        await rig.TapAsync(Zhang.BadgeIds[0], 1);
        await EnterAsync(rig);
        var version = typeof(SecretaryMode).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

        var (first, second) = await StatusPagesAsync(rig);
        Assert.Equal(["设备状态 1/2", "待上传 2", "已确认 0", "时钟 已同步"], first.Lines); // the punch and the secretary's login
        Assert.StartsWith("IP ", second.Lines[1], StringComparison.Ordinal);
        Assert.Equal(["版本 " + version, "配置 cfg-1"], second.Lines.Skip(2));

        // The centre acknowledges the punch (as the outbox pump applies an Ack message): the queue shrinks by one.
        var outbox = new JournalOutbox(rig.Temp.Journal, rig.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<JournalOutbox>.Instance);
        await outbox.MarkAcknowledgedAsync(1, CancellationToken.None);
        await outbox.FlushAsync(evenIfRecent: true, CancellationToken.None); // as the pump does when idle or stopping
        rig.Press(Key(KeyKind.Back));
        (first, _) = await StatusPagesAsync(rig);
        Assert.Equal(["设备状态 1/2", "待上传 1", "已确认 1", "时钟 已同步"], first.Lines);
    }

    /// <summary>Opens 6 设备状态 from the menu and pages to its second page.</summary>
    private static async Task<(Screen First, Screen Second)> StatusPagesAsync(KioskRig rig)
    {
        var seen = rig.Display.History.Count;
        rig.Press(D('6'));
        var first = await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0] == "设备状态 1/2", seen);
        rig.Press(Key(KeyKind.Down));
        var second = await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0] == "设备状态 2/2", seen);
        return (first, second);
    }

    /// <summary>Menu, then the secretary's badge with the finger of slot 9, up to the main menu.</summary>
    private static async Task EnterAsync(KioskRig rig)
    {
        var seen = rig.Display.History.Count;
        rig.Press(Key(KeyKind.Menu));
        await rig.WaitForScreenAsync(s => s.Lines.Contains("请刷书记胸卡"), seen);
        await rig.TapAsync(Secretary.BadgeIds[0], 9, until: s => s.Lines.Count > 0 && s.Lines[0].StartsWith("书记模式 1/", StringComparison.Ordinal));
    }

    private static KeyPress D(char c) => new(KeyKind.Digit, c);

    private static KeyPress Key(KeyKind kind) => new(kind);
}

using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Device.Devices;
using Kiosk.Device.Tests.EndToEnd;

namespace Kiosk.Device.Tests.Secretary;

[Collection("kiosk rig")]
public sealed class SecretaryMenuTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, KioskRig.Beijing);
    private static readonly Worker Zhang = KioskRig.W("1001", "张三", "0001623026", 1);
    private static readonly Worker Secretary = KioskRig.W("1009", "赵书记", "0001623099", 9, Role.Secretary);

    [Fact]
    public async Task Leave_travels_as_requested_and_an_outing_is_approved_by_the_secretary_but_never_for_themselves()
    {
        await using var rig = await KioskRig.StartAsync([Zhang, Secretary], Monday);
        rig.Press(Key(KeyKind.Menu));
        await rig.WaitForScreenAsync(s => s.Lines.Contains("请刷书记胸卡"));
        await rig.TapAsync(Secretary.BadgeIds[0], 9, until: s => s.Lines.Count > 0 && s.Lines[0].StartsWith("书记模式 1/", StringComparison.Ordinal));

        // 2 登记请假: worker 1001, 事假, start today (Enter alone), 上午, 3 half-days.
        rig.Press(D('2'), D('1'), D('0'), D('0'), D('1'), Key(KeyKind.Enter), D('1'), Key(KeyKind.Enter), D('1'), D('3'), Key(KeyKind.Enter));
        var leaveDone = await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0] == "请假已登记");
        Assert.Equal(["请假已登记", "张三", "事假 3个半天", "待中心审批"], leaveDone.Lines);
        rig.Press(Key(KeyKind.Enter));

        // 3 临时外出: 150 minutes is refused (policy: at most 2 hours), then 30 minutes is approved.
        var seen = rig.Display.History.Count;
        rig.Press(D('3'), D('1'), D('0'), D('0'), D('1'), Key(KeyKind.Enter), D('1'), D('5'), D('0'), Key(KeyKind.Enter));
        await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0] == "超过120分钟", seen);
        rig.Press(Key(KeyKind.Enter), D('3'), D('1'), D('0'), D('0'), D('1'), Key(KeyKind.Enter), D('3'), D('0'), Key(KeyKind.Enter));
        await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0] == "外出已批准", seen);

        // …and never for the secretary themselves.
        seen = rig.Display.History.Count;
        rig.Press(Key(KeyKind.Enter), D('3'), D('1'), D('0'), D('0'), D('9'), Key(KeyKind.Enter));
        await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0] == "不能为自己批准", seen);

        var rows = rig.Temp.Journal.ReadAfter(0, 100);
        var leave = Assert.IsType<LeaveRequest>(Assert.Single(rows, r => r.Kind == "leave").Envelope().Event);
        Assert.Equal(("1001", LeaveType.Personal, new DateOnly(2026, 3, 2), Session.Morning, 3, LeaveState.Requested, "1009"),
            (leave.WorkerId, leave.Type, leave.Start, leave.StartSession, leave.HalfDays, leave.State, leave.RequestedBy));
        var outing = Assert.IsType<Outing>(Assert.Single(rows, r => r.Kind == "outing").Envelope().Event);
        Assert.Equal(("1001", TimeSpan.FromMinutes(30), "1009"), (outing.WorkerId, outing.Duration, outing.ApprovedBy));
    }

    private static KeyPress D(char c) => new(KeyKind.Digit, c);

    private static KeyPress Key(KeyKind kind) => new(kind);
}

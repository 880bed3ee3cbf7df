using System.Text.Json;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Device.Secretary;
using Kiosk.Device.Tests.EndToEnd;
using Kiosk.Sync.Contract;

namespace Kiosk.Device.Tests.Secretary;

/// <summary>今日签到 with leave approved at the centre (the kiosk's cached configuration, issue 4): a worker on approved
/// leave today is shown with the leave type instead of 未签到; leave on another day, or only requested, is not.</summary>
[Collection("kiosk rig")]
public sealed class TodayBoardLeaveTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, KioskRig.Beijing);
    private static readonly Worker Zhang = KioskRig.W("1001", "张三", "0001623026", 1);
    private static readonly Worker Li = KioskRig.W("1002", "李四", "0001623027", 2);
    private static readonly Worker Wang = KioskRig.W("1003", "王五", "0001623028", 3);
    private static readonly Worker Secretary = KioskRig.W("1009", "赵书记", "0001623099", 9, Role.Secretary);

    [Fact]
    public async Task A_worker_on_approved_leave_today_shows_the_leave_type_instead_of_not_signed()
    {
        await using var rig = await KioskRig.StartAsync([Zhang, Li, Wang, Secretary], Monday);
        LeaveRequest Leave(string id, string worker, DateOnly start, LeaveState state) =>
            new(id, worker, LeaveType.Sick, start, Session.Morning, 2, state, "secretary", "1009", "1009", null, Monday.AddDays(-3));
        var leave = new List<LeaveRequest>
        {
            Leave("L-1", Li.Id, new DateOnly(2026, 3, 2), LeaveState.Approved),
            Leave("L-2", Wang.Id, new DateOnly(2026, 3, 3), LeaveState.Approved),
            Leave("L-3", Zhang.Id, new DateOnly(2026, 3, 2), LeaveState.Requested),
        };
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var errors = await rig.Kiosk.Config.ApplyAsync(new OfficeConfig(1, "office-1", "cfg-2", Monday,
            JsonSerializer.SerializeToElement(new OfficeRoster("office-1", "r2", [Zhang, Li, Wang, Secretary], []), web), null, null,
            JsonSerializer.SerializeToElement(leave, web)), CancellationToken.None);
        Assert.Empty(errors);

        Assert.Equal(["张三 未签到", "李四 " + LeaveType.Sick.ToChinese(), "王五 未签到", "赵书记 未签到"], TodayBoard.Lines(rig.Kiosk));
    }
}

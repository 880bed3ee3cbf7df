namespace Kiosk.Core.Events;

/// <summary>The Chinese words the offices use for reasons and leave types (attendance-policy.md, "Leave";
/// issue 4's menu 标明原因: 开会 / 培训 / 走访 / 公务外出 / 其他). One table, so the kiosk's menus, its screens and the
/// centre's board and reports always say the same thing.</summary>
public static class ChineseNames
{
    public static IReadOnlyList<ExcuseReason> ExcuseReasons { get; } =
        [ExcuseReason.Meeting, ExcuseReason.Training, ExcuseReason.FieldVisit, ExcuseReason.OfficialBusiness, ExcuseReason.Other];

    public static IReadOnlyList<LeaveType> LeaveTypes { get; } =
    [
        LeaveType.Personal, LeaveType.Sick, LeaveType.Annual, LeaveType.Marriage, LeaveType.Maternity, LeaveType.Nursing,
        LeaveType.Bereavement, LeaveType.Public, LeaveType.Other,
    ];

    public static string ToChinese(this ExcuseReason reason) => reason switch
    {
        ExcuseReason.Meeting => "开会",
        ExcuseReason.Training => "培训",
        ExcuseReason.FieldVisit => "走访",
        ExcuseReason.OfficialBusiness => "公务外出",
        ExcuseReason.Other => "其他",
        _ => reason.ToString(),
    };

    public static string ToChinese(this LeaveType type) => type switch
    {
        LeaveType.Personal => "事假",
        LeaveType.Sick => "病假",
        LeaveType.Annual => "年休假",
        LeaveType.Marriage => "婚假",
        LeaveType.Maternity => "产假",
        LeaveType.Nursing => "哺乳假",
        LeaveType.Bereavement => "丧假",
        LeaveType.Public => "公假",
        LeaveType.Other => "其他",
        _ => type.ToString(),
    };
}

using System.Globalization;
using Kiosk.Device.Devices;

namespace Kiosk.Device.Punching;

/// <summary>The screen between punches (issue 4): date and weekday, time, the next sign-in point, and a
/// status mark: 时钟未校准 when the clock is not trusted (decision 6), else 已同步 / 待上传 n from the outbox.</summary>
internal static class IdleScreen
{
    public static Screen Build(KioskContext kiosk)
    {
        ArgumentNullException.ThrowIfNull(kiosk);
        var stamp = kiosk.Clock.Stamp();
        var now = stamp.Local;
        var office = kiosk.Office;
        var next = kiosk.ClassifierFor(office).NextSignIn(now, office.Calendar);
        var today = KioskContext.DateOf(now);
        var nextLine = next is null ? "日历未知"
            : next.Date == today ? "下次签到 " + next.At.ToString("HH:mm", CultureInfo.InvariantCulture)
            : "下次 " + next.Date.ToString("MM-dd", CultureInfo.InvariantCulture) + " " + next.At.ToString("HH:mm", CultureInfo.InvariantCulture);
        var depth = kiosk.Journal.Head.Sequence - kiosk.Journal.AckedThrough;
        var status = !stamp.Trusted ? PunchRecorder.ClockUntrustedText
            : depth <= 0 ? "已同步"
            : "待上传 " + depth.ToString(CultureInfo.InvariantCulture);
        return ScreenText.Fit(
            now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " " + ScreenText.Weekday(now.DayOfWeek),
            now.ToString("HH:mm", CultureInfo.InvariantCulture),
            nextLine,
            status);
    }
}

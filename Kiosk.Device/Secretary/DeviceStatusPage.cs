using System.Globalization;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Reflection;
using Kiosk.Core.Events;

namespace Kiosk.Device.Secretary;

/// <summary>设备状态: queue depth, last acknowledged sequence, clock state, IP address, versions.</summary>
internal sealed class DeviceStatusPage(SecretaryPrompt prompt)
{
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var kiosk = prompt.Kiosk;
        var head = kiosk.Journal.Head.Sequence;
        var acked = kiosk.Journal.AckedThrough;
        var clock = kiosk.Clock.Stamp().Quality switch
        {
            ClockQuality.Synchronised => "时钟 已同步",
            ClockQuality.TrustedRtc => "时钟 RTC",
            ClockQuality.CentreTime => "时钟 中心校时",
            _ => "时钟未校准",
        };
        var version = typeof(DeviceStatusPage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        string[] lines =
        [
            "待上传 " + (head - acked).ToString(CultureInfo.InvariantCulture),
            "已确认 " + acked.ToString(CultureInfo.InvariantCulture),
            clock,
            "IP " + Address(),
            "版本 " + version.Split('+')[0],
            "配置 " + kiosk.Office.Version,
        ];
        return prompt.PagesAsync("设备状态", lines, cancellationToken);
    }

    private static string Address()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)?.ToString() ?? "无网络";
        }
        catch (NetworkInformationException)
        {
            return "无网络";
        }
    }
}

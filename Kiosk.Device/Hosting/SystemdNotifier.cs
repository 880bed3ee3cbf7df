using System.Net.Sockets;
using System.Text;

namespace Kiosk.Device.Hosting;

/// <summary>sd_notify(3) written by hand (the feed lacks Microsoft.Extensions.Hosting.Systemd): one datagram
/// per message to the unix socket named by $NOTIFY_SOCKET. A name starting with '@' is in the abstract
/// namespace: the '@' becomes a NUL byte. Without $NOTIFY_SOCKET (not under systemd) every call does nothing.</summary>
internal sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? socket;
    private readonly UnixDomainSocketEndPoint? endPoint;

    public SystemdNotifier(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket) || !OperatingSystem.IsLinux())
        {
            return;
        }

        var path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        endPoint = new UnixDomainSocketEndPoint(path);
        socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    public bool Enabled => socket is not null;

    /// <summary>$WATCHDOG_USEC as set by systemd for WatchdogSec=, if it is meant for this process.</summary>
    public static TimeSpan? WatchdogInterval()
    {
        var usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (pid is not null && pid != Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            return null;
        }

        return long.TryParse(usec, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0
            ? TimeSpan.FromMicroseconds(value)
            : null;
    }

    /// <summary>Sends "READY=1", "WATCHDOG=1", "STOPPING=1", "STATUS=..." (newline-separated assignments).
    /// Returns false when not under systemd or the send failed; the kiosk never stops because of this.</summary>
    public bool Notify(string state)
    {
        if (socket is null || endPoint is null)
        {
            return false;
        }

        try
        {
            socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, endPoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => socket?.Dispose();
}

using System.Runtime.InteropServices;

namespace Kiosk.Device.Clock;

/// <summary>Where the clock guard learns whether the kernel clock was synchronised during this boot.
/// Injectable so tests decide what the "system" says (issue 4, "Clock guard").</summary>
internal interface IClockSources
{
    /// <summary>/proc/sys/kernel/random/boot_id: changes at every boot, so monotonic times compare only within it.</summary>
    string BootId { get; }

    /// <summary>True when an NTP client synchronised the clock during this boot.</summary>
    bool IsSystemClockSynchronised();
}

/// <summary>The real sources on Raspberry Pi OS.</summary>
internal sealed partial class LinuxClockSources : IClockSources
{
    // systemd-timesyncd creates this file after its first successful synchronisation; /run is a tmpfs, so the
    // file's existence means "synchronised during this boot" (systemd-timesyncd.service(8)).
    public const string TimesyncMarker = "/run/systemd/timesync/synchronized";

    // adjtimex(2): the return value TIME_ERROR (5) means the kernel considers its clock unsynchronised
    // (STA_UNSYNC set). chrony and ntpd clear it when they discipline the clock.
    private const int TimeError = 5;

    private readonly string markerPath;
    private readonly Func<bool> kernelSynchronised;
    private volatile bool markerSeen;

    /// <param name="kernelSynchronised">The kernel's own answer (adjtimex); replaceable so a test can tell the marker's
    /// effect apart from the host's NTP state.</param>
    public LinuxClockSources(string markerPath = TimesyncMarker, string bootIdPath = "/proc/sys/kernel/random/boot_id",
        Func<bool>? kernelSynchronised = null)
    {
        this.markerPath = markerPath;
        this.kernelSynchronised = kernelSynchronised ?? KernelSaysSynchronised;
        BootId = ReadBootId(bootIdPath);
    }

    public string BootId { get; }

    /// <summary>systemd-timesyncd's marker, once there, stays until the next boot: it is looked for only until seen
    /// (this runs for every clock stamp, punches included).</summary>
    public bool IsSystemClockSynchronised() => markerSeen || (markerSeen = File.Exists(markerPath)) || kernelSynchronised();

    private static string ReadBootId(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            // Not Linux (a developer's machine): one id per process keeps "same boot" comparisons conservative.
            return "process-" + Guid.NewGuid().ToString("N");
        }
        catch (UnauthorizedAccessException)
        {
            return "process-" + Guid.NewGuid().ToString("N");
        }
    }

    private static unsafe bool KernelSaysSynchronised()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        // struct timex is 208 bytes on 64-bit Linux; modes (first int) = 0 means "read only". A larger zeroed
        // buffer is safe on every ABI.
        var buffer = stackalloc byte[512];
        new Span<byte>(buffer, 512).Clear();
        var state = Adjtimex(buffer);
        return state >= 0 && state != TimeError;
    }

    [LibraryImport("libc", EntryPoint = "adjtimex", SetLastError = true)]
    private static unsafe partial int Adjtimex(byte* timex);
}

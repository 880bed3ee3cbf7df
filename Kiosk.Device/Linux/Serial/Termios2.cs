using System.Runtime.InteropServices;

namespace Kiosk.Device.Linux.Serial;

/// <summary>The kernel's struct termios2 (44 bytes), set with TCGETS2/TCSETS2 and BOTHER so any baud rate is
/// the plain number. We never call glibc's cfsetospeed: glibc 2.42 changed speed_t from the B-codes to plain
/// numbers (hardware-protocols.md §5 "Baud pitfall"), so the same binary would set different speeds.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct Termios2
{
    public uint IFlag;
    public uint OFlag;
    public uint CFlag;
    public uint LFlag;
    public byte Line;
    public fixed byte ControlChars[19];
    public uint InputSpeed;
    public uint OutputSpeed;

    // ioctl numbers and flag values, hardware-protocols.md §5 (octal in the kernel headers).
    public const uint TCGETS2 = 0x802C542A;
    public const uint TCSETS2 = 0x402C542B;
    public const uint TCFLSH = 0x540B;
    public const int TCIFLUSH = 0;
    public const int TCIOFLUSH = 2;

    private const uint IGNBRK = 1, BRKINT = 2, PARMRK = 8, ISTRIP = 32, INLCR = 64, IGNCR = 128, ICRNL = 256,
        IXON = 1024, IXOFF = 4096;
    private const uint OPOST = 1;
    private const uint ISIG = 1, ICANON = 2, ECHO = 8, ECHONL = 64, IEXTEN = 32768;
    private const uint CSIZE = 48, CS8 = 48, CSTOPB = 64, CREAD = 128, PARENB = 256, CLOCAL = 2048,
        CRTSCTS = 0x80000000, CBAUD = 4111, BOTHER = 4096;
    private const int VTIME = 5, VMIN = 6;

    /// <summary>cfmakeraw plus CREAD|CLOCAL, no stop-bit/flow flags, 8N1, and the speed via BOTHER
    /// (hardware-protocols.md §5 "cfmakeraw").</summary>
    public void MakeRaw8N1(int baud)
    {
        IFlag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF);
        OFlag &= ~OPOST;
        LFlag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
        CFlag &= ~(CSIZE | PARENB | CSTOPB | CRTSCTS | CBAUD);
        CFlag |= CS8 | CREAD | CLOCAL | BOTHER;
        // VMIN=1/VTIME=0 as cfmakeraw; reads are gated by poll() with the caller's timeout anyway.
        ControlChars[VMIN] = 1;
        ControlChars[VTIME] = 0;
        InputSpeed = (uint)baud;
        OutputSpeed = (uint)baud;
    }

    public readonly bool IsRaw8N1 =>
        (CFlag & CSIZE) == CS8 && (CFlag & (PARENB | CSTOPB | CRTSCTS)) == 0 && (LFlag & (ICANON | ECHO | ISIG)) == 0;
}

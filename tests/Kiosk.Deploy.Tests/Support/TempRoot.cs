using System.Globalization;
using System.Text;

namespace Kiosk.Deploy.Tests.Support;

/// <summary>A temp folder for one test: a fake "/" for dry-run installs, a payload, a CA folder.</summary>
internal sealed class TempRoot : IDisposable
{
    public TempRoot()
    {
        Path = Directory.CreateTempSubdirectory("kiosk-deploy-").FullName;
    }

    public string Path { get; }

    /// <summary>An absolute system path as laid out under this root.</summary>
    public string At(string systemPath) => System.IO.Path.Combine(Path, systemPath.TrimStart('/'));

    public string Sub(string name)
    {
        var dir = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static UnixFileMode ModeOf(string path) => File.GetUnixFileMode(path);

    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8);

    /// <summary>
    /// A published kiosk as the installer expects it (kiosk.dll, VERSION and the linux-arm64 SQLite library
    /// with a real AArch64 ELF header). The real publish is checked by build.sh; these tests are about layout.
    /// </summary>
    public string MakeKioskPayload(string version, bool withArm64Sqlite = true)
    {
        var dir = Sub("payload-" + version);
        File.WriteAllText(System.IO.Path.Combine(dir, "kiosk.dll"), "stand-in for the managed program " + version);
        File.WriteAllText(System.IO.Path.Combine(dir, "VERSION"), version + "\n");
        if (withArm64Sqlite)
        {
            WriteElf(System.IO.Path.Combine(dir, "runtimes/linux-arm64/native/libe_sqlite3.so"), 0xB7);
        }

        return dir;
    }

    /// <summary>A published centre (kiosk-central.dll) with the same native library.</summary>
    public string MakeCentralPayload(string version)
    {
        var dir = Sub("central-" + version);
        File.WriteAllText(System.IO.Path.Combine(dir, "kiosk-central.dll"), "stand-in for the centre " + version);
        File.WriteAllText(System.IO.Path.Combine(dir, "VERSION"), version + "\n");
        WriteElf(System.IO.Path.Combine(dir, "runtimes/linux-arm64/native/libe_sqlite3.so"), 0xB7);
        return dir;
    }

    /// <summary>The first 20 bytes of a 64-bit little-endian ELF shared object for the given e_machine.</summary>
    public static void WriteElf(string path, ushort machine)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var header = new byte[64];
        header[0] = 0x7F;
        header[1] = (byte)'E';
        header[2] = (byte)'L';
        header[3] = (byte)'F';
        header[4] = 2; // ELFCLASS64
        header[5] = 1; // little-endian
        header[6] = 1; // EV_CURRENT
        header[16] = 3; // ET_DYN
        header[18] = (byte)(machine & 0xFF);
        header[19] = (byte)(machine >> 8);
        File.WriteAllBytes(path, header);
    }

    public static string Read(string path) => File.ReadAllText(path, Encoding.UTF8);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"could not remove {Path}: {ex.Message}"));
        }
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Kiosk.Sync.Contract;

/// <summary>The device's signing key (architecture decision 9): ECDSA P-256 created on first start and kept as a
/// PKCS#8 PEM file in the data directory, readable by the kiosk user only (0600). Its public half is registered at
/// the centre when the device is enrolled (<see cref="PublicKeyPem"/>).</summary>
public sealed class DeviceIdentity : IDisposable
{
    private readonly ECDsa _key;

    private DeviceIdentity(string officeId, string deviceId, ECDsa key)
    {
        Topics.ValidateId(officeId, nameof(officeId));
        Topics.ValidateId(deviceId, nameof(deviceId));
        OfficeId = officeId;
        DeviceId = deviceId;
        _key = key;
    }

    public string OfficeId { get; }

    public string DeviceId { get; }

    /// <summary>SubjectPublicKeyInfo PEM, what the centre's RegisterDeviceAsync takes.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Loads the key at <paramref name="pemPath"/>, or creates it (0600, written to a temporary file and
    /// renamed so a power cut never leaves half a key).</summary>
    public static DeviceIdentity LoadOrCreate(string officeId, string deviceId, string pemPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(pemPath);
        var key = ECDsa.Create();
        try
        {
            if (File.Exists(pemPath))
            {
                key.ImportFromPem(File.ReadAllText(pemPath, Encoding.ASCII));
                if (key.KeySize != 256)
                {
                    throw new CryptographicException($"{pemPath}: the device key must be ECDSA P-256");
                }
            }
            else
            {
                key.GenerateKey(ECCurve.NamedCurves.nistP256);
                WritePrivate(pemPath, key.ExportPkcs8PrivateKeyPem());
            }

            return new DeviceIdentity(officeId, deviceId, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>A key that lives only in memory (tests, the simulator).</summary>
    public static DeviceIdentity CreateEphemeral(string officeId, string deviceId) =>
        new(officeId, deviceId, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => _key.Dispose();

    private static void WritePrivate(string path, string pem)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(Encoding.ASCII.GetBytes(pem));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: false);
    }
}

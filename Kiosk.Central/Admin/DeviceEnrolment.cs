using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Kiosk.Central.Store;
using Kiosk.Sync.Centre;
using Kiosk.Sync.Contract;
using Microsoft.Data.Sqlite;

namespace Kiosk.Central.Admin;

/// <summary>Registers and retires kiosks (issue 6, "Offices and devices"). The public key goes into the sync inbox's
/// devices table (InboxStore.RegisterDeviceAsync: the key verifies every batch, architecture decision 9). Broker
/// credentials: the username is the device id (Topics.Username, the ACL's %u), so the shipped
/// ACL stays pattern-based (%u) and needs no per-device line; the password goes into mosquitto's password file
/// through `mosquitto_passwd -b` (hashing is mosquitto's, never ours).</summary>
internal static class DeviceEnrolment
{
    public sealed record Credentials(string Username, string? Password);

    public static async Task<Credentials> RegisterAsync(SqliteConnection db, string dbPath, string office, string device, string publicKeyPem,
        string? passwordFile, DateTimeOffset now, CancellationToken ct)
    {
        if (!Topics.IsValidId(office) || !Topics.IsValidId(device))
        {
            throw new AdminException($"office '{office}' / device '{device}': ids are 1–64 of A-Z a-z 0-9 - _");
        }

        var inbox = new InboxStore(dbPath, TimeProvider.System);
        try
        {
            await inbox.RegisterDeviceAsync(office, device, publicKeyPem, ct);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException or InvalidOperationException)
        {
            throw new AdminException($"device {device} not registered: {ex.Message}", ex);
        }

        var username = Topics.Username(device);
        string? password = null;
        if (passwordFile is not null)
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
            RunMosquittoPasswd(File.Exists(passwordFile) ? ["-b", passwordFile, username, password] : ["-c", "-b", passwordFile, username, password]);
        }

        using var command = CentralDb.Command(db, """
            INSERT INTO offices(office_id, name, created_at) VALUES ($o, $o, $t) ON CONFLICT(office_id) DO NOTHING;
            INSERT INTO device_credentials(device_id, office_id, username, created_at) VALUES ($d, $o, $u, $t)
            ON CONFLICT(device_id) DO UPDATE SET username = excluded.username, created_at = excluded.created_at, retired_at = NULL
            """, null, ("$d", device), ("$o", office), ("$u", username), ("$t", now.ToString("O", CultureInfo.InvariantCulture)));
        command.ExecuteNonQuery();
        return new Credentials(username, password);
    }

    public static async Task RetireAsync(SqliteConnection db, string dbPath, string device, string? passwordFile, DateTimeOffset now,
        CancellationToken ct)
    {
        var inbox = new InboxStore(dbPath, TimeProvider.System);
        var known = (await inbox.GetDevicesAsync(null, ct)).FirstOrDefault(d => d.DeviceId == device)
            ?? throw new AdminException($"device '{device}' is not registered");
        await inbox.RetireDeviceAsync(device, ct);
        if (passwordFile is not null && File.Exists(passwordFile))
        {
            RunMosquittoPasswd(["-D", passwordFile, Topics.Username(device)]);
        }

        using var command = CentralDb.Command(db, "UPDATE device_credentials SET retired_at = $t WHERE device_id = $d", null,
            ("$d", device), ("$t", now.ToString("O", CultureInfo.InvariantCulture)));
        command.ExecuteNonQuery();
    }

    private static void RunMosquittoPasswd(IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo("mosquitto_passwd") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new AdminException("mosquitto_passwd did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new AdminException("mosquitto_passwd not found: install the Debian package mosquitto (or omit --password-file)", ex);
        }

        using (process)
        {
            var err = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new AdminException($"mosquitto_passwd failed ({process.ExitCode}): {err.Trim()}");
            }
        }
    }
}

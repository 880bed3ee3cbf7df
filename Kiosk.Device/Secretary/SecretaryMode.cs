using System.Security.Cryptography;
using System.Text;
using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Device.Devices;
using Kiosk.Device.Hosting;
using Kiosk.Device.Punching;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Secretary;

/// <summary>Secretary mode (issue 4; attendance-policy.md "Who is involved"; architecture decision 9): entered
/// with the Menu key, then the secretary's own badge plus fingerprint (or PIN). Who may enter on a date is
/// Kiosk.Core's <see cref="SignInAuthority"/>: the secretary, the deputy when the secretary is away, or the
/// named attendance officer, from the roster's dated delegations. Every entry is journalled (SecretaryLogin).</summary>
internal sealed class SecretaryMode
{
    public const string Title = "书记模式";
    public static readonly IReadOnlyList<string> MenuItems = ["标明原因", "登记请假", "临时外出", "登记指纹", "今日签到", "设备状态"];

    private readonly KioskContext kiosk;
    private readonly SecretaryPrompt prompt;

    /// <param name="liveness">The punch loop's heartbeat (see <see cref="SecretaryPrompt"/>): secretary mode runs inside
    /// that loop, so while it waits for keys it beats for it. Null where no watchdog runs (tests, benchmark).</param>
    public SecretaryMode(KioskContext kiosk, Liveness? liveness = null)
    {
        this.kiosk = kiosk;
        prompt = new SecretaryPrompt(kiosk, liveness);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var officer = await LoginAsync(cancellationToken);
            if (officer is null)
            {
                return;
            }

            while (await prompt.ChooseAsync(Title, MenuItems, cancellationToken) is { } choice)
            {
                var task = choice switch
                {
                    0 => new MarkReason(prompt).RunAsync(officer, cancellationToken),
                    1 => new RegisterLeave(prompt).RunAsync(officer, cancellationToken),
                    2 => new ApproveOuting(prompt).RunAsync(officer, cancellationToken),
                    3 => new EnrolFinger(prompt).RunAsync(officer, cancellationToken),
                    4 => new TodayBoard(prompt).RunAsync(cancellationToken),
                    _ => new DeviceStatusPage(prompt).RunAsync(cancellationToken),
                };
                await task;
            }

            kiosk.Log.LogInformation("Secretary mode left by {Worker}", officer.Id);
        }
        catch (SecretaryTimeoutException)
        {
            kiosk.Log.LogInformation("Secretary mode timed out after {Seconds} s without a key", kiosk.Options.SecretaryTimeoutSeconds);
        }
    }

    private async Task<Worker?> LoginAsync(CancellationToken cancellationToken)
    {
        await prompt.ShowAsync(cancellationToken, Title, "请刷书记胸卡", "返回键退出");
        string badge;
        while (true)
        {
            var input = await prompt.NextAsync(cancellationToken);
            if (input is CardInput card)
            {
                badge = card.Card.CardId;
                break;
            }

            if (input is KeyInput { Key.Kind: KeyKind.Back or KeyKind.Menu })
            {
                return null;
            }
        }

        var today = KioskContext.DateOf(kiosk.Clock.Stamp().Local);
        var roster = kiosk.Office.Roster;
        var worker = roster.FindByBadge(badge);
        if (worker is null || !SignInAuthority.MayRunSignIn(roster, worker.Id, today))
        {
            kiosk.Log.LogWarning("Secretary mode refused to badge {Badge} (worker {Worker}): not allowed to run sign-in on {Date}", badge, worker?.Id, today);
            kiosk.Devices.Signal.Refusal();
            await prompt.MessageAsync(cancellationToken, "无权进入", worker?.Name ?? badge);
            return null;
        }

        var method = await SecondFactorAsync(worker, cancellationToken);
        if (method is null)
        {
            kiosk.Log.LogWarning("Secretary mode: second factor failed for {Worker}", worker.Id);
            kiosk.Devices.Signal.Refusal();
            await prompt.MessageAsync(cancellationToken, "验证失败", worker.Name);
            return null;
        }

        var stamp = kiosk.Clock.Stamp();
        await kiosk.Journal.AppendAsync(new SecretaryLogin(worker.Id, method.Value, stamp.Local), stamp, cancellationToken);
        kiosk.Log.LogInformation("Secretary mode entered by {Worker} ({Role}) with {Method}", worker.Id, worker.Role, method.Value);
        kiosk.Devices.Signal.Success();
        return worker;
    }

    /// <summary>Fingerprint 1:1 when the worker has a slot and the module is there; otherwise (or when the
    /// finger fails) the PIN, if the roster holds one.</summary>
    private async Task<PunchMethod?> SecondFactorAsync(Worker worker, CancellationToken cancellationToken)
    {
        var slots = kiosk.SlotsOf(worker);
        if (kiosk.Devices.Fingerprint is { } finger && slots.Count > 0)
        {
            await prompt.ShowAsync(cancellationToken, Title, worker.Name, PunchFlow.PlaceFingerText);
            var match = await kiosk.VerifyFingerAsync(finger, slots, prompt.Liveness, cancellationToken);
            if (match.IsMatch && slots.Contains(match.Slot))
            {
                return PunchMethod.CardAndFinger;
            }
        }

        if (worker.PinHash is null)
        {
            return null;
        }

        var pin = await prompt.ReadNumberAsync(Title, "请输入密码", acceptCard: false, cancellationToken, masked: true);
        return pin is not null && PinMatches(worker.PinHash, worker.Id, pin) ? PunchMethod.Pin : null;
    }

    /// <summary>PinHash is "sha256:" + lower-case hex of SHA-256 over "{workerId}:{pin}" (salted by the id so equal
    /// PINs differ); docs/device.md. Compared in constant time.</summary>
    internal static bool PinMatches(string pinHash, string workerId, string pin)
    {
        var expected = pinHash.StartsWith("sha256:", StringComparison.Ordinal) ? pinHash[7..] : pinHash;
        return MatchesHash(expected, workerId + ":" + pin);
    }

    internal static string HashPin(string workerId, string pin) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(workerId + ":" + pin)));

    private static bool MatchesHash(string expectedHex, string text)
    {
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        byte[] expected;
        try
        {
            expected = Convert.FromHexString(expectedHex);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}

using System.Text.Json;
using Kiosk.Core.Roster;
using Kiosk.Device.Clock;
using Kiosk.Device.Configuration;
using Kiosk.Device.Devices;
using Kiosk.Device.Devices.ConsoleDisplay;
using Kiosk.Device.Hosting;
using Kiosk.Device.Punching;
using Kiosk.Device.Secretary;
using Kiosk.Device.Tests.Clock;
using Kiosk.Device.Tests.EndToEnd;
using Kiosk.Device.Tests.Journal;
using Kiosk.Sync.Contract;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Tests.Secretary;

[Collection("kiosk rig")]
public sealed class SecretaryTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, KioskRig.Beijing);
    private static readonly Worker Zhang = KioskRig.W("1001", "张三", "0001623026", 1);
    private static readonly Worker Secretary = KioskRig.W("1009", "赵书记", "0001623099", 9, Role.Secretary);
    private static readonly Worker Deputy = KioskRig.W("1008", "钱副书记", "0001623098", 8, Role.DeputySecretary);

    [Fact]
    public async Task Secretary_mode_times_out_to_the_idle_screen_on_the_injected_clock()
    {
        using var temp = new TempJournal();
        var time = new Hosting.SteppedTime(Monday);
        var display = new PlainTextDisplay(TextWriter.Null, keepHistory: true);
        await using var prompt = await AtSecretaryPromptAsync(temp, time, display);
        var timers = time.Created;
        time.Advance(TimeSpan.FromSeconds(59));
        // The mode has handled the step once it waits again (a new timer): had it timed out, the idle screen would
        // already be shown by then.
        await Hosting.SteppedTime.WaitUntilAsync(() => time.Created > timers, "secretary mode waiting again after 59 s");
        Assert.DoesNotContain(display.History.Skip(prompt.Before), KioskRig.IsIdle);

        time.Advance(TimeSpan.FromSeconds(2));
        await WaitForAsync(display, s => KioskRig.IsIdle(s), prompt.Before);
    }

    [Fact]
    public async Task Leaving_secretary_mode_at_once_brings_the_idle_screen_back_within_the_same_minute()
    {
        using var temp = new TempJournal();
        var time = new Hosting.SteppedTime(Monday);
        var display = new PlainTextDisplay(TextWriter.Null, keepHistory: true);
        await using var prompt = await AtSecretaryPromptAsync(temp, time, display);

        // Back before any badge: no journal row, the clock has not moved, so the idle screen is the very one shown
        // before the mode; it must be drawn again all the same, since the mode drew over it.
        prompt.Kiosk.Inputs.Post(new KeyInput(new KeyPress(KeyKind.Back)));

        await WaitForAsync(display, s => KioskRig.IsIdle(s), prompt.Before);
    }

    /// <summary>A running punch flow showing the secretary prompt (idle screen, then Menu); <see cref="Prompt.Before"/>
    /// is the display history's length at that point. Disposing stops the flow, also when an assertion failed.</summary>
    private static async Task<Prompt> AtSecretaryPromptAsync(TempJournal temp, Hosting.SteppedTime time, PlainTextDisplay display)
    {
        var (kiosk, flow) = await BuildAsync(temp, time, display, [Zhang, Secretary]);
        await flow.StartAsync(CancellationToken.None);
        try
        {
            await WaitForAsync(display, s => KioskRig.IsIdle(s));
            kiosk.Inputs.Post(new KeyInput(new KeyPress(KeyKind.Menu)));
            await WaitForAsync(display, s => s.Lines.Contains("请刷书记胸卡"));
            return new Prompt(kiosk, flow, display.History.Count);
        }
        catch
        {
            await new Prompt(kiosk, flow, 0).DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task The_deputy_enters_only_while_the_secretary_is_away_and_a_PIN_works_without_a_finger()
    {
        var pinDeputy = Deputy with { FingerSlots = [], PinHash = SecretaryMode.HashPin(Deputy.Id, "2468") };
        var away = new Delegation("office-1", DelegationKind.Away, Secretary.Id, new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 6), null);
        await using var rig = await KioskRig.StartAsync([Zhang, Secretary, pinDeputy], Monday, delegations: [away]);
        rig.Press(new KeyPress(KeyKind.Menu));
        await rig.WaitForScreenAsync(s => s.Lines.Contains("请刷书记胸卡"));
        await rig.TapAsync(pinDeputy.BadgeIds[0], null, until: s => s.Lines.Contains("请输入密码"));
        rig.Press(D('2'), D('4'), D('6'), D('8'), new KeyPress(KeyKind.Enter));
        await rig.WaitForScreenAsync(s => s.Lines.Count > 0 && s.Lines[0].StartsWith("书记模式 1/", StringComparison.Ordinal));
        var login = Assert.Single(rig.Temp.Journal.ReadAfter(0, 10), r => r.Kind == "secretary_login");
        Assert.Equal(Deputy.Id, login.WorkerId);

        // The secretary is away this week: their own badge does not open the menu.
        // The history index is taken before each key: the flow may show the next screen before Press returns.
        var seen = rig.Display.History.Count;
        rig.Press(new KeyPress(KeyKind.Back));
        await rig.WaitForScreenAsync(KioskRig.IsIdle, seen);
        seen = rig.Display.History.Count;
        rig.Press(new KeyPress(KeyKind.Menu));
        await rig.WaitForScreenAsync(s => s.Lines.Contains("请刷书记胸卡"), seen);
        var refused = await rig.TapAsync(Secretary.BadgeIds[0], 9, until: s => s.Lines.Count > 0 && s.Lines[0] == "无权进入");
        Assert.Equal("赵书记", refused.Lines[1]);
    }

    [Fact]
    public void A_PIN_matches_only_its_own_worker_and_digits()
    {
        var hash = SecretaryMode.HashPin("1008", "2468");
        Assert.True(SecretaryMode.PinMatches(hash, "1008", "2468"));
        Assert.False(SecretaryMode.PinMatches(hash, "1008", "2469"));
        Assert.False(SecretaryMode.PinMatches(hash, "1009", "2468"));
        Assert.False(SecretaryMode.PinMatches("sha256:not-hex", "1008", "2468"));
    }

    private static KeyPress D(char c) => new(KeyKind.Digit, c);

    private sealed record Prompt(KioskContext Kiosk, PunchFlow Flow, int Before) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Flow.StopAsync(CancellationToken.None);
            await Kiosk.Inputs.DisposeAsync();
        }
    }

    private static async Task<(KioskContext Kiosk, PunchFlow Flow)> BuildAsync(TempJournal temp, TimeProvider time, IDisplay display, IReadOnlyList<Worker> workers)
    {
        var clock = new ClockGuard(time, new FakeClockSources { Synchronised = true }, new ClockOptions(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), false, TimeSpan.FromHours(1)), NullLogger.Instance);
        clock.Attach(temp.Journal);
        var config = new OfficeConfigStore(temp.Journal, "office-1", time, NullLogger.Instance);
        await config.ApplyAsync(new OfficeConfig(1, "office-1", "c", Monday,
            JsonSerializer.SerializeToElement(new OfficeRoster("office-1", "r", workers, []), new JsonSerializerOptions(JsonSerializerDefaults.Web)), null, null, null),
            CancellationToken.None);
        var devices = new KioskDevices([], null, display, null, new RecordingSignal());
        var kiosk = new KioskContext(temp.Journal, clock, config, devices, new InputHub(time, NullLogger.Instance),
            new KioskOptions { OfficeId = "office-1", DeviceId = "kiosk-1" }, time, NullLogger.Instance);
        return (kiosk, new PunchFlow(kiosk, new SecretaryMode(kiosk), new Liveness(time)));
    }

    private static async Task WaitForAsync(PlainTextDisplay display, Func<Screen, bool> predicate, int from = 0)
    {
        for (var i = 0; i < 500; i++)
        {
            if (display.History.Skip(from).Any(predicate))
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail("Screen never shown:\n" + string.Join("\n", display.History.Skip(from).Select(PlainTextDisplay.Format)));
    }
}

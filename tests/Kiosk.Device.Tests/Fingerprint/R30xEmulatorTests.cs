using Kiosk.Device.Devices.Fingerprint;
using Kiosk.Device.Emulators;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Device.Tests.Fingerprint;

/// <summary>The emulator keeps to the module's rules (hardware-protocols.md §1) when the host gets them wrong:
/// packets for another address go unanswered, and a bad BufferID is answered, never fatal.</summary>
[Collection(SocatPty.Collection)]
public sealed class R30xEmulatorTests
{
    private const uint OwnAddress = 0x12345678;

    [Fact]
    public async Task The_emulator_answers_only_packets_carrying_its_own_address()
    {
        var emulatorOptions = new R30xEmulatorOptions { Address = OwnAddress };
        var quick = new R30xOptions { ReplyTimeout = TimeSpan.FromMilliseconds(300) };

        await using (var wrong = await FingerprintRig.StartAsync(emulatorOptions, quick))
        {
            // The driver talks to the default address FFFFFFFF: not this module's, so silence.
            Assert.Equal(R30xCode.Timeout, (await wrong.Reader.Module.VerifyPasswordAsync(CancellationToken.None)).Code);
            Assert.Equal(0, wrong.Emulator.CommandsHandled);
            Assert.True(wrong.Emulator.Statistics.Corrupt >= 1, wrong.Emulator.Statistics.ToString());
        }

        await using var right = await FingerprintRig.StartAsync(emulatorOptions, quick with { Address = OwnAddress });
        Assert.Equal(R30xCode.Ok, await right.Reader.InitializeAsync(CancellationToken.None));
        Assert.Equal(OwnAddress, right.Reader.Parameters!.Address);
        Assert.Equal(2, right.Emulator.CommandsHandled);
    }

    [Fact]
    public async Task A_bad_buffer_id_is_answered_with_code_01_and_the_emulator_keeps_answering()
    {
        await using var rig = await FingerprintRig.StartAsync();
        rig.Emulator.Enrol(0, "someone");
        Assert.Equal(R30xCode.Ok, await rig.Reader.InitializeAsync(CancellationToken.None));
        var module = rig.Reader.Module;

        // Buffers are 1..6 (§1 Img2Tz): 0, 7 and 200 are not buffers. Each used to index past the emulator's
        // buffer array and end its answering loop, so every later command timed out.
        Assert.Equal(R30xEmulator.BadBuffer, await module.StoreAsync(7, 1, CancellationToken.None));
        Assert.Equal(R30xEmulator.BadBuffer, await module.LoadCharAsync(0, 0, CancellationToken.None));
        Assert.Equal(R30xEmulator.BadBuffer, await module.LoadCharAsync(200, 0, CancellationToken.None));
        Assert.Equal(R30xEmulator.BadBuffer, await module.ImageToBufferAsync(7, CancellationToken.None));
        Assert.Equal(R30xEmulator.BadBuffer, await module.DownloadTemplateAsync(9, rig.Emulator.TemplateOf("x"), CancellationToken.None));

        Assert.Equal((R30xCode.Ok, 1), await module.TemplateCountAsync(CancellationToken.None));
        Assert.Single(rig.Emulator.Library);
        Assert.False(module.ResyncNeeded, "a module answer is not a lost reply");
    }
}

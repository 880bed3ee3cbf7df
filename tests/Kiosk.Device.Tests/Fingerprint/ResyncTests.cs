using Kiosk.Device.Devices;
using Kiosk.Device.Devices.Fingerprint;
using Kiosk.Device.Linux.Serial;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Device.Tests.Fingerprint;

/// <summary>When the driver verifies the password again (hardware-protocols.md §1 "Liveness": VfyPwd), decided by
/// the R30x layer from what happened on the line, and the template upload's "never throws, never a short
/// template" contract.</summary>
[Collection(SocatPty.Collection)]
public sealed class ResyncTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private static readonly R30xOptions Quick = new() { ReplyTimeout = TimeSpan.FromMilliseconds(300), FingerPollInterval = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task A_lost_reply_makes_the_next_operation_verify_the_password_first()
    {
        await using var rig = await FingerprintRig.StartAsync(options: Quick);
        Assert.True(rig.Reader.Module.ResyncNeeded, "nothing verified yet");
        Assert.Equal(R30xCode.Ok, await rig.Reader.InitializeAsync(CancellationToken.None));
        Assert.False(rig.Reader.Module.ResyncNeeded);

        rig.Emulator.Silent = true;
        Assert.Equal(R30xCode.Timeout, (await rig.Reader.Module.TemplateCountAsync(CancellationToken.None)).Code);
        Assert.True(rig.Reader.Module.ResyncNeeded);

        rig.Emulator.Silent = false;
        rig.Emulator.Enrol(4, "back");
        rig.Emulator.PutFinger("back");
        var seen = rig.Emulator.Received.Count;
        Assert.Equal(4, (await rig.Reader.IdentifyAsync(Wait, CancellationToken.None)).Slot);
        Assert.Equal([R30xInstruction.VfyPwd, R30xInstruction.ReadSysPara], rig.Emulator.Received.Skip(seen).Take(2));
        Assert.False(rig.Reader.Module.ResyncNeeded);
    }

    [Fact]
    public async Task A_corrupt_reply_also_asks_for_a_resync()
    {
        await using var rig = await FingerprintRig.StartAsync(options: Quick);
        Assert.Equal(R30xCode.Ok, await rig.Reader.InitializeAsync(CancellationToken.None));

        rig.Emulator.CorruptNextReply = true;
        Assert.NotEqual(R30xCode.Ok, (await rig.Reader.Module.TemplateCountAsync(CancellationToken.None)).Code);

        Assert.True(rig.Reader.Module.ResyncNeeded);
    }

    [Fact]
    public async Task Module_answers_such_as_a_finger_never_lifted_or_code_26_do_not_reinitialise()
    {
        await using var rig = await FingerprintRig.StartAsync(options: Quick);
        rig.Emulator.Enrol(1, "f");
        rig.Emulator.PutFinger("f");
        rig.Emulator.FailNext(R30xInstruction.Search, R30xCode.ModuleTimeout);
        Assert.Equal(FingerStatus.Timeout, (await rig.Reader.IdentifyAsync(Wait, CancellationToken.None)).Status);

        var progress = new InlineProgress<EnrolStep>(_ => { });
        var enrolled = await rig.Reader.EnrolAsync(progress, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        Assert.Equal(FingerStatus.Timeout, enrolled.Status);
        Assert.Equal("the finger was not lifted", enrolled.Detail);

        Assert.False(rig.Reader.Module.ResyncNeeded);
        Assert.Equal(1, (await rig.Reader.IdentifyAsync(Wait, CancellationToken.None)).Slot);
        Assert.Equal(1, rig.Emulator.Received.Count(i => i == R30xInstruction.VfyPwd));
    }

    [Fact]
    public async Task A_port_that_disappears_during_a_template_upload_is_a_typed_result_not_an_exception()
    {
        await using var pty = await SocatPty.StartAsync();
        using var module = new R30xModule(LinuxSerialPort.Open(pty.HostPath, 57600), Quick with { ReplyTimeout = TimeSpan.FromSeconds(5) }, TimeProvider.System);
        using var device = LinuxSerialPort.Open(pty.DevicePath, 57600);

        var upload = module.UploadTemplateAsync(1, CancellationToken.None);
        await ReadCommandAsync(device, R30xInstruction.UpChar);
        // The ack and the first of four data packets, then the module is unplugged mid-transfer.
        await device.WriteAsync(R30xPacket.Ack(R30xCode.Ok).Encode(), CancellationToken.None);
        await device.WriteAsync(new R30xPacket(R30xPid.Data, new byte[128]).Encode(), CancellationToken.None);
        await WaitUntilAsync(() => module.Statistics.Frames >= 2);
        await pty.KillAsync();

        var (code, template) = await upload;
        Assert.Equal(R30xCode.PortGone, code);
        Assert.Empty(template);
        Assert.True(module.ResyncNeeded);
    }

    [Fact]
    public async Task A_data_packet_lost_to_a_corrupt_header_refuses_the_whole_template()
    {
        await using var pty = await SocatPty.StartAsync();
        using var module = new R30xModule(LinuxSerialPort.Open(pty.HostPath, 57600), Quick with { ReplyTimeout = TimeSpan.FromSeconds(2) }, TimeProvider.System);
        using var device = LinuxSerialPort.Open(pty.DevicePath, 57600);

        var upload = module.UploadTemplateAsync(1, CancellationToken.None);
        await ReadCommandAsync(device, R30xInstruction.UpChar);
        var lost = new R30xPacket(R30xPid.Data, Enumerable.Repeat((byte)0x11, 128).ToArray()).Encode();
        lost[0] = 0x00; // the header's EF garbled: the whole packet reads as stray bytes, no checksum error at all
        byte[] reply =
        [
            .. R30xPacket.Ack(R30xCode.Ok).Encode(),
            .. new R30xPacket(R30xPid.Data, new byte[128]).Encode(),
            .. lost,
            .. new R30xPacket(R30xPid.EndOfData, new byte[128]).Encode(),
        ];
        await device.WriteAsync(reply, CancellationToken.None);

        var (code, template) = await upload;
        Assert.Equal(R30xCode.BadReply, code);
        Assert.Empty(template);
        Assert.Equal(0, module.Statistics.Errors);
        Assert.True(module.Statistics.GarbageBytes > 0);
        Assert.True(module.ResyncNeeded);
    }

    /// <summary>Plays the module's side: reads until one whole command packet arrived and checks it.</summary>
    private static async Task ReadCommandAsync(ISerialTransport device, R30xInstruction expected)
    {
        var parser = new R30xPacketParser();
        var buffer = new byte[64];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (true)
        {
            var n = await device.ReadAsync(buffer, TimeSpan.FromSeconds(5), timeout.Token);
            for (var i = 0; i < n; i++)
            {
                if (parser.TryPush(buffer[i], out var packet))
                {
                    Assert.Equal(R30xPid.Command, packet!.Pid);
                    Assert.Equal((byte)expected, packet.Payload[0]);
                    return;
                }
            }

            Assert.True(n > 0, "no command from the driver");
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}

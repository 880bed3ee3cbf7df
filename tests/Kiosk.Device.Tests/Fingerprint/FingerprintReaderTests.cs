using Kiosk.Device.Devices;
using Kiosk.Device.Devices.Fingerprint;
using Kiosk.Device.Emulators;
using Kiosk.Device.Tests.TestSupport;

namespace Kiosk.Device.Tests.Fingerprint;

/// <summary>The driver against the R30x emulator over a real socat pty pair.</summary>
[Collection(SocatPty.Collection)]
public sealed class FingerprintReaderTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    // For the tests that wait for a reply that never comes.
    private static readonly R30xOptions Quick = new() { ReplyTimeout = TimeSpan.FromMilliseconds(300), FingerPollInterval = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task An_enrolled_finger_is_identified_with_its_slot_and_score()
    {
        await using var rig = await FingerprintRig.StartAsync();
        rig.Emulator.Enrol(3, "张三 right index");
        rig.Emulator.Enrol(5, "李四 right thumb");
        rig.Emulator.PutFinger("李四 right thumb", score: 87);

        var match = await rig.Reader.IdentifyAsync(Wait, CancellationToken.None);

        Assert.True(match.IsMatch);
        Assert.Equal(5, match.Slot);
        Assert.Equal(87, match.Score);
        Assert.Equal(1000, rig.Reader.Parameters!.Capacity);
        // VfyPwd first (§1 "Liveness"), then ReadSysPara for the capacity, then the identify sequence.
        Assert.Equal(
            [R30xInstruction.VfyPwd, R30xInstruction.ReadSysPara, R30xInstruction.GenImg, R30xInstruction.Img2Tz, R30xInstruction.Search],
            rig.Emulator.Received);
    }

    [Fact]
    public async Task A_finger_nobody_enrolled_is_no_match()
    {
        await using var rig = await FingerprintRig.StartAsync();
        rig.Emulator.Enrol(0, "someone");
        rig.Emulator.PutUnknownFinger();
        var match = await rig.Reader.IdentifyAsync(Wait, CancellationToken.None);
        Assert.Equal(FingerStatus.NoMatch, match.Status);
        Assert.False(match.IsMatch);
    }

    [Fact]
    public async Task No_finger_within_the_wait_is_reported_as_no_finger_not_an_exception()
    {
        await using var rig = await FingerprintRig.StartAsync();
        var match = await rig.Reader.IdentifyAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        Assert.Equal(FingerStatus.NoFinger, match.Status);
    }

    [Fact]
    public async Task Verify_accepts_the_workers_own_slot_and_refuses_another_or_an_empty_one()
    {
        await using var rig = await FingerprintRig.StartAsync();
        rig.Emulator.Enrol(10, "王五");
        rig.Emulator.Enrol(11, "赵六");
        rig.Emulator.PutFinger("王五");

        Assert.Equal(FingerStatus.Ok, (await rig.Reader.VerifyAsync(10, Wait, CancellationToken.None)).Status);
        Assert.Equal(FingerStatus.NoMatch, (await rig.Reader.VerifyAsync(11, Wait, CancellationToken.None)).Status);
        var empty = await rig.Reader.VerifyAsync(12, Wait, CancellationToken.None);
        Assert.Equal(FingerStatus.NoMatch, empty.Status);
        Assert.Contains("slot 12", empty.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrolment_takes_two_captures_with_a_lift_between_and_stores_in_the_first_free_slot()
    {
        await using var rig = await FingerprintRig.StartAsync();
        rig.Emulator.Enrol(0, "a");
        rig.Emulator.Enrol(1, "b");
        rig.Emulator.Enrol(3, "c");
        var progress = new InlineProgress<EnrolStep>(step =>
        {
            switch (step)
            {
                case EnrolStep.PlaceFinger or EnrolStep.PlaceAgain:
                    rig.Emulator.PutFinger("new worker");
                    break;
                case EnrolStep.LiftFinger:
                    rig.Emulator.LiftFinger();
                    break;
            }
        });

        var enrolled = await rig.Reader.EnrolAsync(progress, Wait, CancellationToken.None);

        Assert.Equal(FingerStatus.Ok, enrolled.Status);
        Assert.Equal(2, enrolled.Slot);
        Assert.Equal([EnrolStep.PlaceFinger, EnrolStep.LiftFinger, EnrolStep.PlaceAgain, EnrolStep.Storing], progress.Seen);
        Assert.Equal(rig.Emulator.TemplateOf("new worker"), rig.Emulator.Library[2]);

        // And the new worker is now identified.
        var match = await rig.Reader.IdentifyAsync(Wait, CancellationToken.None);
        Assert.Equal(2, match.Slot);
    }

    [Fact]
    public async Task Two_different_fingers_during_enrolment_fail_to_merge_and_store_nothing()
    {
        await using var rig = await FingerprintRig.StartAsync();
        var progress = new InlineProgress<EnrolStep>(step =>
        {
            if (step == EnrolStep.PlaceFinger)
            {
                rig.Emulator.PutFinger("first");
            }
            else if (step == EnrolStep.LiftFinger)
            {
                rig.Emulator.LiftFinger();
            }
            else if (step == EnrolStep.PlaceAgain)
            {
                rig.Emulator.PutFinger("second");
            }
        });

        var enrolled = await rig.Reader.EnrolAsync(progress, Wait, CancellationToken.None);
        Assert.Equal(FingerStatus.MergeFailed, enrolled.Status);
        Assert.Empty(rig.Emulator.Library);
    }

    [Fact]
    public async Task A_full_library_is_reported_before_asking_for_a_finger()
    {
        await using var rig = await FingerprintRig.StartAsync(new R30xEmulatorOptions { Capacity = 2 });
        rig.Emulator.Enrol(0, "a");
        rig.Emulator.Enrol(1, "b");
        var progress = new InlineProgress<EnrolStep>(_ => { });
        var enrolled = await rig.Reader.EnrolAsync(progress, Wait, CancellationToken.None);
        Assert.Equal(FingerStatus.LibraryFull, enrolled.Status);
        Assert.Empty(progress.Seen);
    }

    [Fact]
    public async Task A_finger_that_is_never_lifted_ends_enrolment_with_a_timeout()
    {
        await using var rig = await FingerprintRig.StartAsync();
        var progress = new InlineProgress<EnrolStep>(step =>
        {
            if (step == EnrolStep.PlaceFinger)
            {
                rig.Emulator.PutFinger("stubborn");
            }
        });
        var enrolled = await rig.Reader.EnrolAsync(progress, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        Assert.Equal(FingerStatus.Timeout, enrolled.Status);
        Assert.Equal("the finger was not lifted", enrolled.Detail);
    }

    [Fact]
    public async Task Deleting_a_slot_removes_its_template()
    {
        await using var rig = await FingerprintRig.StartAsync();
        rig.Emulator.Enrol(7, "leaver");
        Assert.Equal(FingerStatus.Ok, await rig.Reader.DeleteAsync(7, CancellationToken.None));
        Assert.False(rig.Emulator.Library.ContainsKey(7));
        Assert.Equal(FingerStatus.ModuleError, await rig.Reader.DeleteAsync(5000, CancellationToken.None));
    }

    [Theory]
    [InlineData(2, 512)] // 128-byte packets, R30x template: 4 packets
    [InlineData(0, 1536)] // 32-byte packets, new R503 template: 48 packets
    public async Task A_template_uploads_until_the_end_packet_and_downloads_back_into_another_slot(int packetSizeCode, int templateBytes)
    {
        await using var rig = await FingerprintRig.StartAsync(new R30xEmulatorOptions { PacketSizeCode = packetSizeCode, TemplateBytes = templateBytes });
        rig.Emulator.Enrol(4, "copied");
        Assert.Equal(R30xCode.Ok, await rig.Reader.InitializeAsync(CancellationToken.None));
        var module = rig.Reader.Module;

        Assert.Equal(R30xCode.Ok, await module.LoadCharAsync(1, 4, CancellationToken.None));
        var (code, template) = await module.UploadTemplateAsync(1, CancellationToken.None);
        Assert.Equal(R30xCode.Ok, code);
        Assert.Equal(rig.Emulator.TemplateOf("copied"), template);

        Assert.Equal(R30xCode.Ok, await module.DownloadTemplateAsync(2, template, CancellationToken.None));
        Assert.Equal(R30xCode.Ok, await module.StoreAsync(2, 9, CancellationToken.None));
        Assert.Equal(template, rig.Emulator.Library[9]);
        Assert.Equal((R30xCode.Ok, 2), await module.TemplateCountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_silent_module_gives_a_typed_timeout_and_the_driver_recovers_when_it_answers_again()
    {
        await using var rig = await FingerprintRig.StartAsync(options: Quick);
        rig.Emulator.Silent = true;
        var match = await rig.Reader.IdentifyAsync(Wait, CancellationToken.None);
        Assert.Equal(FingerStatus.Timeout, match.Status);

        rig.Emulator.Silent = false;
        rig.Emulator.Enrol(1, "back");
        rig.Emulator.PutFinger("back");
        Assert.Equal(1, (await rig.Reader.IdentifyAsync(Wait, CancellationToken.None)).Slot);
    }

    [Fact]
    public async Task Garbage_before_a_reply_is_skipped_and_counted()
    {
        await using var rig = await FingerprintRig.StartAsync();
        Assert.Equal(R30xCode.Ok, await rig.Reader.InitializeAsync(CancellationToken.None));
        rig.Emulator.Enrol(2, "x");
        rig.Emulator.GarbageBeforeNextReply = [0x55, 0x13, 0xEF, 0x00, 0x42];
        Assert.Equal((R30xCode.Ok, 1), await rig.Reader.Module.TemplateCountAsync(CancellationToken.None));
        Assert.True(rig.Reader.Module.Statistics.GarbageBytes >= 4);
    }

    [Fact]
    public async Task A_corrupt_reply_is_dropped_and_counted_and_the_next_call_works()
    {
        await using var rig = await FingerprintRig.StartAsync(options: Quick);
        Assert.Equal(R30xCode.Ok, await rig.Reader.InitializeAsync(CancellationToken.None));
        rig.Emulator.CorruptNextReply = true;
        // The corrupt ack is dropped, so no reply arrives: a timeout, with the checksum error counted.
        Assert.Equal(R30xCode.Timeout, (await rig.Reader.Module.TemplateCountAsync(CancellationToken.None)).Code);
        Assert.Equal(1, rig.Reader.Module.Statistics.ChecksumErrors);
        Assert.Equal((R30xCode.Ok, 0), await rig.Reader.Module.TemplateCountAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(R30xInstruction.GenImg, R30xCode.CaptureFailed, FingerStatus.CaptureFailed)]
    [InlineData(R30xInstruction.Img2Tz, R30xCode.TooFewFeatures, FingerStatus.TooFewFeatures)]
    [InlineData(R30xInstruction.Img2Tz, R30xCode.ImageDisordered, FingerStatus.CaptureFailed)]
    [InlineData(R30xInstruction.Search, R30xCode.SensorError, FingerStatus.ModuleError)]
    [InlineData(R30xInstruction.Search, R30xCode.ReceiveError, FingerStatus.CommunicationError)]
    [InlineData(R30xInstruction.Search, R30xCode.ModuleTimeout, FingerStatus.Timeout)]
    public async Task Module_error_codes_come_back_as_typed_results(R30xInstruction failing, R30xCode code, FingerStatus expected)
    {
        await using var rig = await FingerprintRig.StartAsync();
        rig.Emulator.Enrol(1, "f");
        rig.Emulator.PutFinger("f");
        rig.Emulator.FailNext(failing, code);
        var match = await rig.Reader.IdentifyAsync(Wait, CancellationToken.None);
        Assert.Equal(expected, match.Status);
        Assert.Contains(R30xCodes.Describe(code), match.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_reported_and_nothing_else_is_attempted()
    {
        await using var rig = await FingerprintRig.StartAsync(new R30xEmulatorOptions { Password = 0x12345678 });
        rig.Emulator.PutUnknownFinger();
        var match = await rig.Reader.IdentifyAsync(Wait, CancellationToken.None);
        Assert.Equal(FingerStatus.ModuleError, match.Status);
        Assert.Contains("wrong password", match.Detail, StringComparison.Ordinal);
        Assert.Equal([R30xInstruction.VfyPwd], rig.Emulator.Received);
    }

    [Fact]
    public async Task The_aura_led_setting_reaches_the_module()
    {
        await using var rig = await FingerprintRig.StartAsync();
        Assert.Equal(R30xCode.Ok, await rig.Reader.InitializeAsync(CancellationToken.None));
        Assert.Equal(R30xCode.Ok, await rig.Reader.Module.AuraLedAsync(1, 0x80, 2, 0, CancellationToken.None));
        Assert.Equal(((byte)1, (byte)0x80, (byte)2, (byte)0), rig.Emulator.Aura);
    }
}

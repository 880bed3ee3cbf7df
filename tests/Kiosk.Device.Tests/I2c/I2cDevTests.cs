using Kiosk.Device.Linux.I2c;

namespace Kiosk.Device.Tests.I2c;

public sealed class I2cDevTests
{
    [Fact]
    public void The_address_is_set_with_I2C_SLAVE_by_value_before_any_write()
    {
        var fake = new FakeI2c();
        using var device = new I2cDevDevice(fake, "/dev/i2c-1", 0x3C);

        device.Write([0x00, 0xAE]);

        Assert.Equal(["/dev/i2c-1"], fake.Opened);
        Assert.Equal(("ioctl", 0x0703u, (nint)0x3C, (byte[]?)null), fake.Log[0]);
        Assert.Equal("write", fake.Log[1].Kind);
        Assert.Equal(new byte[] { 0x00, 0xAE }, fake.Log[1].Bytes);
    }

    [Fact]
    public void Force_uses_I2C_SLAVE_FORCE()
    {
        var fake = new FakeI2c();
        using var device = new I2cDevDevice(fake, "/dev/i2c-1", 0x3D, force: true);

        Assert.Equal(0x0706u, fake.Log[0].Request);
        Assert.Equal(0x3D, fake.Log[0].Value);
    }

    [Fact]
    public void The_printed_8_bit_address_is_refused_with_an_explanation()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new I2cDevDevice(new FakeI2c(), "/dev/i2c-1", 0x78));
        Assert.Contains("0x3C<<1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_acknowledge_becomes_an_error_that_says_what_to_check()
    {
        var fake = new FakeI2c { FailWithErrno = 121 };
        using var device = new I2cDevDevice(fake, "/dev/i2c-1", 0x3C);

        var error = Assert.Throws<I2cException>(() => device.Write([0x00, 0xAF]));

        Assert.Contains("/dev/i2c-1 address 0x3C", error.Message, StringComparison.Ordinal);
        Assert.Contains("SDA pin 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_write_is_an_error_not_a_silent_loss()
    {
        var fake = new FakeI2c { ShortWrite = 3 };
        using var device = new I2cDevDevice(fake, "/dev/i2c-1", 0x3C);

        var error = Assert.Throws<I2cException>(() => device.Write(new byte[10]));
        Assert.Contains("3 of 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_a_bus_that_does_not_exist_names_the_file_and_errno()
    {
        var error = Assert.Throws<I2cException>(() => new I2cDevDevice(new LinuxI2cFiles(), "/dev/i2c-kiosk-test-missing", 0x3C));

        Assert.Contains("/dev/i2c-kiosk-test-missing", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Errno);
    }

    [Fact]
    public void A_file_that_is_not_an_i2c_adapter_fails_at_I2C_SLAVE()
    {
        var path = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<I2cException>(() => new I2cDevDevice(new LinuxI2cFiles(), path, 0x3C));
            Assert.Contains("ioctl 0x0703(0x3C)", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

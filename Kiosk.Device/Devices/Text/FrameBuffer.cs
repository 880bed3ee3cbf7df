namespace Kiosk.Device.Devices.Text;

/// <summary>A 1-bit picture, row-major, one bool per pixel packed in bytes (MSB = leftmost, like Unifont rows).
/// Display drivers convert it to their own layout (SSD1306 pages, terminal half-blocks).</summary>
public sealed class FrameBuffer : IEquatable<FrameBuffer>
{
    private readonly byte[] _bits;

    public FrameBuffer(int width = 128, int height = 64)
    {
        if (width <= 0 || height <= 0 || width % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}×{height}: width a positive multiple of 8, height positive.");
        }

        Width = width;
        Height = height;
        _bits = new byte[width / 8 * height];
    }

    public int Width { get; }

    public int Height { get; }

    public bool this[int x, int y]
    {
        get => x >= 0 && y >= 0 && x < Width && y < Height && (_bits[Index(x, y)] & Mask(x)) != 0;
        set
        {
            // Drawing past the edge clips silently: a long name is cut at the screen edge, not an error.
            if (x < 0 || y < 0 || x >= Width || y >= Height)
            {
                return;
            }

            if (value)
            {
                _bits[Index(x, y)] |= Mask(x);
            }
            else
            {
                _bits[Index(x, y)] &= (byte)~Mask(x);
            }
        }
    }

    public void Clear() => Array.Clear(_bits);

    public void Invert()
    {
        for (var i = 0; i < _bits.Length; i++)
        {
            _bits[i] = (byte)~_bits[i];
        }
    }

    public int CountLit()
    {
        var count = 0;
        foreach (var b in _bits)
        {
            count += System.Numerics.BitOperations.PopCount(b);
        }

        return count;
    }

    public bool Equals(FrameBuffer? other) =>
        other is not null && other.Width == Width && other.Height == Height && other._bits.AsSpan().SequenceEqual(_bits);

    public override bool Equals(object? obj) => Equals(obj as FrameBuffer);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bits);
        return hash.ToHashCode();
    }

    private int Index(int x, int y) => (y * (Width / 8)) + (x >> 3);

    private static byte Mask(int x) => (byte)(0x80 >> (x & 7));
}

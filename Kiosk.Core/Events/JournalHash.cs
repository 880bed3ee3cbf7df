using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Kiosk.Core.Events;

/// <summary>A SHA-256 implementation: the 32-byte digest of <paramref name="input"/> into <paramref name="digest"/>.</summary>
public delegate void Sha256Function(ReadOnlySpan<byte> input, Span<byte> digest);

/// <summary>The hash chain over journal rows (architecture decision 2): each row's hash covers the previous
/// row's hash and this row's canonical JSON (the envelope with Hash set to ""). Both the device journal and
/// the centre compute it with this one function, so a chain verified on the device verifies at the centre.</summary>
public static class JournalHash
{
    [ThreadStatic]
    private static IncrementalHash? t_sha;

    /// <summary>The PrevHash of the first row of a chain (or of a new segment after damage).</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Compute(JournalEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return FromCanonical(envelope.PrevHash, Canonical(envelope));
    }

    /// <summary>The definition of the chain hash, in one place: lower-case hex SHA-256 over the previous hash, "\n",
    /// and the row's canonical UTF-8 JSON (the envelope with Hash = ""). The device's journal and the centre's inbox
    /// hand in canonical bytes they already hold, so neither serialises an event twice.</summary>
    public static string FromCanonical(string prevHash, ReadOnlySpan<byte> canonicalJson)
    {
        Span<char> hex = stackalloc char[SHA256.HashSizeInBytes * 2];
        HexDigest(prevHash, canonicalJson, hex);
        return new string(hex);
    }

    /// <summary>Whether <paramref name="expectedHash"/> is the hash of these canonical bytes (the same definition,
    /// text form and ordinal comparison as <see cref="Verify"/>), without allocating: the centre checks every
    /// envelope it receives this way.</summary>
    public static bool Matches(string prevHash, ReadOnlySpan<byte> canonicalJson, string expectedHash) =>
        Matches(prevHash, canonicalJson, expectedHash, null);

    /// <summary>The same, hashing with the caller's SHA-256 (any correct implementation gives the same bytes; the
    /// centre passes one with less overhead per call, Kiosk.Sync's NativeSha256). Null: .NET's.</summary>
    public static bool Matches(string prevHash, ReadOnlySpan<byte> canonicalJson, string expectedHash, Sha256Function? sha256)
    {
        ArgumentNullException.ThrowIfNull(expectedHash);
        Span<char> hex = stackalloc char[SHA256.HashSizeInBytes * 2];
        HexDigest(prevHash, canonicalJson, hex, sha256);
        return hex.SequenceEqual(expectedHash);
    }

    private static void HexDigest(string prevHash, ReadOnlySpan<byte> canonicalJson, Span<char> hex, Sha256Function? sha256 = null)
    {
        ArgumentNullException.ThrowIfNull(prevHash);
        // The previous hash is ASCII, one byte per char, as the chain has always been defined. The whole input is
        // handed to OpenSSL in one call (on the stack for an envelope, ~64 + 1 + 500 bytes): each call crosses into
        // native code, and three of them cost ~0.2 µs more per envelope than one (the centre hashes every event).
        var length = prevHash.Length + 1 + canonicalJson.Length;
        Span<byte> input = length <= 2048 ? stackalloc byte[length] : new byte[length];
        Encoding.ASCII.GetBytes(prevHash, input);
        input[prevHash.Length] = (byte)'\n';
        canonicalJson.CopyTo(input[(prevHash.Length + 1)..]);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        if (sha256 is not null)
        {
            sha256(input, digest);
        }
        else
        {
            // One reused hash object per thread: SHA256.HashData sets up a new OpenSSL context on every call, which
            // costs more than hashing the ~500 bytes of an envelope (measured by bench/Kiosk.Sync.Bench).
            var sha = t_sha ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha.AppendData(input);
            sha.GetHashAndReset(digest);
        }

        Convert.TryToHexStringLower(digest, hex, out _);
    }

    public static JournalEnvelope Seal(JournalEnvelope envelope) => envelope with { Hash = Compute(envelope) };

    public static bool Verify(JournalEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return Matches(envelope.PrevHash, Canonical(envelope), envelope.Hash);
    }

    /// <summary>The row's canonical bytes: its default System.Text.Json text with Hash = "".</summary>
    private static byte[] Canonical(JournalEnvelope envelope) =>
        JsonSerializer.SerializeToUtf8Bytes(envelope with { Hash = string.Empty });
}

using System.Buffers;
using Kiosk.Core.Events;
using Kiosk.Sync.Contract;

namespace Kiosk.Sync.Centre;

/// <summary>Checks an envelope's hash (JournalHash, decision 2) from its wire bytes instead of serialising the
/// object again, which was the centre's most expensive step per event.
///
/// JournalHash hashes PrevHash + "\n" + the envelope's default System.Text.Json text with Hash = "". Our wire text
/// (SyncJson) is that same text with camelCase names and the hash filled in (<see cref="EnvelopeText"/>), so the
/// canonical bytes are rebuilt by upper-casing the first letter of each property name and emptying the hash value.
///
/// Why this weakens nothing: a match means SHA-256(prev + rebuilt bytes) equals the signed Hash, so the rebuilt
/// bytes are exactly what the device hashed, i.e. the received values are the device's values token for token.
/// When the wire text is shaped differently (whitespace, other escaping, extra members, a name whose camelCase is
/// not a one-letter change) the rebuilt bytes differ, and the caller falls back to <see cref="JournalHash.Verify"/>,
/// the exact original check. A false "match" would need a SHA-256 collision.</summary>
internal static class WireHash
{
    private static readonly Sha256Function Sha256 = NativeSha256.Hash;

    /// <summary>true when <paramref name="canonical"/> (an envelope's text as JournalHash hashes it, rebuilt from what was
    /// received) hashes to <paramref name="expectedHash"/> with <paramref name="prevHash"/>.</summary>
    public static bool MatchesCanonical(ReadOnlySpan<byte> canonical, string prevHash, string expectedHash) =>
        // Same definition, text form and comparison as JournalHash.Verify (lower-case hex, ordinal).
        prevHash.Length <= 128 && expectedHash.Length == 64 && JournalHash.Matches(prevHash, canonical, expectedHash, Sha256);

    /// <summary>true when <paramref name="wire"/> (one envelope's JSON as received) hashes to
    /// <paramref name="expectedHash"/> with <paramref name="prevHash"/>; false means "not proven here".</summary>
    public static bool Matches(ReadOnlySpan<byte> wire, string prevHash, string expectedHash)
    {
        if (prevHash.Length > 128 || expectedHash.Length != 64 || wire.Length > 1 << 20)
        {
            return false;
        }

        // The canonical text is never longer than the wire text (same names, the hash value emptied): an envelope
        // fits on the stack; only an unusually large one borrows a pooled buffer.
        byte[]? rented = wire.Length > 2048 ? ArrayPool<byte>.Shared.Rent(wire.Length) : null;
        try
        {
            var canonical = rented is null ? stackalloc byte[2048] : rented;
            var length = EnvelopeText.Rewrite(wire, canonical, toUpper: true, emptyHash: true);
            return length >= 0 && MatchesCanonical(canonical[..length], prevHash, expectedHash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

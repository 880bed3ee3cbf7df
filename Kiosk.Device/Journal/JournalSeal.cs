using System.Text;
using System.Text.Json;
using Kiosk.Core.Events;

namespace Kiosk.Device.Journal;

/// <summary>Seals an envelope and produces its stored JSON with ONE serialisation. JournalHash.Compute hashes
/// PrevHash + "\n" + the canonical JSON (the envelope with Hash = ""); the stored JSON is the same text with the hash
/// filled in. Hash is the envelope's last property, so the canonical text ends in <c>"Hash":""}</c> and the stored text
/// is that text with the 64 hex digits put between the quotes: no second serialisation of the event on the punch path.
/// If the shape ever differs, it falls back to JournalHash.Seal + a full serialisation, so the result is always what
/// JournalHash.Verify and JournalIntegrity expect.</summary>
internal static class JournalSeal
{
    private static readonly byte[] EmptyHashTail = "\"Hash\":\"\"}"u8.ToArray();

    public static (JournalEnvelope Sealed, string Json) Seal(JournalEnvelope unsealed)
    {
        ArgumentNullException.ThrowIfNull(unsealed);
        var canonical = JsonSerializer.SerializeToUtf8Bytes(unsealed with { Hash = string.Empty });
        if (!canonical.AsSpan().EndsWith(EmptyHashTail))
        {
            var fallback = JournalHash.Seal(unsealed);
            return (fallback, JournalJson.Serialize(fallback));
        }

        var hash = JournalHash.FromCanonical(unsealed.PrevHash, canonical);

        var head = canonical.AsSpan(0, canonical.Length - 2); // up to and including the opening quote of the hash
        var json = string.Create(Encoding.UTF8.GetCharCount(head) + 64 + 2, (canonical, hash), static (chars, state) =>
        {
            var headBytes = state.canonical.AsSpan(0, state.canonical.Length - 2);
            var written = Encoding.UTF8.GetChars(headBytes, chars);
            state.hash.AsSpan().CopyTo(chars[written..]);
            chars[^2] = '"';
            chars[^1] = '}';
        });
        return (unsealed with { Hash = hash }, json);
    }
}

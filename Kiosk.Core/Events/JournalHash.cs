using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Kiosk.Core.Events;

/// <summary>The hash chain over journal rows (architecture decision 2): each row's hash covers the previous
/// row's hash and this row's canonical JSON (the envelope with Hash set to ""). Both the device journal and
/// the centre compute it with this one function, so a chain verified on the device verifies at the centre.</summary>
public static class JournalHash
{
    /// <summary>The PrevHash of the first row of a chain (or of a new segment after damage).</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Compute(JournalEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var canonical = JsonSerializer.SerializeToUtf8Bytes(envelope with { Hash = string.Empty });
        var prefix = Encoding.ASCII.GetBytes(envelope.PrevHash + "\n");
        var buffer = new byte[prefix.Length + canonical.Length];
        prefix.CopyTo(buffer, 0);
        canonical.CopyTo(buffer, prefix.Length);
        return Convert.ToHexStringLower(SHA256.HashData(buffer));
    }

    public static JournalEnvelope Seal(JournalEnvelope envelope) => envelope with { Hash = Compute(envelope) };

    public static bool Verify(JournalEnvelope envelope) =>
        string.Equals(Compute(envelope), envelope.Hash, StringComparison.Ordinal);
}

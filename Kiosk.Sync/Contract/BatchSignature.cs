using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kiosk.Core.Events;

namespace Kiosk.Sync.Contract;

/// <summary>The batch signature (docs/protocol.md, "Signature"). The signed bytes do not depend on how the JSON is
/// formatted: they are the UTF-8 text
/// <code>
/// kiosk-batch/1\n{officeId}\n{deviceId}\n{batchId}\n{count}\n
/// {sequence} {hash}\n   (once per envelope, in batch order)
/// </code>
/// and every envelope's Hash covers its whole content (JournalHash, decision 2), which the centre re-computes. So
/// the signature binds the device, the batch and each event's full content. ECDSA P-256 with SHA-256; the
/// signature is the IEEE P1363 form (r‖s, 64 bytes), base64.</summary>
public static class BatchSignature
{
    public const string Magic = "kiosk-batch/1";

    public static byte[] CanonicalBytes(string officeId, string deviceId, string batchId, IReadOnlyList<JournalEnvelope> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return CanonicalBytes(officeId, deviceId, batchId, events.Count, i => (events[i].Sequence, events[i].Hash));
    }

    /// <summary>The signed text from the <paramref name="count"/> (sequence, hash) pairs of a batch, in batch order.</summary>
    public static byte[] CanonicalBytes(string officeId, string deviceId, string batchId, int count, Func<int, (long Sequence, string Hash)> item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var text = new StringBuilder(64 + (count * 84));
        text.Append(Magic).Append('\n').Append(officeId).Append('\n').Append(deviceId).Append('\n')
            .Append(batchId).Append('\n').Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        for (var i = 0; i < count; i++)
        {
            var (sequence, hash) = item(i);
            text.Append(sequence.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(hash).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Builds and signs a batch of consecutive envelopes.</summary>
    public static EventBatch Create(DeviceIdentity identity, string batchId, IReadOnlyList<JournalEnvelope> events)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var bytes = CanonicalBytes(identity.OfficeId, identity.DeviceId, batchId, events);
        return new EventBatch(EventBatch.CurrentVersion, identity.OfficeId, identity.DeviceId, batchId, events,
            Convert.ToBase64String(identity.Sign(bytes)));
    }

    /// <summary>true when the signature is a valid ECDSA P-256 signature of the canonical bytes by this key.</summary>
    public static bool Verify(EventBatch batch, ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Verify(batch.Signature, CanonicalBytes(batch.OfficeId, batch.DeviceId, batch.BatchId, batch.Events), publicKey);
    }

    /// <summary>true when <paramref name="signature"/> (base64, P1363) is a valid ECDSA P-256 signature of
    /// <paramref name="canonicalBytes"/> (built by <see cref="CanonicalBytes(string, string, string, IReadOnlyList{JournalEnvelope})"/>
    /// from the batch it came with) by this key. The centre builds the bytes once: it keeps them as the batch's evidence.</summary>
    public static bool Verify(string? signature, ReadOnlySpan<byte> canonicalBytes, ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        Span<byte> decoded = stackalloc byte[128];
        if (string.IsNullOrEmpty(signature)
            || !Convert.TryFromBase64String(signature, decoded, out var length) || length != 64)
        {
            return false;
        }

        return publicKey.VerifyData(canonicalBytes, decoded[..length], HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>Loads a registered public key (SubjectPublicKeyInfo PEM) and checks it is a P-256 key.</summary>
    public static ECDsa ImportPublicKey(string publicKeyPem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(publicKeyPem);
            if (key.KeySize != 256)
            {
                throw new CryptographicException($"the device key must be ECDSA P-256, not a {key.KeySize}-bit curve");
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}

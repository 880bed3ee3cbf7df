using System.Collections.Concurrent;
using System.Security.Cryptography;
using Kiosk.Sync.Contract;

namespace Kiosk.Sync.Centre;

/// <summary>The devices' imported public keys, by their PEM text. Importing a P-256 key (PEM decoding, OpenSSL key
/// construction and the point check) took ~180 µs, more than verifying the batch's signature (~130 µs), and the inbox
/// did it for every batch (bench/Kiosk.Sync.Bench: ~0.4 µs of each drained event).</summary>
/// <remarks>Keyed by the PEM text the caller has just read from the device's row, never by device id: a re-registered
/// key or a retired device is seen on the very next batch, because the row is read for every batch as before; the cache
/// only ever saves the import. One verification at a time per key (.NET does not promise that an ECDsa instance is
/// safe to share between threads). Bounded: a centre has hundreds of devices, and past <see cref="MaxKeys"/> (only
/// after very many re-registrations) the cache starts again; dropped keys are left to the finalizer, since another
/// thread may still be verifying with one.</remarks>
internal sealed class DeviceKeys
{
    private const int MaxKeys = 4096;

    private readonly ConcurrentDictionary<string, ECDsa> _byPem = new(StringComparer.Ordinal);

    /// <summary>true when <paramref name="signature"/> is valid over <paramref name="signedBytes"/> with the key in
    /// <paramref name="publicKeyPem"/> (<see cref="BatchSignature.Verify(string, ReadOnlySpan{byte}, ECDsa)"/>).</summary>
    /// <exception cref="CryptographicException">the PEM is not a P-256 public key.</exception>
    public bool Verify(string publicKeyPem, string? signature, ReadOnlySpan<byte> signedBytes)
    {
        if (!_byPem.TryGetValue(publicKeyPem, out var key))
        {
            if (_byPem.Count >= MaxKeys)
            {
                _byPem.Clear();
            }

            key = _byPem.GetOrAdd(publicKeyPem, BatchSignature.ImportPublicKey);
        }

        lock (key)
        {
            return BatchSignature.Verify(signature, signedBytes, key);
        }
    }
}

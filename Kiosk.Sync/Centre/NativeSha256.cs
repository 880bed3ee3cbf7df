using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Kiosk.Sync.Centre;

/// <summary>SHA-256 through OpenSSL's EVP interface with the digest fetched once, for the centre's check of every
/// envelope's chain hash. .NET's own SHA-256 goes through the same libcrypto, but each use looks the algorithm up in
/// OpenSSL 3's provider tables again (locks included): ~0.9–1.3 µs for an envelope's ~450 bytes, of which the hashing
/// itself is ~0.4 (measured on the development machine, one thread). The result is the same SHA-256; where libcrypto.so.3
/// cannot be loaded this falls back to <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>.</summary>
/// <remarks>Prototypes: OpenSSL 3 &lt;openssl/evp.h&gt; (EVP_MD_fetch, EVP_MD_CTX_new/free, EVP_DigestInit_ex2,
/// EVP_DigestUpdate, EVP_DigestFinal_ex). One EVP_MD_CTX per thread (a context is not shareable while in use); it is
/// freed by its SafeHandle when the thread's static reference goes. The fetched EVP_MD lives as long as the process.</remarks>
internal static unsafe partial class NativeSha256
{
    private const string Library = "libcrypto.so.3";
    private const int DigestBytes = 32;

    private static readonly nint Sha256 = Fetch();

    [ThreadStatic]
    private static DigestContext? t_context;

    /// <summary>true when OpenSSL is used (false: the .NET fallback).</summary>
    public static bool UsesOpenSsl => Sha256 != 0;

    /// <summary>SHA-256 of <paramref name="input"/> into the first 32 bytes of <paramref name="digest"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> digest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(digest.Length, DigestBytes, nameof(digest));
        if (Sha256 == 0)
        {
            SHA256.HashData(input, digest);
            return;
        }

        var context = t_context ??= DigestContext.Create();
        var ctx = context.DangerousGetHandle();
        uint written = 0;
        fixed (byte* data = input)
        fixed (byte* output = digest)
        {
            if (EvpDigestInitEx2(ctx, Sha256, 0) != 1 || EvpDigestUpdate(ctx, data, (nuint)input.Length) != 1
                || EvpDigestFinalEx(ctx, output, &written) != 1 || written != DigestBytes)
            {
                throw new CryptographicException("OpenSSL's SHA-256 failed");
            }
        }
    }

    private static nint Fetch()
    {
        try
        {
            return EvpMdFetch(0, "SHA256", null);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }

    [LibraryImport(Library, EntryPoint = "EVP_MD_fetch", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint EvpMdFetch(nint libraryContext, string algorithm, string? properties);

    [LibraryImport(Library, EntryPoint = "EVP_MD_CTX_new")]
    private static partial nint EvpMdCtxNew();

    [LibraryImport(Library, EntryPoint = "EVP_MD_CTX_free")]
    private static partial void EvpMdCtxFree(nint ctx);

    [LibraryImport(Library, EntryPoint = "EVP_DigestInit_ex2")]
    private static partial int EvpDigestInitEx2(nint ctx, nint type, nint parameters);

    [LibraryImport(Library, EntryPoint = "EVP_DigestUpdate")]
    private static partial int EvpDigestUpdate(nint ctx, byte* data, nuint count);

    [LibraryImport(Library, EntryPoint = "EVP_DigestFinal_ex")]
    private static partial int EvpDigestFinalEx(nint ctx, byte* digest, uint* size);

    private sealed class DigestContext : SafeHandle
    {
        private DigestContext()
            : base(0, ownsHandle: true)
        {
        }

        public override bool IsInvalid => handle == 0;

        public static DigestContext Create()
        {
            var context = new DigestContext();
            context.SetHandle(EvpMdCtxNew());
            return context.IsInvalid ? throw new CryptographicException("EVP_MD_CTX_new failed") : context;
        }

        protected override bool ReleaseHandle()
        {
            EvpMdCtxFree(handle);
            return true;
        }
    }
}

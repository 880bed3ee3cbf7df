using System.Reflection;
using System.Runtime.InteropServices;

namespace Kiosk.Sync.Mqtt;

/// <summary>Loads libmosquitto once per process and calls mosquitto_lib_init once (libmosquitto-notes.md, pitfall 7).
/// A missing library becomes <see cref="MosquittoMissingException"/> naming the Debian package, never a crash.</summary>
public static class MosquittoLibrary
{
    private static readonly Lock Gate = new();
    private static nint s_handle;

    static MosquittoLibrary()
    {
        // Every [LibraryImport] in this assembly names libmosquitto.so.1; route it to the handle loaded first, so a
        // configured path (e.g. a library shipped beside the program) replaces the default search. One library per
        // process: lib_init ran on it, and every client of the process uses it (see EnsureLoaded).
        NativeLibrary.SetDllImportResolver(typeof(MosquittoLibrary).Assembly, Resolve);
    }

    /// <summary>Loads the library from <paramref name="libraryPath"/> (a file name searched the usual way, or a path)
    /// and initialises it, the first time in the process. Throws <see cref="MosquittoMissingException"/> when it cannot
    /// be loaded.</summary>
    public static void EnsureLoaded(string libraryPath = Native.Library)
    {
        ArgumentException.ThrowIfNullOrEmpty(libraryPath);
        lock (Gate)
        {
            // Always try the requested path, even when a library is already loaded, so a wrong path is reported
            // instead of silently working with the library loaded before. A loadable path is only checked then: the
            // library loaded first stays the one every call goes to (the resolver above), and this handle is let go.
            if (!NativeLibrary.TryLoad(libraryPath, out var handle))
            {
                throw MosquittoMissingException.ForLibrary(libraryPath, null);
            }

            if (s_handle != 0)
            {
                NativeLibrary.Free(handle);
            }
            else
            {
                s_handle = handle;
                try
                {
                    _ = Native.LibInit();
                }
                catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
                {
                    s_handle = 0;
                    throw MosquittoMissingException.ForLibrary(libraryPath, ex);
                }
            }
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        string.Equals(name, Native.Library, StringComparison.Ordinal) ? s_handle : 0;
}

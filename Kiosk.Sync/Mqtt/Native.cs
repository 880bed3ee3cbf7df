using System.Runtime.InteropServices;

namespace Kiosk.Sync.Mqtt;

/// <summary>The libmosquitto entry points the client uses. /usr/include/mosquitto.h (libmosquitto-dev 2.0.11) is the
/// authority for every prototype; libmosquitto-notes.md lists the marshalling pitfalls followed here:
/// functions returning <c>const char *</c> return a pointer (pitfall 4), C bool is one byte (pitfall 5),
/// MOSQ_ERR_ERRNO needs SetLastError (pitfall 6).</summary>
internal static unsafe partial class Native
{
    public const string Library = "libmosquitto.so.1";

    // mosquitto.h: enum mosq_err_t
    public const int ErrSuccess = 0;
    public const int ErrNoConn = 4;
    public const int ErrErrno = 14;

    // mosquitto.h: enum mosq_opt_t
    public const int OptProtocolVersion = 1;
    public const int OptTcpNoDelay = 11;
    public const int MqttProtocolV5 = 5;

    // MQTT 5 §3.1.2.11.2: Session Expiry Interval property identifier.
    public const int PropSessionExpiryInterval = 17;

    [LibraryImport(Library, EntryPoint = "mosquitto_lib_init")]
    public static partial int LibInit();

    [LibraryImport(Library, EntryPoint = "mosquitto_new", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial nint New(string? id, [MarshalAs(UnmanagedType.U1)] bool cleanSession, nint obj);

    [LibraryImport(Library, EntryPoint = "mosquitto_destroy")]
    public static partial void Destroy(nint mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_int_option")]
    public static partial int IntOption(nint mosq, int option, int value);

    [LibraryImport(Library, EntryPoint = "mosquitto_username_pw_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UsernamePwSet(nint mosq, string? username, string? password);

    [LibraryImport(Library, EntryPoint = "mosquitto_will_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int WillSet(nint mosq, string topic, int payloadLen, byte* payload, int qos,
        [MarshalAs(UnmanagedType.U1)] bool retain);

    [LibraryImport(Library, EntryPoint = "mosquitto_tls_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TlsSet(nint mosq, string? caFile, string? caPath, string? certFile, string? keyFile, nint pwCallback);

    [LibraryImport(Library, EntryPoint = "mosquitto_reconnect_delay_set")]
    public static partial int ReconnectDelaySet(nint mosq, uint delay, uint delayMax, [MarshalAs(UnmanagedType.U1)] bool exponential);

    [LibraryImport(Library, EntryPoint = "mosquitto_connect_bind_v5", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int ConnectBindV5(nint mosq, string host, int port, int keepalive, string? bindAddress, nint properties);

    [LibraryImport(Library, EntryPoint = "mosquitto_property_add_int32")]
    public static partial int PropertyAddInt32(ref nint proplist, int identifier, uint value);

    [LibraryImport(Library, EntryPoint = "mosquitto_property_free_all")]
    public static partial void PropertyFreeAll(ref nint properties);

    [LibraryImport(Library, EntryPoint = "mosquitto_loop_start")]
    public static partial int LoopStart(nint mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_loop_stop")]
    public static partial int LoopStop(nint mosq, [MarshalAs(UnmanagedType.U1)] bool force);

    [LibraryImport(Library, EntryPoint = "mosquitto_disconnect")]
    public static partial int Disconnect(nint mosq);

    [LibraryImport(Library, EntryPoint = "mosquitto_publish", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Publish(nint mosq, out int mid, string topic, int payloadLen, byte* payload, int qos,
        [MarshalAs(UnmanagedType.U1)] bool retain);

    [LibraryImport(Library, EntryPoint = "mosquitto_subscribe", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Subscribe(nint mosq, out int mid, string sub, int qos);

    [LibraryImport(Library, EntryPoint = "mosquitto_connect_v5_callback_set")]
    public static partial void ConnectV5CallbackSet(nint mosq, delegate* unmanaged<nint, nint, int, int, nint, void> cb);

    [LibraryImport(Library, EntryPoint = "mosquitto_disconnect_callback_set")]
    public static partial void DisconnectCallbackSet(nint mosq, delegate* unmanaged<nint, nint, int, void> cb);

    [LibraryImport(Library, EntryPoint = "mosquitto_publish_v5_callback_set")]
    public static partial void PublishV5CallbackSet(nint mosq, delegate* unmanaged<nint, nint, int, int, nint, void> cb);

    [LibraryImport(Library, EntryPoint = "mosquitto_message_callback_set")]
    public static partial void MessageCallbackSet(nint mosq, delegate* unmanaged<nint, nint, MosquittoMessage*, void> cb);

    [LibraryImport(Library, EntryPoint = "mosquitto_subscribe_callback_set")]
    public static partial void SubscribeCallbackSet(nint mosq, delegate* unmanaged<nint, nint, int, int, int*, void> cb);

    [LibraryImport(Library, EntryPoint = "mosquitto_strerror")]
    public static partial nint StrError(int errno);

    [LibraryImport(Library, EntryPoint = "mosquitto_reason_string")]
    public static partial nint ReasonString(int reasonCode);

    public static string Describe(int rc) => Marshal.PtrToStringUTF8(StrError(rc)) ?? $"error {rc}";

    public static string DescribeReason(int reason) => Marshal.PtrToStringUTF8(ReasonString(reason)) ?? $"reason {reason}";

    /// <summary>mosquitto.h: struct mosquitto_message — 40 bytes on 64-bit, offsets 0, 8, 16, 24, 28, 32;
    /// retain is a one-byte C bool (libmosquitto-notes.md, prototypes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MosquittoMessage
    {
        public int Mid;
        public nint Topic;
        public nint Payload;
        public int PayloadLen;
        public int Qos;
        public byte Retain;
    }
}

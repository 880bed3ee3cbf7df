namespace Kiosk.Sync.Mqtt;

/// <summary>libmosquitto.so.1 could not be loaded. Callers catch this, log it and keep recording offline:
/// the journal is the truth (architecture decision 2), sync simply waits for the library.</summary>
public sealed class MosquittoMissingException : Exception
{
    public const string Advice = "install the Debian package libmosquitto1";

    public MosquittoMissingException()
        : this(Describe(Native.Library), null)
    {
    }

    public MosquittoMissingException(string message)
        : base(message)
    {
    }

    public MosquittoMissingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The error for a library path that failed to load.</summary>
    public static MosquittoMissingException ForLibrary(string libraryPath, Exception? innerException) =>
        new(Describe(libraryPath), innerException);

    private static string Describe(string libraryPath) =>
        $"The MQTT client library '{libraryPath}' could not be loaded: {Advice} (apt-get install libmosquitto1). "
        + "Punches are still recorded offline and are sent once it is installed.";
}

/// <summary>A libmosquitto call returned an error code (mosquitto.h, enum mosq_err_t).</summary>
public sealed class MqttException : Exception
{
    public MqttException()
    {
    }

    public MqttException(string message)
        : base(message)
    {
    }

    public MqttException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public MqttException(string operation, int code, string description)
        : base($"{operation} failed: {description} (code {code})")
    {
        Code = code;
    }

    public int Code { get; }
}

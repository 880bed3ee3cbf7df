using System.Diagnostics.CodeAnalysis;

namespace Kiosk.Sync.Contract;

/// <summary>The topic tree (docs/protocol.md, "Topics", the authority; architecture.md topic table as the start).
/// Every device topic sits under attendance/v1/{office}/{device}/. The broker user name of a device (password user or
/// TLS certificate CN) is its device id, unique across offices, so one mosquitto ACL pattern line per direction covers
/// every device ("pattern write attendance/v1/+/%u/events"). That is also why the office configuration is published
/// per device (…/{office}/{device}/config) rather than once per office: mosquitto patterns can only substitute the
/// whole user name, so "the office of this user" cannot be expressed in the ACL.</summary>
public static class Topics
{
    public const string Root = "attendance/" + SyncInfo.ProtocolVersion;

    /// <summary>MQTT 5 shared-subscription group of the central processes (architecture decision 10).</summary>
    public const string SharedGroup = "central";

    public const string Time = Root + "/time";

    /// <summary>Every device's event batches, spread over all central processes of the group.</summary>
    public const string SharedEventsFilter = "$share/" + SharedGroup + "/" + Root + "/+/+/events";

    /// <summary>Every device's status. Not shared: retained messages are not delivered on shared subscriptions
    /// (MQTT 5 §4.8.2), and status handling is idempotent, so every central process takes all of them.</summary>
    public const string AllStatusFilter = Root + "/+/+/status";

    public static string Events(string office, string device) => Device(office, device, "events");

    public static string Status(string office, string device) => Device(office, device, "status");

    public static string Ack(string office, string device) => Device(office, device, "ack");

    public static string Config(string office, string device) => Device(office, device, "config");

    /// <summary>The broker user name (and TLS certificate CN) of a device: its id (deploy-rpi/centre/make-certs).</summary>
    public static string Username(string device)
    {
        ValidateId(device, nameof(device));
        return device;
    }

    /// <summary>Office and device ids travel inside topics: 1–64 of [A-Za-z0-9_-], so they can never contain the
    /// MQTT separators or wildcards ('/', '+', '#') nor break out of the ACL pattern.</summary>
    public static bool IsValidId([NotNullWhen(true)] string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static void ValidateId(string? id, string what)
    {
        if (!IsValidId(id))
        {
            throw new ArgumentException($"{what} '{id}' is not a valid id: use 1-64 of A-Z a-z 0-9 - _", what);
        }
    }

    /// <summary>Splits attendance/v1/{office}/{device}/{kind}; false for anything else.</summary>
    public static bool TryParseDeviceTopic(string topic, out string office, out string device, out string kind)
    {
        office = device = kind = string.Empty;
        var parts = topic.Split('/');
        if (parts.Length != 5 || !string.Equals(parts[0] + "/" + parts[1], Root, StringComparison.Ordinal)
            || !IsValidId(parts[2]) || !IsValidId(parts[3]))
        {
            return false;
        }

        (office, device, kind) = (parts[2], parts[3], parts[4]);
        return true;
    }

    private static string Device(string office, string device, string kind)
    {
        ValidateId(office, nameof(office));
        ValidateId(device, nameof(device));
        return $"{Root}/{office}/{device}/{kind}";
    }
}

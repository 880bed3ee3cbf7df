namespace Kiosk.Sync;

/// <summary>Names shared by both ends of the wire (docs/protocol.md is the authority).</summary>
public static class SyncInfo
{
    public const string ProtocolVersion = "v1";
}

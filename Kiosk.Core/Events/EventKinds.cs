using System.Reflection;
using System.Text.Json.Serialization;

namespace Kiosk.Core.Events;

/// <summary>The kind name of an event ("punch", "unknown_card", …): its JSON discriminator, read once from the
/// [JsonDerivedType] attributes on <see cref="AttendanceEvent"/>, so the device's journal column, the centre's store
/// column and the wire's "kind" can never disagree.</summary>
public static class EventKinds
{
    private static readonly Dictionary<Type, string> Names = typeof(AttendanceEvent)
        .GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    /// <summary>Every event type with its kind name.</summary>
    public static IReadOnlyDictionary<Type, string> All => Names;

    public static string Of(AttendanceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Names.TryGetValue(e.GetType(), out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Not a declared event type (AttendanceEvent's [JsonDerivedType]).");
    }
}

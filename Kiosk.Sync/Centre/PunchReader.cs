using System.Text.Json;
using Kiosk.Core.Events;

namespace Kiosk.Sync.Centre;

/// <summary>The common case of an event body, read by hand: a punch in exactly the shape the kiosk writes it. Punches
/// are nearly every event a kiosk sends, and System.Text.Json binds a five-parameter record through its generic
/// "large constructor" path (arguments boxed into an object array), which cost more than the rest of the envelope.
///
/// This reader only ever says "yes, and here is the same Punch SyncJson would build" or "not sure": anything it does
/// not recognise exactly — another kind, a member it does not know, a repeated member, a method spelled other than
/// the enum's own name, a number where a string belongs — returns null, and the caller rewinds and lets SyncJson
/// decide (accept with its own rules, or reject with its own message). So what the centre accepts is unchanged
/// (BatchReaderTests checks the two against each other).</summary>
internal static class PunchReader
{
    /// <summary>Reads the body starting at its StartObject; on success the reader is left on the body's EndObject.
    /// On null the reader's position is unspecified: the caller restores its copy.</summary>
    public static Punch? TryRead(ref Utf8JsonReader reader)
    {
        try
        {
            return Read(ref reader);
        }
        catch (InvalidOperationException)
        {
            // Text that is not valid UTF-8 (or a lone escaped surrogate): SyncJson words the refusal.
            return null;
        }
    }

    private static Punch? Read(ref Utf8JsonReader reader)
    {
        // The discriminator must come first (System.Text.Json's default: metadata before other members).
        if (reader.TokenType != JsonTokenType.StartObject
            || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("kind"u8)
            || !reader.Read() || reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("punch"u8))
        {
            return null;
        }

        string? worker = null, badge = null;
        int? slot = null;
        PunchMethod? method = null;
        DateTimeOffset? at = null;
        bool haveBadge = false, haveSlot = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("workerId"u8) && worker is null)
            {
                // Non-null string: a null worker is for SyncJson to refuse (RespectNullableAnnotations).
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return null;
                }

                worker = reader.GetString();
            }
            else if (reader.ValueTextEquals("badgeId"u8) && !haveBadge)
            {
                if (!reader.Read() || reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    return null;
                }

                badge = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
                haveBadge = true;
            }
            else if (reader.ValueTextEquals("fingerSlot"u8) && !haveSlot)
            {
                if (!reader.Read())
                {
                    return null;
                }

                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value))
                {
                    slot = value;
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    return null;
                }

                haveSlot = true;
            }
            else if (reader.ValueTextEquals("method"u8) && method is null)
            {
                method = reader.Read() && reader.TokenType == JsonTokenType.String ? Method(ref reader) : null;
                if (method is null)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("at"u8) && at is null)
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value))
                {
                    return null;
                }

                at = value;
            }
            else
            {
                return null;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject && worker is not null && haveBadge && haveSlot
            && method is { } m && at is { } a
            ? new Punch(worker, badge, slot, m, a)
            : null;
    }

    /// <summary>The enum's member names exactly as JsonStringEnumConverter writes them; other spellings (which the
    /// converter may also accept) are left to it.</summary>
    private static PunchMethod? Method(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("CardAndFinger"u8) ? PunchMethod.CardAndFinger
        : reader.ValueTextEquals("Card"u8) ? PunchMethod.Card
        : reader.ValueTextEquals("Finger"u8) ? PunchMethod.Finger
        : reader.ValueTextEquals("Pin"u8) ? PunchMethod.Pin
        : null;
}

namespace Kiosk.Device.Devices;

/// <summary>Turns a reader's stream of reads into presentations: a card held in the field repeats its frame
/// (RDM6300) or answers every poll (PN532), and must count once (issue 3). The same id again before
/// <c>removedAfter</c> of silence is the card still there; each repeat restarts that time
/// (hardware-protocols.md §2: arduino12 uses 220 ms, python-rdm6300 0.5 s).</summary>
internal sealed class CardPresence(TimeProvider time, TimeSpan removedAfter)
{
    private string? lastId;
    private long lastSeen;

    /// <summary>The timestamp of a new presentation of <paramref name="cardId"/>, or null for a repeat.</summary>
    public long? Seen(string cardId)
    {
        var now = time.GetTimestamp();
        var repeat = lastId == cardId && time.GetElapsedTime(lastSeen, now) < removedAfter;
        lastId = cardId;
        lastSeen = now;
        return repeat ? null : now;
    }

    /// <summary>A poll that found no card proves it was taken away (PN532).</summary>
    public void Removed() => lastId = null;
}

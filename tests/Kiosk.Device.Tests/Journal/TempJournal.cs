using Kiosk.Core.Events;
using Kiosk.Device.Clock;
using Kiosk.Device.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kiosk.Device.Tests.Journal;

/// <summary>A real journal file in a fresh temporary directory, removed afterwards.</summary>
internal sealed class TempJournal : IDisposable
{
    public TempJournal(string officeId = "office-1", string deviceId = "kiosk-1", int retentionDays = 400)
    {
        Directory = Path.Combine(Path.GetTempPath(), "kiosk-journal-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Options = new JournalOptions(Path.Combine(Directory, "journal.db"), officeId, deviceId, retentionDays);
        Journal = EventJournal.Open(Options, NullLogger.Instance);
    }

    public string Directory { get; }

    public JournalOptions Options { get; }

    public EventJournal Journal { get; private set; }

    public static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static ClockStamp Stamp(DateTimeOffset at, ClockQuality quality = ClockQuality.Synchronised, long mono = 1000) =>
        new(at, quality, "boot-test", mono);

    public static Punch PunchAt(string worker, DateTimeOffset at) => new(worker, "000" + worker, 3, PunchMethod.CardAndFinger, at);

    public EventJournal Reopen()
    {
        Journal.Dispose();
        Journal = EventJournal.Open(Options, NullLogger.Instance);
        return Journal;
    }

    public void Dispose()
    {
        Journal.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold the file for a moment; the OS temp cleaner takes it.
        }
    }
}

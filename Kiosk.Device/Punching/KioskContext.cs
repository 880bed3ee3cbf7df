using Kiosk.Core.Events;
using Kiosk.Core.Roster;
using Kiosk.Core.Schedule;
using Kiosk.Core.Settings;
using Kiosk.Device.Clock;
using Kiosk.Device.Configuration;
using Kiosk.Device.Devices;
using Kiosk.Device.Hosting;
using Kiosk.Device.Journal;
using Microsoft.Extensions.Logging;

namespace Kiosk.Device.Punching;

/// <summary>What every use case at the door needs: the journal, the clock, the office data, the devices.
/// Built once by the host; not a service locator, just the kiosk's parts in one place.</summary>
internal sealed class KioskContext
{
    private (RulesSettings Settings, PunchClassifier Classifier)? classifier;

    public KioskContext(EventJournal journal, ClockGuard clock, OfficeConfigStore config, KioskDevices devices, InputHub inputs,
        KioskOptions options, TimeProvider time, ILogger log)
    {
        Journal = journal;
        Clock = clock;
        Config = config;
        Devices = devices;
        Inputs = inputs;
        Options = options;
        Time = time;
        Log = log;
        Today = new TodayPunches(journal);
        Enrolments = new LocalEnrolments(journal);
    }

    public EventJournal Journal { get; }

    public ClockGuard Clock { get; }

    public OfficeConfigStore Config { get; }

    public KioskDevices Devices { get; }

    public InputHub Inputs { get; }

    public KioskOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Log { get; }

    public TodayPunches Today { get; }

    public LocalEnrolments Enrolments { get; }

    public OfficeState Office => Config.Current;

    /// <summary>The classifier for the rules of <paramref name="office"/> (one snapshot, so settings and calendar of
    /// one punch come from the same configuration; rebuilt only when the centre sends new settings).</summary>
    public PunchClassifier ClassifierFor(OfficeState office)
    {
        ArgumentNullException.ThrowIfNull(office);
        var settings = office.Settings;
        if (classifier is not { } c || !ReferenceEquals(c.Settings, settings))
        {
            c = (settings, new PunchClassifier(settings));
            classifier = c;
        }

        return c.Classifier;
    }

    public static DateOnly DateOf(DateTimeOffset local) => DateOnly.FromDateTime(local.DateTime);

    /// <summary>Runs one fingerprint operation with the module to itself (the finger gate, so finger-only polling never
    /// interleaves). The punch loop waits here, so <paramref name="liveness"/> is beaten meanwhile — but only for the
    /// <paramref name="waits"/> finger waits the operation may take plus a margin: a driver stuck beyond that stops
    /// the heartbeat and systemd restarts the kiosk, as it should.</summary>
    public async Task<T> UseFingerAsync<T>(int waits, Liveness? liveness, Func<TimeSpan, Task<T>> operation,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var wait = TimeSpan.FromSeconds(Options.FingerWaitSeconds);
        await Inputs.FingerGate.WaitAsync(cancellationToken);
        var beatUntil = Time.GetTimestamp() + (long)(((wait * waits) + TimeSpan.FromSeconds(5)).TotalSeconds * Time.TimestampFrequency);
        using var beats = liveness is null ? null : Time.CreateTimer(_ =>
        {
            if (Time.GetTimestamp() < beatUntil)
            {
                liveness.Beat();
            }
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        try
        {
            return await operation(wait);
        }
        finally
        {
            Inputs.FingerGate.Release();
        }
    }

    /// <summary>The finger of a worker whose card was shown: 1:1 against the worker's one slot; with several slots,
    /// 1:N, and the caller checks the hit is one of them (one capture instead of one per slot).</summary>
    public Task<FingerMatch> VerifyFingerAsync(IFingerprintReader finger, IReadOnlyList<int> slots, Liveness? liveness,
        CancellationToken cancellationToken) =>
        UseFingerAsync(1, liveness, wait => slots.Count == 1
            ? finger.VerifyAsync(slots[0], wait, cancellationToken)
            : finger.IdentifyAsync(wait, cancellationToken), cancellationToken);

    /// <summary>Finger slots of a worker: those the centre lists plus those enrolled on this kiosk.</summary>
    public IReadOnlyList<int> SlotsOf(Worker worker) =>
        worker.FingerSlots.Concat(Enrolments.SlotsOf(worker.Id)).Distinct().ToList();

    public Worker? WorkerOfSlot(int slot)
    {
        var local = Enrolments.WorkerOfSlot(slot);
        return local is not null ? Office.Roster.FindById(local) : Office.Roster.Workers.FirstOrDefault(w => w.FingerSlots.Contains(slot));
    }

    /// <summary>A worker by the number typed on the keypad: the worker id, or a badge number.</summary>
    public Worker? FindWorker(string typed)
    {
        var roster = Office.Roster;
        return roster.FindById(typed)
            ?? roster.FindByBadge(typed)
            ?? (Kiosk.Device.Devices.CardIds.TryFromTyped(typed, Options.CardIdFormat, out var badge) ? roster.FindByBadge(badge) : null);
    }
}

/// <summary>Fingers enrolled on this kiosk (Enrolment events in the journal) until the centre's roster lists them.</summary>
internal sealed class LocalEnrolments
{
    private readonly Dictionary<int, string> workerBySlot = [];

    public LocalEnrolments(EventJournal journal)
    {
        foreach (var row in journal.Query("SELECT * FROM journal WHERE kind = 'enrolment' ORDER BY seq"))
        {
            if (row.Envelope().Event is Enrolment e)
            {
                workerBySlot[e.FingerSlot] = e.WorkerId;
            }
        }
    }

    public void Add(Enrolment enrolment) => workerBySlot[enrolment.FingerSlot] = enrolment.WorkerId;

    public IEnumerable<int> SlotsOf(string workerId) => workerBySlot.Where(p => p.Value == workerId).Select(p => p.Key);

    public string? WorkerOfSlot(int slot) => workerBySlot.GetValueOrDefault(slot);
}

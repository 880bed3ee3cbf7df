using System.Text.Json.Serialization;

namespace Kiosk.Core.Events;

// The events the kiosk journals and the centre receives (architecture.md, "Kiosk.Core";
// attendance-policy.md, "What the kiosk must therefore know").
// Each body travels inside a JournalEnvelope that carries device, sequence, clock facts and the hash chain,
// so the bodies hold only what is specific to the event. "At" is always the office's local time with its
// UTC offset (architecture decision 5): never bucket by UTC date.
// The JSON discriminator "kind" is part of the wire contract (docs/protocol.md): never rename a value.
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Punch), "punch")]
[JsonDerivedType(typeof(UnknownCard), "unknown_card")]
[JsonDerivedType(typeof(FingerNotRecognised), "finger_not_recognised")]
[JsonDerivedType(typeof(Excuse), "excuse")]
[JsonDerivedType(typeof(LeaveRequest), "leave")]
[JsonDerivedType(typeof(Outing), "outing")]
[JsonDerivedType(typeof(InspectionFinding), "inspection")]
[JsonDerivedType(typeof(SecretaryPoints), "secretary_points")]
[JsonDerivedType(typeof(Enrolment), "enrolment")]
[JsonDerivedType(typeof(SecretaryLogin), "secretary_login")]
[JsonDerivedType(typeof(ClockCorrection), "clock_correction")]
[JsonDerivedType(typeof(ChainRestarted), "chain_restarted")]
public abstract record AttendanceEvent(DateTimeOffset At);

/// <summary>A worker presented a badge and/or finger. Every punch is journalled, duplicates included:
/// the rules (first punch in a window counts) decide what it means, the journal only records it.</summary>
public sealed record Punch(string WorkerId, string? BadgeId, int? FingerSlot, PunchMethod Method, DateTimeOffset At)
    : AttendanceEvent(At);

/// <summary>A card that is not on the roster, kept for the audit (issue 4).</summary>
public sealed record UnknownCard(string BadgeId, DateTimeOffset At) : AttendanceEvent(At);

/// <summary>A finger that matched nobody, or not the worker whose card was shown.</summary>
public sealed record FingerNotRecognised(string? BadgeId, string? ClaimedWorkerId, DateTimeOffset At) : AttendanceEvent(At);

/// <summary>The attendance officer marks why a sign-in was missed (policy: 由考勤负责人标明原因).
/// Invalid when MarkedBy == WorkerId: nobody excuses themselves.</summary>
public sealed record Excuse(string WorkerId, DateOnly Date, Session Session, ExcuseReason Reason, string? Note,
    string MarkedBy, EventSource Source, DateTimeOffset At) : AttendanceEvent(At);

/// <summary>Leave (请假). Starts on a half-day and lasts a number of half-days (working half-days
/// counted on the calendar). A request made on the device is Requested; only the centre approves
/// anything but a temporary outing. A later event with the same LeaveId supersedes the earlier one.</summary>
public sealed record LeaveRequest(string LeaveId, string WorkerId, LeaveType Type, DateOnly Start, Session StartSession,
    int HalfDays, LeaveState State, string? ApproverRole, string? DecidedBy, string RequestedBy, string? Reason,
    DateTimeOffset At) : AttendanceEvent(At);

/// <summary>Temporary outing of at most 2 hours, approved by the secretary (policy, "Leave").</summary>
public sealed record Outing(string WorkerId, DateTimeOffset Start, TimeSpan Duration, string ApprovedBy, string? Reason,
    DateTimeOffset At) : AttendanceEvent(At);

/// <summary>脱岗 found during an inspection by the sub-district (entered at the centre).</summary>
public sealed record InspectionFinding(string WorkerId, DateOnly Date, Session Session, string Inspector, string? Note,
    DateTimeOffset At) : AttendanceEvent(At);

/// <summary>The secretary's 0–20 points for a worker for a month (policy, "Scoring").</summary>
public sealed record SecretaryPoints(string WorkerId, int Year, int Month, int Points, string GivenBy, DateTimeOffset At)
    : AttendanceEvent(At);

/// <summary>A fingerprint enrolled into a module slot. The template never leaves the module (decision 8).</summary>
public sealed record Enrolment(string WorkerId, int FingerSlot, string EnrolledBy, DateTimeOffset At) : AttendanceEvent(At);

public sealed record SecretaryLogin(string WorkerId, PunchMethod Method, DateTimeOffset At) : AttendanceEvent(At);

/// <summary>Once the clock becomes trusted on the same boot, rows taken while it was not are corrected by
/// this offset: a new event, never a rewrite of history (decision 6).</summary>
public sealed record ClockCorrection(string BootId, long FromSequence, long ToSequence, TimeSpan Offset, DateTimeOffset At)
    : AttendanceEvent(At);

/// <summary>The journal found a broken hash chain at start-up and continues on a new segment.</summary>
public sealed record ChainRestarted(long AfterSequence, string Reason, DateTimeOffset At) : AttendanceEvent(At);

[JsonConverter(typeof(JsonStringEnumConverter<PunchMethod>))]
public enum PunchMethod { Card, Finger, CardAndFinger, Pin }

[JsonConverter(typeof(JsonStringEnumConverter<Session>))]
public enum Session { Morning, Afternoon }

[JsonConverter(typeof(JsonStringEnumConverter<ExcuseReason>))]
public enum ExcuseReason { Meeting, Training, FieldVisit, OfficialBusiness, Other }

[JsonConverter(typeof(JsonStringEnumConverter<LeaveType>))]
public enum LeaveType { Personal, Sick, Annual, Marriage, Maternity, Nursing, Bereavement, Public, Other }

[JsonConverter(typeof(JsonStringEnumConverter<LeaveState>))]
public enum LeaveState { Requested, Approved, Refused, Cancelled }

/// <summary>Provenance (decision 7). Secretary entries are visibly different from punches.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EventSource>))]
public enum EventSource { Card, Fingerprint, CardAndFingerprint, Secretary, Centre, System }

/// <summary>How far the wall clock could be trusted when the event was taken (decision 6).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClockQuality>))]
public enum ClockQuality { Synchronised, TrustedRtc, CentreTime, Untrusted }

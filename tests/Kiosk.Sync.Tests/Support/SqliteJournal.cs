using System.Globalization;
using Kiosk.Core.Events;
using Kiosk.Sync.Contract;
using Kiosk.Sync.Device;
using Microsoft.Data.Sqlite;

namespace Kiosk.Sync.Testing;

/// <summary>A small device journal for the sync tests: a real SQLite file (WAL, synchronous=FULL) with hash-chained
/// punch envelopes, implementing the pump's <see cref="IOutbox"/>. Unlike the product's journal (Kiosk.Device
/// EventJournal + JournalOutbox, which keeps its delivery bookkeeping back and writes it in batches) it writes every
/// ack at once; it lets most tests append thousands of punches in one transaction and build batches by hand.
/// BrokerDeviceJournalTests drain the product's journal itself through the broker.</summary>
public sealed class SqliteJournal : IOutbox
{
    private readonly string _connectionString;
    private readonly string _office;
    private readonly string _device;
    private readonly string _bootId = Guid.NewGuid().ToString("N");
    private string _prevHash = JournalHash.Genesis;
    private long _last;

    public SqliteJournal(string path, string office, string device)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        (_office, _device) = (office, device);
        using var db = Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = """
            CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, hash TEXT NOT NULL, envelope TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS acked (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
            INSERT OR IGNORE INTO acked(id, seq) VALUES (1, 0);
            """;
        cmd.ExecuteNonQuery();
    }

    public long LastSequence => Interlocked.Read(ref _last);

    /// <summary>Commits <paramref name="count"/> punches in one transaction, starting at local time
    /// <paramref name="at"/> one second apart; returns them.</summary>
    public IReadOnlyList<JournalEnvelope> Append(int count, DateTimeOffset at, ClockQuality clock = ClockQuality.Synchronised)
    {
        var rows = new List<JournalEnvelope>(count);
        using var db = Open();
        using var tx = db.BeginTransaction();
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO journal(seq, at, hash, envelope) VALUES ($s, $a, $h, $e)";
        var s = cmd.Parameters.Add("$s", SqliteType.Integer);
        var a = cmd.Parameters.Add("$a", SqliteType.Text);
        var h = cmd.Parameters.Add("$h", SqliteType.Text);
        var e = cmd.Parameters.Add("$e", SqliteType.Text);
        for (var i = 0; i < count; i++)
        {
            var seq = _last + 1;
            var when = at.AddSeconds(i);
            var worker = "w" + (seq % 500).ToString("D3", CultureInfo.InvariantCulture);
            var punch = new Punch(worker, "00" + (4000000 + (seq % 500)).ToString(CultureInfo.InvariantCulture), null,
                PunchMethod.Card, when);
            var envelope = JournalHash.Seal(new JournalEnvelope(_office, _device, seq, punch, _bootId, seq * 1000, clock,
                _prevHash, string.Empty));
            s.Value = seq;
            a.Value = when.ToString("O", CultureInfo.InvariantCulture);
            h.Value = envelope.Hash;
            // Stored as the device journal stores it: the default serialisation JournalHash hashes.
            e.Value = System.Text.Json.JsonSerializer.Serialize(envelope);
            cmd.ExecuteNonQuery();
            rows.Add(envelope);
            _prevHash = envelope.Hash;
            _last = seq;
        }

        tx.Commit();
        return rows;
    }

    /// <summary>The outbox's read, the way the device journal does it: each stored text rewritten to the wire form.</summary>
    public async Task<IReadOnlyList<WireEnvelope>> ReadWireAfterAsync(long afterSequence, int max, CancellationToken ct)
    {
        await using var db = Open();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT seq, hash, envelope FROM journal WHERE seq > $a ORDER BY seq LIMIT $m";
        cmd.Parameters.AddWithValue("$a", afterSequence);
        cmd.Parameters.AddWithValue("$m", max);
        var list = new List<WireEnvelope>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(WireEnvelope.FromStoredUtf8(r.GetInt64(0), r.GetString(1), r.GetFieldValue<byte[]>(2)));
        }

        return list;
    }

    /// <summary>The stored envelopes as objects (for tests that build batches by hand).</summary>
    public async Task<IReadOnlyList<JournalEnvelope>> ReadAfterAsync(long afterSequence, int max, CancellationToken ct)
    {
        await using var db = Open();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT envelope FROM journal WHERE seq > $a ORDER BY seq LIMIT $m";
        cmd.Parameters.AddWithValue("$a", afterSequence);
        cmd.Parameters.AddWithValue("$m", max);
        var list = new List<JournalEnvelope>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(System.Text.Json.JsonSerializer.Deserialize<JournalEnvelope>(r.GetString(0))!);
        }

        return list;
    }

    public async Task<long> GetAcknowledgedAsync(CancellationToken ct)
    {
        await using var db = Open();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT seq FROM acked WHERE id = 1";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    public async Task MarkAcknowledgedAsync(long upToSequence, CancellationToken ct)
    {
        await using var db = Open();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "UPDATE acked SET seq = MAX(seq, $s) WHERE id = 1";
        cmd.Parameters.AddWithValue("$s", upToSequence);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>This journal writes acks at once; nothing is kept back.</summary>
    public Task FlushAsync(bool evenIfRecent, CancellationToken ct) => Task.CompletedTask;

    public async Task<OutboxStats> GetStatsAsync(CancellationToken ct)
    {
        await using var db = Open();
        await using var cmd = db.CreateCommand();
        cmd.CommandText = """
            SELECT (SELECT seq FROM acked WHERE id = 1),
                   (SELECT MAX(seq) FROM journal),
                   (SELECT at FROM journal WHERE seq > (SELECT seq FROM acked WHERE id = 1) ORDER BY seq LIMIT 1)
            """;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        DateTimeOffset? oldest = r.IsDBNull(2) ? null : DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture);
        return new OutboxStats(r.IsDBNull(1) ? 0 : r.GetInt64(1), r.GetInt64(0), oldest);
    }

    private SqliteConnection Open()
    {
        var db = new SqliteConnection(_connectionString);
        db.Open();
        using var pragma = db.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
        pragma.ExecuteNonQuery();
        return db;
    }
}

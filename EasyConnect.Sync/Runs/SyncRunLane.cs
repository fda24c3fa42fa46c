using System.Linq.Expressions;
using Medallion.Threading.Postgres;

namespace EasyConnect.Sync.Runs;

/// <summary>
/// Runs of a connection that exclude each other: the mirror's (full and incremental write the same rows, so a full run's delete must
/// not race an incremental upsert) and the ticket sync's, which has a lock of its own so it never waits for the mirror.
/// </summary>
public sealed class SyncRunLane
{
    private SyncRunLane(string lockName, bool tickets)
    {
        _lockName = lockName;
        Runs = tickets ? r => r.Kind == SyncRunKind.Tickets : r => r.Kind != SyncRunKind.Tickets;
    }

    private readonly string _lockName;

    /// <summary>The PSA mirror's runs, full and incremental.</summary>
    public static SyncRunLane Mirror { get; } = new("psa-mirror", tickets: false);

    /// <summary>The ticket sync's runs.</summary>
    public static SyncRunLane Tickets { get; } = new("tickets", tickets: true);

    /// <summary>Which recorded runs belong to the lane.</summary>
    public Expression<Func<SyncRun, bool>> Runs { get; }

    /// <summary>The PostgreSQL advisory lock every run of the lane takes for a connection, in every process.</summary>
    public PostgresAdvisoryLockKey LockKey(Guid connectionId) => new($"ec:{_lockName}:{connectionId:N}", allowHashing: true);
}

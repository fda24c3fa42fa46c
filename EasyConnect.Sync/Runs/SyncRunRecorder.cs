using EasyConnect.Sync.Persistence;
using Medallion.Threading;
using Medallion.Threading.Postgres;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Runs;

/// <summary>
/// What both sync engines do around a run: take the connection's lock for the lane (across every process), record the run as it
/// starts, finishes or is skipped, and mark the lane's runs that lost their process as failed. Each engine makes its own.
/// </summary>
public sealed class SyncRunRecorder(IDbContextFactory<EasyConnectDbContext> dbFactory, TimeProvider clock)
{
    private string? _connectionString;

    /// <summary>The connection's lock for the lane, or null when another run holds it for longer than <paramref name="timeout"/>.</summary>
    public async Task<IDistributedSynchronizationHandle?> TryLockAsync(SyncRunLane lane, Guid connectionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lane);
        var distributedLock = new PostgresDistributedLock(lane.LockKey(connectionId), await ConnectionStringAsync(cancellationToken));
        return await distributedLock.TryAcquireAsync(timeout, cancellationToken);
    }

    /// <summary>The EasyConnect database's connection string (read once), for what works beside EF Core: locks, bulk writes.</summary>
    public async Task<string> ConnectionStringAsync(CancellationToken cancellationToken)
    {
        if (_connectionString is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            _connectionString = db.Database.GetConnectionString()
                ?? throw new InvalidOperationException("The EasyConnect database has no connection string.");
        }

        return _connectionString;
    }

    /// <summary>
    /// Records <paramref name="run"/> as running from now. The caller holds the lane's lock, so a run of the lane still marked
    /// running lost its process: it is marked failed with <paramref name="lostMessage"/>.
    /// </summary>
    public async Task<SyncRun> StartAsync(SyncRunLane lane, SyncRun run, string lostMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lane);
        ArgumentNullException.ThrowIfNull(run);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await db.SyncRuns
            .Where(r => r.ConnectionId == run.ConnectionId && r.Status == SyncRunStatus.Running)
            .Where(lane.Runs)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, SyncRunStatus.Failed)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.Message, lostMessage),
                cancellationToken);
        run.Id = Guid.NewGuid();
        run.StartedAt = now;
        run.Status = SyncRunStatus.Running;
        db.SyncRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>Records how a started run ended; a failed run says why in <paramref name="cause"/> (other, unless told).</summary>
    public async Task FinishAsync(
        Guid runId, SyncRunStatus status, IReadOnlyList<SyncRunEntityCounts> entities, long apiCalls, string? message, CancellationToken cancellationToken,
        RunFailureCause? cause = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.SyncRuns.SingleAsync(r => r.Id == runId, cancellationToken);
        run.Status = status;
        run.FinishedAt = clock.GetUtcNow();
        run.Entities = entities;
        run.ApiCalls = apiCalls;
        run.Message = message;
        run.FailureCause = status == SyncRunStatus.Failed ? cause ?? RunFailureCause.Other : null;
        await db.SaveChangesAsync(cancellationToken);
        Telemetry.EasyConnectMetrics.RunEnded(run.Kind.ToString().ToLowerInvariant(), status.ToString().ToLowerInvariant(), run.FinishedAt.Value - run.StartedAt);
    }

    /// <summary>
    /// Stores how far a running run has got (the Sync runs page shows it live); a run that has ended meanwhile is left as it ended.
    /// </summary>
    public async Task ProgressAsync(Guid runId, IReadOnlyList<SyncRunEntityCounts> entities, long apiCalls, CancellationToken cancellationToken)
    {
        var json = new SyncRun { Entities = entities };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.SyncRuns.Where(r => r.Id == runId && r.Status == SyncRunStatus.Running).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.EntitiesJson, json.EntitiesJson)
            .SetProperty(r => r.RowsRead, json.RowsRead)
            .SetProperty(r => r.RowsUpserted, json.RowsUpserted)
            .SetProperty(r => r.RowsDeleted, json.RowsDeleted)
            .SetProperty(r => r.ApiCalls, apiCalls), cancellationToken);
    }

    /// <summary>Records a run that ended as it started (skipped, or failed before it began); its status and message are set by the caller.</summary>
    public async Task<SyncRun> RecordEndedAsync(SyncRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        run.Id = Guid.NewGuid();
        run.StartedAt = now;
        run.FinishedAt = now;
        db.SyncRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    /// <summary>The newest run of the lane still marked running for the connection, if any.</summary>
    public async Task<SyncRun?> RunningAsync(SyncRunLane lane, Guid connectionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lane);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SyncRuns.AsNoTracking()
            .Where(r => r.ConnectionId == connectionId && r.Status == SyncRunStatus.Running)
            .Where(lane.Runs)
            .OrderByDescending(r => r.StartedAt)
            .FirstOrDefaultAsync(cancellationToken);
    }
}

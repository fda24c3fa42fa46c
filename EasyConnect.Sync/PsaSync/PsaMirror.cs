using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Runs;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.PsaSync;

/// <summary>How the mirror of one entity stands, for the Overview.</summary>
/// <param name="Rows">Rows mirrored for the connection.</param>
/// <param name="LastSuccessAt">When the last run that mirrored this entity without error finished.</param>
/// <param name="CursorAt">The newest PSA change the incremental sync has committed.</param>
/// <param name="CursorMovedAt">When the cursor last moved or was reset.</param>
public sealed record MirrorEntityStatus(PsaEntity Entity, long Rows, DateTimeOffset? LastSuccessAt, DateTimeOffset? CursorAt, DateTimeOffset? CursorMovedAt);

/// <summary>The mirror of the active connection, for the Overview.</summary>
/// <param name="Instance">The connected instance's name.</param>
public sealed record MirrorOverview(Guid ConnectionId, string Instance, IReadOnlyList<MirrorEntityStatus> Entities);

/// <summary>Reads the <see cref="MirrorOverview"/> of the active connection.</summary>
public interface IMirrorStatusReader
{
    /// <summary>The active connection's mirror, or null when no PSA is connected.</summary>
    Task<MirrorOverview?> ReadActiveAsync(CancellationToken cancellationToken);
}

/// <summary>Progress of <see cref="PsaMirror.DeleteConnectionDataAsync"/>.</summary>
public sealed record MirrorCleanupProgress(long Deleted, long Total);

/// <summary>
/// The mirror's data as a whole: its state per entity, and the removal of a connection's rows and cursors, batch by
/// batch (it is also the instance-change clean-up's <see cref="IConnectionDataOwner"/> for mirrored rows).
/// </summary>
public sealed class PsaMirror(IDbContextFactory<EasyConnectDbContext> dbFactory) : IConnectionDataOwner, IMirrorStatusReader
{
    private const int DefaultBatchSize = 5_000;

    /// <inheritdoc />
    public string Name => "mirrored PSA data";

    /// <inheritdoc />
    public async Task<MirrorOverview?> ReadActiveAsync(CancellationToken cancellationToken)
    {
        PsaConnection? active;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            active = await db.PsaConnections.AsNoTracking().SingleOrDefaultAsync(c => c.State == ConnectionState.Active, cancellationToken);
        }

        return active is null ? null : new MirrorOverview(active.Id, active.DisplayName, await GetStatusAsync(active.Id, cancellationToken));
    }

    /// <summary>Rows, last success and cursor of every entity of a connection.</summary>
    public async Task<IReadOnlyList<MirrorEntityStatus>> GetStatusAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var cursors = await db.SyncCursors.AsNoTracking().Where(c => c.ConnectionId == connectionId).ToListAsync(cancellationToken);
        var runs = await db.SyncRuns.AsNoTracking()
            .Where(r => r.ConnectionId == connectionId && r.FinishedAt != null && r.Kind != SyncRunKind.Tickets
                && (r.Status == SyncRunStatus.Succeeded || r.Status == SyncRunStatus.Failed || r.Status == SyncRunStatus.NeedsConfirmation))
            .OrderByDescending(r => r.StartedAt)
            .Take(50)
            .Select(r => new { r.FinishedAt, r.EntitiesJson })
            .ToListAsync(cancellationToken);
        var parsed = runs.Select(r => (r.FinishedAt, Entities: new SyncRun { EntitiesJson = r.EntitiesJson }.Entities)).ToList();

        var result = new List<MirrorEntityStatus>();
        foreach (var table in MirrorTables.All)
        {
            var rows = await CountAsync(db, table, connectionId, cancellationToken);
            var cursor = cursors.FirstOrDefault(c => c.Entity == table.Entity);
            var success = parsed.FirstOrDefault(r => r.Entities.Any(e => e.Entity == table.Entity && e.Error is null)).FinishedAt;
            result.Add(new(table.Entity, rows, success, cursor?.LastModified, cursor?.UpdatedAt));
        }

        return result;
    }

    /// <summary>
    /// Deletes a connection's mirrored rows and cursors in batches (never one huge transaction), reporting progress
    /// after each batch; its run history stays. Safe to call again after an interruption.
    /// </summary>
    public async Task<long> DeleteConnectionDataAsync(Guid connectionId, IProgress<MirrorCleanupProgress>? progress, CancellationToken cancellationToken, int batchSize = DefaultBatchSize)
    {
        var total = await CountAsync(connectionId, cancellationToken);
        long deleted = 0;
        progress?.Report(new(0, total));
        long batch;
        do
        {
            batch = await DeleteBatchAsync(connectionId, batchSize, cancellationToken);
            deleted += batch;
            progress?.Report(new(Math.Min(deleted, total), total));
        }
        while (batch > 0);

        return deleted;
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        long total = 0;
        foreach (var table in MirrorTables.All)
        {
            total += await CountAsync(db, table, connectionId, cancellationToken);
        }

        // The cursors are deleted with the rows, so they are counted with them.
        return total + await db.SyncCursors.LongCountAsync(c => c.ConnectionId == connectionId, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long> DeleteBatchAsync(Guid connectionId, int batchSize, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var table in MirrorTables.All)
        {
            // Table names come from MirrorTables, never from input.
            var sql = "DELETE FROM " + table.Table + " WHERE ctid IN (SELECT ctid FROM " + table.Table + " WHERE connection_id = {0} LIMIT {1})";
            var deleted = await db.Database.ExecuteSqlRawAsync(sql, [connectionId, batchSize], cancellationToken);
            if (deleted > 0)
            {
                return deleted;
            }
        }

        // The cursors go last: while rows remain, a crashed clean-up leaves nothing that would look like a fresh connection.
        return await db.SyncCursors.Where(c => c.ConnectionId == connectionId).ExecuteDeleteAsync(cancellationToken);
    }

    private static async Task<long> CountAsync(EasyConnectDbContext db, MirrorTable table, Guid connectionId, CancellationToken cancellationToken)
    {
        var sql = "SELECT count(*) AS \"Value\" FROM " + table.Table + " WHERE connection_id = {0}";
        return await db.Database.SqlQueryRaw<long>(sql, connectionId).SingleAsync(cancellationToken);
    }
}

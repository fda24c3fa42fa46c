using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Jobs;
using EasyConnect.Sync.Notifications;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Users;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Sync.Connections;

/// <summary>
/// Step 2 of an instance change: deletes every row an old connection left (mirror, tickets, mappings)
/// in batches, keeps its progress on the connection for the Integration page, and tells the admins
/// when it is done. Safe to run again after a crash: it continues with what is left.
/// </summary>
public sealed class ConnectionCleanup(
    IDbContextFactory<EasyConnectDbContext> dbFactory,
    IEnumerable<IConnectionDataOwner> owners,
    NotificationCenter notifications,
    AuditLog audit,
    TimeProvider clock,
    ILogger<ConnectionCleanup> logger)
{
    private const int BatchSize = 5_000;

    /// <summary>Deletes the connection's data; returns how many rows were deleted.</summary>
    public Task<long> RunAsync(Guid connectionId, CancellationToken cancellationToken) => RunAsync(connectionId, null, cancellationToken);

    /// <summary>
    /// Deletes the connection's data, reporting the rows deleted so far against the total counted before the first
    /// delete (the same figures the Integration page shows); returns how many rows were deleted.
    /// </summary>
    public async Task<long> RunAsync(Guid connectionId, IProgress<ConnectionCleanupProgress>? progress, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = await db.PsaConnections.SingleAsync(c => c.Id == connectionId, cancellationToken);
        if (connection.State != ConnectionState.CleaningUp)
        {
            logger.LogInformation("Clean-up of {Connection} skipped: it is {State}", connection.DisplayName, connection.State);
            return 0;
        }

        // Everything is counted before anything is deleted, so the total stays put while the counter moves.
        long remaining = 0;
        foreach (var owner in owners)
        {
            remaining += await owner.CountAsync(connectionId, cancellationToken);
        }

        connection.CleanupRowsTotal = connection.CleanupRowsDeleted + remaining;
        await db.SaveChangesAsync(cancellationToken);
        progress?.Report(new(connection.CleanupRowsDeleted, connection.CleanupRowsTotal));

        long deleted = 0;
        foreach (var owner in owners)
        {
            long batch;
            do
            {
                batch = await owner.DeleteBatchAsync(connectionId, BatchSize, cancellationToken);
                if (batch == 0)
                {
                    break;
                }

                deleted += batch;
                // A last guard: rows an owner failed to count must not push the counter past its total.
                connection.CleanupRowsDeleted = Math.Min(connection.CleanupRowsTotal, connection.CleanupRowsDeleted + batch);
                await db.SaveChangesAsync(cancellationToken);
                progress?.Report(new(connection.CleanupRowsDeleted, connection.CleanupRowsTotal));
            }
            while (true);
        }

        if (deleted != remaining)
        {
            logger.LogWarning("Clean-up of {Connection} counted {Counted} rows but deleted {Deleted}", connection.DisplayName, remaining, deleted);
        }

        connection.State = ConnectionState.Removed;
        connection.RetiredAt = clock.GetUtcNow();
        audit.Add(db, "system", "Old PSA data cleaned up", $"{connection.Kind} {connection.DisplayName}", $"{connection.CleanupRowsDeleted} rows deleted");
        notifications.Add(db, Roles.Admin,
            $"The data of the old PSA instance {connection.DisplayName} has been cleaned up ({connection.CleanupRowsDeleted:N0} rows). You can now connect the new instance.",
            "/integration");
        await db.SaveChangesAsync(cancellationToken);
        notifications.Announce();
        return deleted;
    }
}

/// <summary>Progress of <see cref="ConnectionCleanup"/>: rows deleted so far, of the total counted before deleting started.</summary>
public sealed record ConnectionCleanupProgress(long Deleted, long Total);

/// <summary>The Hangfire job around <see cref="ConnectionCleanup"/>.</summary>
public sealed class ConnectionCleanupJob(ConnectionCleanup cleanup)
{
    /// <summary>Runs the clean-up of one connection.</summary>
    [ConnectionJobName("Clean up the data of old PSA connection {0}")]
    [AutomaticRetry(Attempts = 3)]
    public Task RunAsync(Guid connectionId, CancellationToken cancellationToken) => cleanup.RunAsync(connectionId, cancellationToken);
}

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
    public async Task<long> RunAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = await db.PsaConnections.SingleAsync(c => c.Id == connectionId, cancellationToken);
        if (connection.State != ConnectionState.CleaningUp)
        {
            logger.LogInformation("Clean-up of {Connection} skipped: it is {State}", connection.DisplayName, connection.State);
            return 0;
        }

        long remaining = 0;
        foreach (var owner in owners)
        {
            remaining += await owner.CountAsync(connectionId, cancellationToken);
        }

        connection.CleanupRowsTotal = connection.CleanupRowsDeleted + remaining;
        await db.SaveChangesAsync(cancellationToken);

        long deleted = 0;
        foreach (var owner in owners)
        {
            long batch;
            do
            {
                batch = await owner.DeleteBatchAsync(connectionId, BatchSize, cancellationToken);
                deleted += batch;
                connection.CleanupRowsDeleted += batch;
                await db.SaveChangesAsync(cancellationToken);
            }
            while (batch > 0);
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

/// <summary>The Hangfire job around <see cref="ConnectionCleanup"/>.</summary>
public sealed class ConnectionCleanupJob(ConnectionCleanup cleanup)
{
    /// <summary>Runs the clean-up of one connection.</summary>
    [ConnectionJobName("Clean up the data of old PSA connection {0}")]
    [AutomaticRetry(Attempts = 3)]
    public Task RunAsync(Guid connectionId, CancellationToken cancellationToken) => cleanup.RunAsync(connectionId, cancellationToken);
}

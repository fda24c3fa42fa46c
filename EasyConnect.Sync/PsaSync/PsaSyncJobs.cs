using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Jobs;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Runs;
using Hangfire;
using Hangfire.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EasyConnect.Sync.PsaSync;

/// <summary>The Hangfire job around an incremental <see cref="PsaSyncEngine"/> run.</summary>
public sealed class PsaIncrementalSyncJob(PsaSyncEngine engine)
{
    /// <summary>Runs an incremental sync of one connection.</summary>
    [ConnectionJobName("PSA incremental sync of connection {0} ({1})")]
    // The next scheduled run is the retry; a failed run is recorded on the Sync runs page, not thrown.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid connectionId, SyncTrigger trigger, string? startedBy, CancellationToken cancellationToken)
    {
        // The mirror waits when the API budget runs low; ticket sync goes first.
        using var priority = ApiCallPriority.Background();
        await engine.RunAsync(connectionId, new SyncRunRequest(SyncRunKind.Incremental, trigger, StartedBy: startedBy), cancellationToken);
    }
}

/// <summary>The Hangfire job around a full <see cref="PsaSyncEngine"/> run.</summary>
public sealed class PsaFullSyncJob(PsaSyncEngine engine)
{
    /// <summary>Runs a full sync of one connection; <paramref name="confirmsRunId"/> carries out a deletion an admin confirmed.</summary>
    [ConnectionJobName("PSA full sync of connection {0} ({1})")]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid connectionId, SyncTrigger trigger, string? startedBy, Guid? confirmsRunId, CancellationToken cancellationToken)
    {
        using var priority = ApiCallPriority.Background();
        await engine.RunAsync(connectionId, new SyncRunRequest(SyncRunKind.Full, trigger, confirmsRunId, startedBy), cancellationToken);
    }
}

/// <summary>Wants, for the active connection, the incremental and the full sync on their schedules.</summary>
// Reads the connection table itself: PsaConnections depends on the reconciler, which depends on every source.
public sealed class PsaSyncRecurringJobs(IDbContextFactory<EasyConnectDbContext> dbFactory, IOptionsMonitor<PsaSyncOptions> options) : IRecurringJobSource
{
    /// <summary>The recurring job id of a connection's incremental sync.</summary>
    public static string IncrementalJobId(Guid connectionId) => $"{RecurringJobReconciler.IdPrefix}psa-incremental:{connectionId}";

    /// <summary>The recurring job id of a connection's full sync.</summary>
    public static string FullJobId(Guid connectionId) => $"{RecurringJobReconciler.IdPrefix}psa-full:{connectionId}";

    /// <inheritdoc />
    public async Task<IReadOnlyList<RecurringJobDefinition>> GetRecurringJobsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = await db.PsaConnections.AsNoTracking()
            .Where(c => c.State == ConnectionState.Active)
            .Select(c => (Guid?)c.Id)
            .SingleOrDefaultAsync(cancellationToken);
        if (active is not { } id)
        {
            return [];
        }

        var settings = options.CurrentValue;
        return
        [
            new(IncrementalJobId(id), Job.FromExpression<PsaIncrementalSyncJob>(j => j.RunAsync(id, SyncTrigger.Scheduled, null, CancellationToken.None)), settings.IncrementalCron),
            new(FullJobId(id), Job.FromExpression<PsaFullSyncJob>(j => j.RunAsync(id, SyncTrigger.Scheduled, null, null, CancellationToken.None)), settings.FullCron),
        ];
    }
}

using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Jobs;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using Hangfire;
using Hangfire.Common;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Tickets;

/// <summary>The Hangfire jobs around <see cref="TicketSyncEngine"/>.</summary>
public sealed class TicketSyncJob(TicketSyncEngine engine)
{
    /// <summary>Runs the ticket sync of one connection.</summary>
    [ConnectionJobName("Ticket sync of connection {0} ({1})")]
    // The next scheduled run is the retry; a failed run is recorded on the Sync runs page, not thrown.
    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(Guid connectionId, SyncTrigger trigger, string? startedBy, CancellationToken cancellationToken) =>
        engine.RunAsync(connectionId, new TicketSyncRequest(trigger, startedBy), cancellationToken);

    /// <summary>Syncs one ticket again, reading both sides afresh.</summary>
    [ConnectionJobName("Resync ticket {1} of connection {0}")]
    [AutomaticRetry(Attempts = 0)]
    public Task ResyncAsync(Guid connectionId, long ticketId, string? startedBy, CancellationToken cancellationToken) =>
        engine.RunAsync(connectionId, new TicketSyncRequest(SyncTrigger.Manual, startedBy, ticketId), cancellationToken);
}

/// <summary>Wants, for the active PSA connection, the ticket sync on its schedule, while a portal is connected and the sync is switched on.</summary>
// Reads the tables itself: the connection services depend on the reconciler, which depends on every source.
public sealed class TicketSyncRecurringJobs(IDbContextFactory<EasyConnectDbContext> dbFactory) : IRecurringJobSource
{
    /// <summary>The recurring job id of a connection's ticket sync.</summary>
    public static string JobId(Guid connectionId) => $"{RecurringJobReconciler.IdPrefix}tickets:{connectionId}";

    /// <summary>
    /// The cron expression for "every <paramref name="minutes"/> minutes": exact when the minutes divide an hour or are whole hours
    /// dividing a day; otherwise the nearest such interval (cron cannot say "every 7 minutes" without a short gap at each hour).
    /// </summary>
    public static string Cron(int minutes)
    {
        if (minutes < 60)
        {
            var step = new[] { 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 }.MinBy(d => (Math.Abs(d - minutes), -d));
            return step == 1 ? "* * * * *" : $"*/{step} * * * *";
        }

        var hours = new[] { 1, 2, 3, 4, 6, 8, 12, 24 }.MinBy(h => (Math.Abs(h * 60 - minutes), -h));
        return hours switch
        {
            1 => "0 * * * *",
            24 => "0 0 * * *",
            _ => $"0 */{hours} * * *",
        };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RecurringJobDefinition>> GetRecurringJobsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = await db.PsaConnections.AsNoTracking().Where(c => c.State == ConnectionState.Active).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken);
        var portal = await db.PortalConnections.AsNoTracking().AnyAsync(c => c.State == ConnectionState.Active, cancellationToken);
        if (active is not { } id || !portal)
        {
            return [];
        }

        var settings = await db.AdvancedSettings.AsNoTracking().SingleOrDefaultAsync(s => s.ConnectionId == id, cancellationToken);
        if (settings is not { SyncEnabled: true })
        {
            return [];
        }

        return [new(JobId(id), Job.FromExpression<TicketSyncJob>(j => j.RunAsync(id, SyncTrigger.Scheduled, null, CancellationToken.None)), Cron(settings.TicketSyncMinutes))];
    }
}

using System.Security.Claims;
using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Users;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Runs;

/// <summary>
/// A filter and page of the run history. By default only the active connection's runs (all runs while none is
/// active); <paramref name="AllInstances"/> includes the runs of connections removed or archived by an instance change.
/// </summary>
public sealed record SyncRunQuery(SyncRunKind? Kind = null, SyncRunStatus? Status = null, int Skip = 0, int Take = 25, bool AllInstances = false);

/// <summary>A page of the run history, with the display name of the PSA connection (instance) of each run.</summary>
public sealed record SyncRunPage(IReadOnlyList<SyncRun> Items, int Total, IReadOnlyDictionary<Guid, string> Instances);

/// <summary>The outcome of Sync now or Confirm deletion.</summary>
public sealed record SyncRunCommandResult(bool Succeeded, string Message);

/// <summary>What the Sync runs page reads and does: history, details, Sync now, and confirmation of a held-back deletion.</summary>
public sealed class SyncRuns(
    IDbContextFactory<EasyConnectDbContext> dbFactory,
    PsaConnections connections,
    IBackgroundJobClient jobs,
    AuditLog audit)
{
    /// <summary>Runs newest first, filtered and paged; with the total count and the instance names.</summary>
    public async Task<SyncRunPage> ListAsync(SyncRunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = db.SyncRuns.AsNoTracking();
        if (!query.AllInstances
            && await db.PsaConnections.Where(c => c.State == ConnectionState.Active).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken) is { } active)
        {
            runs = runs.Where(r => r.ConnectionId == active);
        }

        if (query.Kind is { } kind)
        {
            runs = runs.Where(r => r.Kind == kind);
        }

        if (query.Status is { } status)
        {
            runs = runs.Where(r => r.Status == status);
        }

        var total = await runs.CountAsync(cancellationToken);
        var items = await runs.OrderByDescending(r => r.StartedAt).ThenBy(r => r.Id).Skip(query.Skip).Take(query.Take).ToListAsync(cancellationToken);
        var ids = items.Select(r => r.ConnectionId).Distinct().ToList();
        var instances = await db.PsaConnections.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.DisplayName, cancellationToken);
        return new(items, total, instances);
    }

    /// <summary>One run, or null.</summary>
    public async Task<SyncRun?> GetAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SyncRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
    }

    /// <summary>Queues a run of the active connection now.</summary>
    public async Task<SyncRunCommandResult> SyncNowAsync(SyncRunKind kind, string actor, CancellationToken cancellationToken)
    {
        var active = await connections.GetActiveAsync(cancellationToken);
        if (active is null)
        {
            return new(false, "No PSA is connected: connect one on the Integration page first.");
        }

        var id = active.Id;
        if (kind == SyncRunKind.Full)
        {
            jobs.Enqueue<PsaFullSyncJob>(j => j.RunAsync(id, SyncTrigger.Manual, actor, null, CancellationToken.None));
        }
        else
        {
            jobs.Enqueue<PsaIncrementalSyncJob>(j => j.RunAsync(id, SyncTrigger.Manual, actor, CancellationToken.None));
        }

        return new(true, $"A {kind.ToString().ToLowerInvariant()} sync of {active.DisplayName} has been queued; it appears below when it starts.");
    }

    /// <summary>
    /// Admin only (checked here, not only by hiding the button): queues a full run that carries out the deletion a
    /// run held back, for the entities it held back.
    /// </summary>
    public async Task<SyncRunCommandResult> ConfirmDeletionAsync(Guid runId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.IsInRole(Roles.Admin))
        {
            return new(false, "Only an administrator may confirm a deletion.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.SyncRuns.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is not { Status: SyncRunStatus.NeedsConfirmation })
        {
            return new(false, "This run is not waiting for a confirmation.");
        }

        var active = await connections.GetActiveAsync(cancellationToken);
        if (active?.Id != run.ConnectionId)
        {
            return new(false, "This run belongs to a PSA connection that is no longer active; its data is not synced any more.");
        }

        var actor = user.Identity?.Name ?? "unknown";
        var held = string.Join(", ", run.Entities.Where(e => e.WouldDelete > 0).Select(e => $"{e.Entity} {e.WouldDelete}"));
        audit.Add(db, actor, "PSA mirror deletion confirmed", $"sync run {run.StartedAt:u}", held);
        await db.SaveChangesAsync(cancellationToken);
        var connectionId = run.ConnectionId;
        jobs.Enqueue<PsaFullSyncJob>(j => j.RunAsync(connectionId, SyncTrigger.Manual, actor, runId, CancellationToken.None));
        return new(true, "Confirmed: a full sync that deletes the rows no longer in the PSA has been queued.");
    }
}

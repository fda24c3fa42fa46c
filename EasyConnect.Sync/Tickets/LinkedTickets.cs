using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EasyConnect.Sync.Tickets;

/// <summary>Which linked tickets the Tickets page lists.</summary>
public enum TicketFilter
{
    /// <summary>Every ticket.</summary>
    All,

    /// <summary>Tickets held with a reason.</summary>
    Held,

    /// <summary>Tickets whose description changed on both sides.</summary>
    Conflicted,

    /// <summary>Tickets whose last attempt failed (tried again on the next run).</summary>
    Failed,
}

/// <summary>A filter, search and page of the Tickets page.</summary>
/// <param name="Search">Matched against the portal and PSA ticket ids and the subject.</param>
public sealed record TicketQuery(TicketFilter Filter = TicketFilter.All, string? Search = null, int Skip = 0, int Take = 25);

/// <summary>One linked ticket as the Tickets page shows it; PSA names come from the mirror.</summary>
/// <param name="Configuration">The name of the configuration (Autotask: configuration item) the ClusterID attached, when the mirror has it.</param>
public sealed record TicketRow(
    long Id, string PortalTicketId, string? PsaTicketId, string Subject, string? Summary, string? Company, string? Status, string? Priority,
    string PortalStatus, DateTimeOffset? LastSyncedAt, string? HeldReason, DateTimeOffset? ConflictAt, string? LastError, string? Configuration);

/// <summary>A ticket's page: the ticket, its ledger (newest first) and its linked notes and comments (oldest first).</summary>
public sealed record TicketDetails(TicketRow Row, TicketLink Link, IReadOnlyList<TicketLedgerEntry> Ledger, IReadOnlyList<NoteLink> Notes, PsaKind Kind);

/// <summary>The outcome of Resync this ticket or Sync tickets now.</summary>
public sealed record TicketCommandResult(bool Succeeded, string Message);

/// <summary>How far back the ticket sync has read the portal.</summary>
/// <param name="ReadsFrom">The earliest portal change read; null before the first portal ticket was read.</param>
/// <param name="Pending">True when an admin asked to reach further back and no run has read from there yet.</param>
/// <param name="FirstRunReach">How far back a first run reads.</param>
public sealed record PortalReach(DateTimeOffset? ReadsFrom, bool Pending, TimeSpan FirstRunReach);

/// <summary>
/// A ticket sync run as "Sync now" follows it: when it started, how it stands, who started it ("the schedule" for a
/// scheduled run), and, when it was skipped, the run that was already running in its place.
/// </summary>
public sealed record TicketRunState(Guid RunId, DateTimeOffset StartedAt, SyncRunStatus Status, string StartedBy, TicketRunState? AlreadyRunning);

/// <summary>What the Tickets pages read and do: the linked tickets of the active connection, a ticket's ledger, and re-running the sync.</summary>
public sealed class LinkedTickets(
    IDbContextFactory<EasyConnectDbContext> dbFactory, PsaConnections connections, IBackgroundJobClient jobs,
    Audit.AuditLog audit, TimeProvider clock, IOptionsMonitor<TicketSyncOptions> options)
{
    /// <summary>How far back a reach may go: the portal's export is read from there, ticket by ticket.</summary>
    public static readonly TimeSpan LongestReach = TimeSpan.FromDays(3650);

    /// <summary>
    /// Since when the ticket sync has read portal changes: tickets last changed before then are left alone until they change. Null
    /// when no portal ticket has been read yet; then <see cref="PortalReach.FirstRunReach"/> says how far back the first run reads.
    /// </summary>
    public async Task<PortalReach> PortalReachAsync(CancellationToken cancellationToken)
    {
        var active = await connections.GetActiveAsync(cancellationToken);
        DateTimeOffset? from = null;
        var pending = false;
        if (active is not null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var cursor = await db.TicketSyncCursors.AsNoTracking().Where(c => c.ConnectionId == active.Id)
                .Select(c => new { c.PortalReadsFrom, c.PortalCursor }).SingleOrDefaultAsync(cancellationToken);
            from = cursor?.PortalReadsFrom;
            pending = cursor is { PortalCursor: null, PortalReadsFrom: not null };
        }

        return new PortalReach(from, pending, options.CurrentValue.FirstRunReach);
    }

    /// <summary>
    /// Makes the next run read the portal again from <paramref name="from"/>, so tickets last changed before the sync's reach join
    /// now rather than when they next change. Tickets already linked are compared again and write nothing if nothing changed.
    /// </summary>
    public async Task<TicketCommandResult> ReachFurtherBackAsync(DateTimeOffset from, string actor, CancellationToken cancellationToken)
    {
        var (connectionId, refusal) = await SyncableConnectionAsync(cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var now = clock.GetUtcNow();
        if (from > now - TimeSpan.FromMinutes(1) || from < now - LongestReach)
        {
            return new(false, $"Choose a day between {(now - LongestReach).UtcDateTime:yyyy-MM-dd} and yesterday.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.TicketSyncCursors.SingleOrDefaultAsync(c => c.ConnectionId == connectionId, cancellationToken);
        if (row?.PortalReadsFrom is { } current && row.PortalCursor is not null && from >= current)
        {
            return new(false, $"The sync already reads portal tickets changed since {current.UtcDateTime:yyyy-MM-dd HH:mm} UTC: choose an earlier day.");
        }

        if (row is null)
        {
            row = new TicketSyncCursor { ConnectionId = connectionId };
            db.TicketSyncCursors.Add(row);
        }

        // The portal cursor is dropped so the next run reads from the chosen start; the PSA side's cursor stays.
        row.PortalCursor = null;
        row.PortalReadsFrom = from;
        row.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(actor, "Ticket sync reach changed", "portal tickets", $"read again from {from.UtcDateTime:yyyy-MM-dd HH:mm} UTC", cancellationToken);
        jobs.Enqueue<TicketSyncJob>(j => j.RunAsync(connectionId, SyncTrigger.Manual, actor, CancellationToken.None));
        return new(true, $"A ticket sync has been queued that reads portal tickets changed since {from.UtcDateTime:yyyy-MM-dd} ({Days(now - from)}).");
    }

    private static string Days(TimeSpan span) => span.TotalDays >= 1.5 ? $"the last {Math.Round(span.TotalDays)} days" : "the last day";

    /// <summary>A page of the active connection's linked tickets, newest first, with the total count.</summary>
    public async Task<(IReadOnlyList<TicketRow> Items, int Total)> ListAsync(TicketQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var active = await connections.GetActiveAsync(cancellationToken);
        if (active is null)
        {
            return ([], 0);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var links = db.TicketLinks.AsNoTracking().Where(l => l.ConnectionId == active.Id);
        links = query.Filter switch
        {
            TicketFilter.Held => links.Where(l => l.HeldReason != null),
            TicketFilter.Conflicted => links.Where(l => l.ConflictAt != null),
            TicketFilter.Failed => links.Where(l => l.LastError != null),
            _ => links,
        };
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim().TrimStart('#');
            var pattern = LikePattern.Contains(search);
            links = links.Where(l => l.PortalTicketId == search || l.PsaTicketId == search || EF.Functions.ILike(l.PortalSubject, pattern));
        }

        var total = await links.CountAsync(cancellationToken);
        var items = await Rows(db, links.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id).Skip(query.Skip).Take(query.Take)).ToListAsync(cancellationToken);
        return (items, total);
    }

    /// <summary>One ticket of the active connection with its ledger and notes, or null.</summary>
    public async Task<TicketDetails?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var active = await connections.GetActiveAsync(cancellationToken);
        if (active is null)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var link = await db.TicketLinks.AsNoTracking().SingleOrDefaultAsync(l => l.Id == id && l.ConnectionId == active.Id, cancellationToken);
        if (link is null)
        {
            return null;
        }

        var row = await Rows(db, db.TicketLinks.AsNoTracking().Where(l => l.Id == id)).SingleAsync(cancellationToken);
        var ledger = await db.TicketLedger.AsNoTracking().Where(e => e.TicketLinkId == id).OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(500).ToListAsync(cancellationToken);
        var notes = await db.NoteLinks.AsNoTracking().Where(n => n.TicketLinkId == id).OrderBy(n => n.CreatedAt).ThenBy(n => n.Id).ToListAsync(cancellationToken);
        return new TicketDetails(row, link, ledger, notes, active.Kind);
    }

    /// <summary>
    /// The active connection's ticket with this portal ticket number (what the tickets grid shows and the ticket page's address carries),
    /// with its ledger and notes, or null.
    /// </summary>
    public async Task<TicketDetails?> GetByPortalTicketAsync(string portalTicketId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(portalTicketId);
        var active = await connections.GetActiveAsync(cancellationToken);
        if (active is null)
        {
            return null;
        }

        long? id;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var number = portalTicketId.Trim().TrimStart('#');
            // One number per portal; should the portal connection have been replaced, the newest link is the one being synced.
            id = await db.TicketLinks.AsNoTracking().Where(l => l.ConnectionId == active.Id && l.PortalTicketId == number)
                .OrderByDescending(l => l.CreatedAt).Select(l => (long?)l.Id).FirstOrDefaultAsync(cancellationToken);
        }

        return id is null ? null : await GetAsync(id.Value, cancellationToken);
    }

    /// <summary>Marks one ticket for a full look and queues its sync at once; both sides are read afresh.</summary>
    public async Task<TicketCommandResult> ResyncAsync(long id, string actor, CancellationToken cancellationToken)
    {
        var (connectionId, refusal) = await SyncableConnectionAsync(cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        // Marked first, so the next scheduled run looks at it even if this resync finds another run busy.
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var marked = await db.TicketLinks.Where(l => l.Id == id && l.ConnectionId == connectionId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.PortalDirty, true).SetProperty(l => l.PsaDirty, l => l.PsaTicketId != null), cancellationToken);
        if (marked == 0)
        {
            return new(false, "This ticket belongs to a PSA connection that is no longer active.");
        }

        jobs.Enqueue<TicketSyncJob>(j => j.ResyncAsync(connectionId, id, actor, CancellationToken.None));
        return new(true, "The ticket's sync has been queued; its ledger below shows what it did.");
    }

    /// <summary>Queues a ticket sync run of the active connection now.</summary>
    public async Task<TicketCommandResult> SyncNowAsync(string actor, CancellationToken cancellationToken)
    {
        var (connectionId, refusal) = await SyncableConnectionAsync(cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        jobs.Enqueue<TicketSyncJob>(j => j.RunAsync(connectionId, SyncTrigger.Manual, actor, CancellationToken.None));
        return new(true, "A ticket sync has been queued; the list refreshes when it has run.");
    }

    /// <summary>Whether the ticket sync is switched on for the active connection.</summary>
    public async Task<bool> IsSyncEnabledAsync(CancellationToken cancellationToken) => (await SyncableConnectionAsync(cancellationToken)).Refusal is null;

    /// <summary>The active connection when its ticket sync is switched on; otherwise why a sync cannot be asked for.</summary>
    private async Task<(Guid ConnectionId, TicketCommandResult? Refusal)> SyncableConnectionAsync(CancellationToken cancellationToken)
    {
        var active = await connections.GetActiveAsync(cancellationToken);
        if (active is null)
        {
            return (Guid.Empty, new(false, "No PSA is connected: connect one on the Integration page first."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AdvancedSettings.AnyAsync(s => s.ConnectionId == active.Id && s.SyncEnabled, cancellationToken)
            ? (active.Id, null)
            : (active.Id, new(false, "The ticket sync is switched off: an admin switches it on in Advanced Settings."));
    }

    /// <summary>
    /// The active connection's latest ticket sync run that started at or after <paramref name="since"/> (the click on
    /// "Sync now"), or null while none has. A run that was skipped because another one held the lock (typically started by
    /// another server) comes with that run while it is still running, so the page can follow it to its end. Start times
    /// are compared, not finish times: a run that ended just after the click may have started before it.
    /// </summary>
    public async Task<TicketRunState?> LastRunAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var active = await connections.GetActiveAsync(cancellationToken);
        if (active is null)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tickets = db.SyncRuns.AsNoTracking().Where(r => r.ConnectionId == active.Id && r.Kind == SyncRunKind.Tickets);
        var last = await tickets.Where(r => r.StartedAt >= since).OrderByDescending(r => r.StartedAt).ThenBy(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return null;
        }

        TicketRunState? running = null;
        if (last.Status == SyncRunStatus.Skipped
            && await tickets.Where(r => r.Status == SyncRunStatus.Running).OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(cancellationToken) is { } busy)
        {
            running = State(busy, null);
        }

        return State(last, running);

        static TicketRunState State(SyncRun run, TicketRunState? alreadyRunning) =>
            new(run.Id, run.StartedAt, run.Status, run.Trigger == SyncTrigger.Scheduled ? "the schedule" : run.StartedBy ?? "someone", alreadyRunning);
    }

    private static IQueryable<TicketRow> Rows(EasyConnectDbContext db, IQueryable<TicketLink> links) => links.Select(l => new TicketRow(
        l.Id, l.PortalTicketId, l.PsaTicketId, l.PortalSubject, l.PsaSummary,
        db.PsaCompanies.Where(c => c.ConnectionId == l.ConnectionId && c.PsaId == l.PsaCompanyId).Select(c => c.Name).FirstOrDefault(),
        db.PsaStatuses.Where(s => s.ConnectionId == l.ConnectionId && s.PsaId == l.PsaStatusId).Select(s => s.Name).FirstOrDefault(),
        db.PsaPriorities.Where(p => p.ConnectionId == l.ConnectionId && p.PsaId == l.PsaPriorityId).Select(p => p.Name).FirstOrDefault(),
        l.PortalStatus, l.LastSyncedAt, l.HeldReason, l.ConflictAt, l.LastError,
        db.PsaConfigurations.Where(c => c.ConnectionId == l.ConnectionId && c.PsaId == l.ConfigurationId).Select(c => c.Name).FirstOrDefault()));
}

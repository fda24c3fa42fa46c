using EasyConnect.Sync.Http;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Tickets.Engine;
using EasyConnect.Sync.Runs;
using Medallion.Threading.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EasyConnect.Sync.Tickets;

/// <summary>What to run.</summary>
/// <param name="OnlyTicketId">Resync one ticket (a <see cref="TicketLink"/> id): both sides are read afresh, nothing else is looked at.</param>
public sealed record TicketSyncRequest(SyncTrigger Trigger = SyncTrigger.Scheduled, string? StartedBy = null, long? OnlyTicketId = null);

/// <summary>What a run did.</summary>
/// <param name="Examined">Tickets looked at (changed on either side, held, or with something unfinished).</param>
/// <param name="Written">Tickets on which something was written to either side.</param>
/// <param name="Waiting">Tickets whose earlier write timed out and may still arrive.</param>
public sealed record TicketSyncCounts(
    int PortalTicketsRead, int PsaTicketsRead, int Examined, int Written, int Created, int Updated,
    int CommentsToNotes, int NotesToComments, int Held, int Failed, int Waiting);

/// <summary>How a run ended.</summary>
public sealed record TicketSyncResult(Guid RunId, SyncRunStatus Status, TicketSyncCounts Counts, long ApiCalls, string? Message);

/// <summary>
/// The ticket sync of one PSA connection and the active portal (DESIGN §3). A run reads what changed on the portal (its export
/// cursor) and on the PSA (tickets modified since the last read), marks those tickets, then syncs every ticket that changed, is
/// held or has something unfinished, several at once. One run per connection at a time across every process (a PostgreSQL advisory
/// lock of its own, so it never waits for the mirror); each run is recorded as a <see cref="SyncRunKind.Tickets"/> sync run.
/// </summary>
public sealed class TicketSyncEngine(
    IDbContextFactory<EasyConnectDbContext> dbFactory,
    IPsaClientProvider psaClients,
    IPortalClientProvider portalClients,
    TicketLookups lookups,
    IOptionsMonitor<TicketSyncOptions> options,
    IOptionsMonitor<PsaSyncOptions> mirrorOptions,
    TimeProvider clock,
    ILogger<TicketSyncEngine> logger)
{
    private readonly SyncRunRecorder _runs = new(dbFactory, clock);

    /// <summary>The advisory lock every ticket sync run of a connection takes.</summary>
    public static PostgresAdvisoryLockKey LockKey(Guid connectionId) => SyncRunLane.Tickets.LockKey(connectionId);

    /// <summary>Runs the ticket sync; never throws for PSA, portal or data errors (they end up on the run and the tickets), only for cancellation.</summary>
    public async Task<TicketSyncResult> RunAsync(Guid connectionId, TicketSyncRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A resync of one ticket may wait for a scheduled run to end; a scheduled run that finds another one busy just skips.
        await using var handle = await _runs.TryLockAsync(SyncRunLane.Tickets, connectionId,
            request.OnlyTicketId is null ? TimeSpan.Zero : TimeSpan.FromMinutes(2), cancellationToken);
        if (handle is null)
        {
            return await RecordAsync(connectionId, request, SyncRunStatus.Skipped, "Skipped: another ticket sync of this connection was in progress.", cancellationToken);
        }

        AdvancedSettings? settings;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            settings = await db.AdvancedSettings.AsNoTracking().SingleOrDefaultAsync(s => s.ConnectionId == connectionId, cancellationToken);
        }

        if (settings is not { SyncEnabled: true })
        {
            return await RecordAsync(connectionId, request, SyncRunStatus.Skipped,
                "Skipped: the ticket sync is switched off. An admin switches it on in Advanced Settings once the maps are confirmed.", cancellationToken);
        }

        var portal = await portalClients.GetActiveAsync(cancellationToken);
        if (portal is not { } active)
        {
            return await RecordAsync(connectionId, request, SyncRunStatus.Failed, "No Support Portal is connected: connect one on the Integration page.", cancellationToken);
        }

        var run = await StartRunAsync(connectionId, request, cancellationToken);
        IPsaClient? psa = null;
        var portalRead = 0;
        var psaRead = 0;
        TicketRun? context = null;
        var errors = new List<string>();
        string? fatal = null;
        var refused = false;
        try
        {
            psa = await psaClients.GetClientAsync(connectionId, cancellationToken);
            context = new TicketRun(connectionId, run.Id, settings, psa, active.Client, options.CurrentValue, lookups);
            if (request.OnlyTicketId is null)
            {
                portalRead = await ReadPortalChangesAsync(context, active.Connection, cancellationToken);
                psaRead = await ReadPsaChangesAsync(context, active.Connection.Id, cancellationToken);
            }

            var work = request.OnlyTicketId is { } only ? [only] : await WorkAsync(connectionId, active.Connection.Id, context.Options.MaxTicketsPerRun, cancellationToken);
            fatal = await SyncTicketsAsync(context, work, request.OnlyTicketId is not null, errors, cancellationToken);
            if (request.OnlyTicketId is null && fatal is null && context.Counters.Written > 0)
            {
                // Read the changes once more, so the cursors move past this run's own writes (recognised, not synced again) and the
                // next run asks only for newer changes; anyone else's change found here is marked for the next run.
                await ReadPortalChangesAsync(context, active.Connection, cancellationToken);
                await ReadPsaChangesAsync(context, active.Connection.Id, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            refused = e is PsaException { Kind: RemoteErrorKind.AuthenticationFailed } or PortalException { Kind: RemoteErrorKind.AuthenticationFailed };
            fatal = e switch
            {
                PsaException or PortalException or InvalidOperationException => e.Message,
                Npgsql.NpgsqlException => $"The EasyConnect database failed: {e.Message}",
                _ => $"Unexpected error: {e.Message}",
            };
            logger.LogWarning(e, "Ticket sync of connection {Connection} failed", connectionId);
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(run.Id, SyncRunStatus.Failed, Counts(context, portalRead, psaRead), ApiCalls(psa, active.Client),
                "The run was stopped (the server was shutting down). What it wrote is recorded; the next run finishes the rest without writing anything twice.",
                CancellationToken.None);
            throw;
        }

        var counts = Counts(context, portalRead, psaRead);
        var status = fatal is null && counts.Failed == 0 ? SyncRunStatus.Succeeded : SyncRunStatus.Failed;
        var message = Describe(counts, fatal, errors, psa is null ? "the PSA" : TicketText.PsaName(psa.Kind));
        if (context?.PortalReadFrom is { } from && fatal is null)
        {
            message += $" This run read the portal from the start: tickets changed since {from.UtcDateTime:yyyy-MM-dd HH:mm} UTC. " +
                "Older portal tickets join when they next change; an admin brings them in sooner with \"Bring in older tickets\" on the Tickets page.";
        }

        var calls = ApiCalls(psa, active.Client);
        await FinishAsync(run.Id, status, counts, calls, message, CancellationToken.None, refused ? RunFailureCause.Credentials : null);
        logger.LogInformation("Ticket sync of connection {Connection} ended {Status}: {Examined} tickets looked at, {Written} written, {Held} newly held, {Failed} failed, {Calls} API calls",
            connectionId, status, counts.Examined, counts.Written, counts.Held, counts.Failed, calls);
        return new TicketSyncResult(run.Id, status, counts, calls, message);
    }

    /// <summary>Reads the portal's changed tickets page by page; each page's tickets are marked and the cursor moved in one transaction.</summary>
    private async Task<int> ReadPortalChangesAsync(TicketRun run, PortalConnection portal, CancellationToken cancellationToken)
    {
        string? cursor;
        DateTimeOffset? requestedFrom;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var stored = await db.TicketSyncCursors.AsNoTracking().SingleOrDefaultAsync(c => c.ConnectionId == run.ConnectionId, cancellationToken);
            // Another portal account's cursor means nothing here: start afresh.
            var same = stored?.PortalConnectionId == portal.Id;
            cursor = same ? stored!.PortalCursor : null;
            requestedFrom = same && cursor is null ? stored!.PortalReadsFrom : null;
        }

        var read = 0;
        var start = requestedFrom ?? clock.GetUtcNow() - run.Options.FirstRunReach;
        if (cursor is null)
        {
            run.PortalReadFrom = start;
        }

        await foreach (var page in run.Portal.ReadChangedTicketsAsync(cursor, start, cancellationToken))
        {
            read += page.Tickets.Count;
            if (page.Tickets.Count == 0 && (page.Cursor is null || page.Cursor == cursor))
            {
                // Nothing changed and the cursor stays: a quiet run writes nothing here.
                continue;
            }

            cursor = page.Cursor ?? cursor;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var latest = page.Tickets.GroupBy(t => t.Id).Select(g => g.MaxBy(t => t.UpdatedAt)!).ToList();
            var ids = latest.Select(t => t.Id).ToList();
            var links = await db.TicketLinks
                .Where(l => l.ConnectionId == run.ConnectionId && l.PortalConnectionId == portal.Id && ids.Contains(l.PortalTicketId))
                .ToDictionaryAsync(l => l.PortalTicketId, StringComparer.Ordinal, cancellationToken);
            foreach (var ticket in latest)
            {
                if (!links.TryGetValue(ticket.Id, out var link))
                {
                    if (ticket.Status == PortalStatus.Deleted)
                    {
                        continue;
                    }

                    link = new TicketLink { ConnectionId = run.ConnectionId, PortalConnectionId = portal.Id, PortalTicketId = ticket.Id, CreatedAt = clock.GetUtcNow() };
                    db.TicketLinks.Add(link);
                }
                else if (ticket.UpdatedAt < link.PortalUpdatedAt || OwnWrites.IsOwn(link, ticket))
                {
                    // An older copy of the ticket, or exactly what EasyConnect's own last write left: nothing to sync.
                    continue;
                }

                TicketSnapshots.Apply(link, ticket);
                OwnWrites.SeenPortal(link, ticket);
                link.PortalDirty = true;
            }

            var row = await db.TicketSyncCursors.SingleOrDefaultAsync(c => c.ConnectionId == run.ConnectionId, cancellationToken);
            if (row is null)
            {
                row = new TicketSyncCursor { ConnectionId = run.ConnectionId };
                db.TicketSyncCursors.Add(row);
            }

            if (row.PortalCursor is null || row.PortalConnectionId != portal.Id)
            {
                row.PortalReadsFrom = start;
            }

            row.PortalConnectionId = portal.Id;
            row.PortalCursor = page.Cursor ?? row.PortalCursor;
            row.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return read;
    }

    /// <summary>
    /// Reads the PSA tickets changed since the last read (minus an overlap) and marks the linked ones that someone changed. PSA-side
    /// changes of summary, priority and status are noted in the ledger as not synced: those fields go from the portal to the PSA only.
    /// </summary>
    private async Task<int> ReadPsaChangesAsync(TicketRun run, Guid portalConnectionId, CancellationToken cancellationToken)
    {
        DateTimeOffset? newest;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            newest = await db.TicketSyncCursors.Where(c => c.ConnectionId == run.ConnectionId).Select(c => c.PsaModifiedAfter).SingleOrDefaultAsync(cancellationToken);
            // Before the first PSA ticket is linked no PSA change can matter; after it, changes count from when it was linked.
            newest ??= await db.TicketLinks.Where(l => l.ConnectionId == run.ConnectionId && l.PsaTicketId != null)
                .MinAsync(l => (DateTimeOffset?)l.CreatedAt, cancellationToken);
        }

        // The same read keeps the mirror's ticket rows (one read of changed PSA tickets per cycle), so it starts no later than the
        // mirror's own would; with no feed (a mirror run holds the lock, or the mirror has no tickets yet) the mirror reads them itself.
        await using var feed = await MirrorTicketFeed.OpenAsync(await _runs.ConnectionStringAsync(cancellationToken), run.ConnectionId, run.RunId,
            mirrorOptions.CurrentValue, cancellationToken);
        if (newest is null && feed is null)
        {
            return 0;
        }

        var after = newest is { } from ? from - run.Options.PsaOverlap : feed!.ReadFrom;
        after = feed is not null && feed.ReadFrom < after ? feed.ReadFrom : after;
        var read = 0;
        var psaName = TicketText.PsaName(run.Kind);
        await foreach (var page in run.Psa.ReadAsync(PsaEntity.Tickets, after, cancellationToken))
        {
            var tickets = page.OfType<PsaTicket>().ToList();
            read += tickets.Count;
            if (feed is not null)
            {
                await feed.UpsertAsync(page, clock.GetUtcNow(), cancellationToken);
            }

            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var ids = tickets.Select(t => t.Id).ToList();
            // What was seen of each linked ticket, as a narrow projection: in a quiet run every ticket of the overlap is one already seen,
            // and only the ones to mark are loaded whole.
            var seen = await db.TicketLinks.AsNoTracking()
                .Where(l => l.ConnectionId == run.ConnectionId && l.PortalConnectionId == portalConnectionId && ids.Contains(l.PsaTicketId!))
                .Select(l => new PsaSeen(l.PsaTicketId!, l.PsaLastModified, l.PsaRecheck, l.PsaOwnStamp, l.PsaOwnBy,
                    l.PsaSummary, l.PsaStatusId, l.PsaPriorityId, l.PsaCompanyId, l.PsaBoardId))
                .ToDictionaryAsync(l => l.Id, StringComparer.Ordinal, cancellationToken);
            // A ticket re-read only because it lies in the overlap, with the time already seen and no second look owed, costs no call:
            // held tickets, failed ones and unfinished writes are picked up by WorkAsync whatever the read says.
            var own = run.Unstamped.IsEmpty ? null : await UnstampedWrites.ConfirmAsync(run, db, tickets, cancellationToken);
            var changed = tickets
                .Where(t => own?.Contains(t.Id) != true && seen.TryGetValue(t.Id, out var s)
                    && (s.LastModified is not { } at || t.LastModified > at
                        || (t.LastModified == at && (s.Recheck || OwnWrites.IsForeignInOwnSecond(s, t)))))
                .ToList();
            var changedIds = changed.Select(t => t.Id).ToList();
            var links = changed.Count == 0
                ? []
                : await db.TicketLinks.Where(l => l.ConnectionId == run.ConnectionId && l.PortalConnectionId == portalConnectionId && changedIds.Contains(l.PsaTicketId!))
                    .ToDictionaryAsync(l => l.PsaTicketId!, StringComparer.Ordinal, cancellationToken);
            foreach (var ticket in changed)
            {
                var link = links[ticket.Id];
                var moved = link.PsaLastModified is not { } last || ticket.LastModified > last;
                NoteIgnoredChanges(db, run, link, ticket, psaName);
                TicketSnapshots.Apply(link, ticket);
                OwnWrites.ForgetPsa(link);
                link.PsaDirty = true;
                // A change found in the second of EasyConnect's own write may not be the last one of that second: look once more, as when the time moves.
                link.PsaRecheck = moved || OwnWrites.IsForeignInOwnSecond(seen[ticket.Id], ticket);
                link.PsaLastModified = ticket.LastModified;
            }

            var pageNewest = tickets.Count == 0 ? (DateTimeOffset?)null : tickets.Max(t => t.LastModified);
            var row = await db.TicketSyncCursors.SingleOrDefaultAsync(c => c.ConnectionId == run.ConnectionId, cancellationToken);
            if (row is null)
            {
                row = new TicketSyncCursor { ConnectionId = run.ConnectionId };
                db.TicketSyncCursors.Add(row);
            }

            if (pageNewest > row.PsaModifiedAfter || row.PsaModifiedAfter is null)
            {
                row.PsaModifiedAfter = pageNewest ?? row.PsaModifiedAfter;
            }

            if (!db.ChangeTracker.HasChanges())
            {
                // Only tickets already seen, and the cursor stays: a quiet run writes nothing here.
                continue;
            }

            row.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        if (feed is not null)
        {
            await feed.FinishAsync(clock.GetUtcNow(), cancellationToken);
        }

        return read;
    }

    private void NoteIgnoredChanges(EasyConnectDbContext db, TicketRun run, TicketLink link, PsaTicket ticket, string psaName)
    {
        void Note(string subject, string detail) => db.TicketLedger.Add(new TicketLedgerEntry
        {
            ConnectionId = run.ConnectionId, TicketLinkId = link.Id, At = clock.GetUtcNow(), Direction = SyncDirection.None, Subject = subject,
            Result = LedgerResult.NotSynced, PsaId = ticket.Id, Detail = detail, RunId = run.RunId,
        });

        if (link.PsaPriorityId is not null && ticket.PriorityId != link.PsaPriorityId)
        {
            Note("Priority", $"The priority was changed in {psaName}; priority goes from the portal to {psaName} only, so the portal keeps \"{link.PortalPriority ?? "none"}\".");
        }

        if (link.PsaStatusId is not null && ticket.StatusId != link.PsaStatusId)
        {
            Note("Status", $"The status was changed in {psaName}; status goes from the portal to {psaName} only, so the portal keeps \"{link.PortalStatus}\".");
        }

        if (link.PsaSummary is not null && ticket.Summary != link.PsaSummary)
        {
            Note("Subject", $"The summary was changed in {psaName}; the subject goes from the portal to {psaName} only, so the portal keeps its subject.");
        }
    }

    /// <summary>The tickets that need a look: changed on either side, held, failed, not fully linked, or with a write not yet confirmed.</summary>
    private async Task<IReadOnlyList<long>> WorkAsync(Guid connectionId, Guid portalConnectionId, int max, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.TicketLinks.AsNoTracking()
            .Where(l => l.ConnectionId == connectionId && l.PortalConnectionId == portalConnectionId
                && (l.PortalDirty || l.PsaDirty || l.HeldReason != null || l.LastError != null || (l.PsaTicketId != null && !l.ExternalIdSet)
                    || db.SyncIntents.Any(i => i.TicketLinkId == l.Id && i.State == IntentState.Pending)))
            .OrderBy(l => l.Id)
            .Select(l => l.Id)
            .Take(max)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Syncs the tickets several at once (up to twice the PSA connection's requests in flight); returns a fatal error, if any.</summary>
    private async Task<string?> SyncTicketsAsync(TicketRun run, IReadOnlyList<long> work, bool refresh, List<string> errors, CancellationToken cancellationToken)
    {
        string? fatal = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parallel = new ParallelOptions
        {
            // A ticket spends part of its time on the portal and the database; twice as many tickets as the PSA's slots keeps
            // those slots busy, while the PSA client itself never lets more than MaxConcurrency requests be in flight.
            MaxDegreeOfParallelism = Math.Max(1, Math.Min(run.Options.MaxParallelTickets, 2 * run.Psa.MaxConcurrency)),
            CancellationToken = stop.Token,
        };
        var lastReport = clock.GetUtcNow().Ticks;
        try
        {
            await Parallel.ForEachAsync(work, parallel, async (id, token) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(token);
                var (outcome, error) = await TicketPass.RunAsync(run, db, clock, id, refresh, token);
                await ReportProgressAsync(run, work.Count, ref lastReport, token);
                if (outcome is TicketPassOutcome.Failed or TicketPassOutcome.Fatal && error is not null)
                {
                    lock (errors)
                    {
                        errors.Add(error);
                    }
                }

                if (outcome == TicketPassOutcome.Fatal)
                {
                    fatal ??= error;
                    // Wrong credentials or a missing permission fail every ticket the same way: stop, and say it once.
                    await stop.CancelAsync();
                }
            });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && fatal is not null)
        {
            // Stopped because of the fatal error above.
        }

        return fatal;
    }

    /// <summary>
    /// Stores the run's counts for the Sync runs page, at most once a second (whichever ticket pass finds the second past claims
    /// the report, so parallel passes never write it twice).
    /// </summary>
    private Task ReportProgressAsync(TicketRun run, int expected, ref long lastReport, CancellationToken cancellationToken)
    {
        var last = Interlocked.Read(ref lastReport);
        var now = clock.GetUtcNow();
        if (now.Ticks - last < ProgressEvery.Ticks || Interlocked.CompareExchange(ref lastReport, now.Ticks, last) != last)
        {
            return Task.CompletedTask;
        }

        var c = run.Counters;
        return _runs.ProgressAsync(run.RunId,
            [new SyncRunEntityCounts(PsaEntity.Tickets, c.Examined, c.Written, Notes: c.CommentsToNotes + c.NotesToComments, Held: c.Held, Expected: expected)],
            run.Psa.ApiCalls + run.Portal.ApiCalls, cancellationToken);
    }

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);

    private static TicketSyncCounts Counts(TicketRun? run, int portalRead, int psaRead)
    {
        var c = run?.Counters;
        return new TicketSyncCounts(portalRead, psaRead, c?.Examined ?? 0, c?.Written ?? 0, c?.Created ?? 0, c?.Updated ?? 0,
            c?.CommentsToNotes ?? 0, c?.NotesToComments ?? 0, c?.Held ?? 0, c?.Failed ?? 0, c?.Waiting ?? 0);
    }

    private static long ApiCalls(IPsaClient? psa, IPortalClient portal) => (psa?.ApiCalls ?? 0) + portal.ApiCalls;

    /// <summary>The run's outcome in a sentence or two, for the Sync runs page.</summary>
    internal static string Describe(TicketSyncCounts c, string? fatal, IReadOnlyList<string> errors, string psa)
    {
        var parts = new List<string>
        {
            $"{c.Examined} {Plural(c.Examined, "ticket")} looked at ({c.PortalTicketsRead} changed in the portal, {c.PsaTicketsRead} read from {psa})",
        };
        if (c.Created > 0)
        {
            parts.Add($"{c.Created} {psa} {Plural(c.Created, "ticket")} created");
        }

        if (c.Updated > 0)
        {
            parts.Add($"{c.Updated} updated");
        }

        if (c.CommentsToNotes > 0)
        {
            parts.Add($"{c.CommentsToNotes} {Plural(c.CommentsToNotes, "comment")} became {Plural(c.CommentsToNotes, "note")}");
        }

        if (c.NotesToComments > 0)
        {
            parts.Add($"{c.NotesToComments} {Plural(c.NotesToComments, "note")} became {Plural(c.NotesToComments, "comment")}");
        }

        if (c.Held > 0)
        {
            parts.Add($"{c.Held} newly held (see Tickets)");
        }

        if (c.Waiting > 0)
        {
            parts.Add($"{c.Waiting} waiting for an earlier write to arrive");
        }

        var text = string.Join("; ", parts) + ".";
        if (fatal is not null)
        {
            text = $"{fatal} {text}";
        }
        else if (c.Failed > 0)
        {
            text += $" {c.Failed} {Plural(c.Failed, "ticket")} failed and {(c.Failed == 1 ? "is" : "are")} tried again on the next run: " +
                string.Join(" ", errors.Distinct().Take(3)) + (errors.Distinct().Count() > 3 ? " …" : "");
        }

        return text;
    }

    private static string Plural(int count, string word) => count == 1 ? word : word + "s";

    private Task<SyncRun> StartRunAsync(Guid connectionId, TicketSyncRequest request, CancellationToken cancellationToken) =>
        _runs.StartAsync(SyncRunLane.Tickets, new SyncRun
        {
            ConnectionId = connectionId, Kind = SyncRunKind.Tickets, Trigger = request.Trigger, StartedBy = request.StartedBy,
        }, "The run stopped before it finished (its process ended or was restarted). The next run finished the rest without writing anything twice.", cancellationToken);

    private Task FinishAsync(
        Guid runId, SyncRunStatus status, TicketSyncCounts counts, long apiCalls, string? message, CancellationToken cancellationToken, RunFailureCause? cause = null) =>
        _runs.FinishAsync(runId, status,
            [new SyncRunEntityCounts(PsaEntity.Tickets, counts.Examined, counts.Written, 0, 0, status == SyncRunStatus.Failed ? message : null,
                counts.CommentsToNotes + counts.NotesToComments, counts.Held)],
            apiCalls, message, cancellationToken, cause);

    private async Task<TicketSyncResult> RecordAsync(Guid connectionId, TicketSyncRequest request, SyncRunStatus status, string message, CancellationToken cancellationToken)
    {
        var run = await _runs.RecordEndedAsync(new SyncRun
        {
            ConnectionId = connectionId, Kind = SyncRunKind.Tickets, Trigger = request.Trigger, Status = status, StartedBy = request.StartedBy, Message = message,
        }, cancellationToken);
        return new TicketSyncResult(run.Id, status, new TicketSyncCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0, message);
    }
}

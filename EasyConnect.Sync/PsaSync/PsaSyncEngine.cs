using EasyConnect.Sync.Http;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Runs;
using Medallion.Threading.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EasyConnect.Sync.PsaSync;

/// <summary>What to run.</summary>
/// <param name="ConfirmsRunId">A full run held back by the mass-delete guard whose deletion an admin confirmed.</param>
/// <param name="Entities">Only these entities (all when null); the benchmark mirrors configurations alone.</param>
public sealed record SyncRunRequest(
    SyncRunKind Kind, SyncTrigger Trigger = SyncTrigger.Scheduled, Guid? ConfirmsRunId = null, string? StartedBy = null,
    IReadOnlyList<PsaEntity>? Entities = null);

/// <summary>How a run ended.</summary>
/// <param name="WriteTime">Time spent writing to PostgreSQL (upserts, deletes, cursors).</param>
public sealed record SyncRunResult(
    Guid RunId, SyncRunStatus Status, IReadOnlyList<SyncRunEntityCounts> Entities, long ApiCalls, string? Message, TimeSpan WriteTime)
{
    /// <summary>The counts of one entity (zeros when it was not run).</summary>
    public SyncRunEntityCounts For(PsaEntity entity) => Entities.FirstOrDefault(e => e.Entity == entity) ?? new(entity);
}

/// <summary>
/// Mirrors a PSA connection's reference data and tickets into PostgreSQL: incremental runs read what changed since
/// the cursor (minus an overlap) and move it only with committed pages; full runs read everything and delete what the
/// PSA no longer has, unless a read failed or the deletion looks implausible. One run per connection at a time across
/// every process (a PostgreSQL advisory lock); a run that finds the lock taken is recorded as Skipped.
/// </summary>
public sealed class PsaSyncEngine(
    IDbContextFactory<EasyConnectDbContext> dbFactory,
    IPsaClientProvider clients,
    IOptionsMonitor<PsaSyncOptions> options,
    TimeProvider clock,
    ILogger<PsaSyncEngine> logger)
{
    private readonly SyncRunRecorder _runs = new(dbFactory, clock);

    /// <summary>The advisory lock every run of a connection takes, whatever its kind.</summary>
    public static PostgresAdvisoryLockKey LockKey(Guid connectionId) => SyncRunLane.Mirror.LockKey(connectionId);

    /// <summary>Runs the mirror for one connection; never throws for PSA or data errors (they end up on the run), only for cancellation.</summary>
    public async Task<SyncRunResult> RunAsync(Guid connectionId, SyncRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var connectionString = await _runs.ConnectionStringAsync(cancellationToken);
        // Full and incremental runs write the same rows, so they share one lock: a full run's delete must not race an incremental upsert.
        await using var handle = await _runs.TryLockAsync(SyncRunLane.Mirror, connectionId, TimeSpan.Zero, cancellationToken);
        if (handle is null)
        {
            return await RecordSkippedAsync(connectionId, request, cancellationToken);
        }

        var settings = options.CurrentValue;
        var run = await StartRunAsync(connectionId, request, cancellationToken);
        var counts = new List<SyncRunEntityCounts>();
        var writeTime = TimeSpan.Zero;
        IPsaClient? client = null;
        var messages = new List<string>();
        var refused = false;
        try
        {
            client = await clients.GetClientAsync(connectionId, cancellationToken);
            var allowDelete = await EntitiesToConfirmAsync(request.ConfirmsRunId, cancellationToken);
            var lastReport = clock.GetUtcNow();
            foreach (var table in MirrorTables.All.Where(t => request.Entities is null || request.Entities.Contains(t.Entity)))
            {
                var entity = new EntityRun(table.Entity);
                // The Sync runs page shows a running run's counts, at most once a second (a quiet run ends before it writes any).
                async Task PageAsync()
                {
                    if (clock.GetUtcNow() - lastReport >= ProgressEvery)
                    {
                        lastReport = clock.GetUtcNow();
                        await _runs.ProgressAsync(run.Id, [.. counts, entity.ToCounts()], client.ApiCalls, cancellationToken);
                    }
                }

                if (request.Kind == SyncRunKind.Full)
                {
                    // The progress bar of a full run measures against what the PSA says it has; one count call per entity.
                    entity.Expected = await ExpectedAsync(client, table.Entity, cancellationToken);
                }

                try
                {
                    await using var writer = await MirrorWriter.OpenAsync(connectionString, table, connectionId, run.Id, cancellationToken,
                        onlyChanged: request.Kind != SyncRunKind.Full);
                    try
                    {
                        if (request.Kind == SyncRunKind.Full)
                        {
                            await RunFullAsync(client, writer, entity, run.StartedAt, allowDelete.Contains(table.Entity), settings, PageAsync, cancellationToken);
                        }
                        else if (!PsaProducts.Get(client.Kind).Capabilities(table.Entity).HasLastModified)
                        {
                            await RunRefreshAsync(client, writer, entity, settings, PageAsync, cancellationToken);
                        }
                        else
                        {
                            await RunIncrementalAsync(client, writer, entity, connectionId, settings, PageAsync, cancellationToken);
                        }
                    }
                    finally
                    {
                        writeTime += writer.WriteTime;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    refused |= IsRefusal(e);
                    entity.Error = Plain(e, table.Entity);
                    logger.LogWarning(e, "PSA mirror of {Entity} for connection {Connection} failed", table.Entity, connectionId);
                }

                counts.Add(entity.ToCounts());
                if (entity.Error is not null && IsFatal(entity.Error, client))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            refused |= IsRefusal(e);
            messages.Add(Plain(e, null));
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(run.Id, SyncRunStatus.Failed, counts, client?.ApiCalls ?? 0,
                "The run was cancelled (the server was shutting down). What it committed stays; the next run continues from there.", CancellationToken.None);
            throw;
        }

        messages.AddRange(counts.Where(c => c.Error is not null).Select(c => $"{c.Entity}: {c.Error}"));
        var held = counts.Where(c => c.WouldDelete > 0).ToList();
        var status = messages.Count > 0 ? SyncRunStatus.Failed : held.Count > 0 ? SyncRunStatus.NeedsConfirmation : SyncRunStatus.Succeeded;
        if (held.Count > 0)
        {
            messages.Add("Nothing was deleted for " + string.Join(", ", held.Select(h => $"{h.Entity.ToString().ToLowerInvariant()} ({h.WouldDelete:N0} rows no longer in the PSA)")) +
                $": that is more than {settings.MassDeleteShare:P0} of what EasyConnect holds, which usually means a permission or filter changed in the PSA rather than real deletions. " +
                "Check the PSA; if the rows really are gone, an admin confirms the deletion on the Sync runs page.");
        }

        var message = messages.Count == 0 ? null : string.Join(" ", messages);
        await _runs.FinishAsync(run.Id, status, counts, client?.ApiCalls ?? 0, message, CancellationToken.None, refused ? RunFailureCause.Credentials : null);
        logger.LogInformation("PSA {Kind} sync of connection {Connection} ended {Status}: {Read} read, {Upserted} upserted, {Deleted} deleted, {Calls} API calls",
            request.Kind, connectionId, status, counts.Sum(c => c.Read), counts.Sum(c => c.Upserted), counts.Sum(c => c.Deleted), client?.ApiCalls ?? 0);
        return new SyncRunResult(run.Id, status, counts, client?.ApiCalls ?? 0, message, writeTime);
    }

    private async Task RunIncrementalAsync(
        IPsaClient client, MirrorWriter writer, EntityRun entity, Guid connectionId, PsaSyncOptions settings, Func<Task> onPage, CancellationToken cancellationToken)
    {
        RowKey? cursor;
        DateTimeOffset? movedAt;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var stored = await db.SyncCursors.AsNoTracking()
                .Where(c => c.ConnectionId == connectionId && c.Entity == entity.Entity)
                .Select(c => new { c.LastModified, c.LastId, c.UpdatedAt })
                .SingleOrDefaultAsync(cancellationToken);
            cursor = stored is null ? null : new RowKey(stored.LastModified, stored.LastId);
            movedAt = stored?.UpdatedAt;
        }

        var now = clock.GetUtcNow();
        var after = cursor is { } at ? ReadFrom(at.LastModified, movedAt!.Value, settings) : now - settings.FirstRunReach;
        var capabilities = PsaProducts.Get(client.Kind).Capabilities(entity.Entity);
        if (entity.Entity == PsaEntity.Tickets && movedAt is { } fed && await TicketSyncFeedsAsync(connectionId, fed, now, cancellationToken))
        {
            // The ticket sync's read of changed tickets keeps the mirror's tickets (MirrorTicketFeed): they are not read twice.
            // Deleted tickets are not among them, so the PSA's deletion log is still read.
            if (capabilities.DeletionLog)
            {
                await RemoveDeletedAsync(client, writer, entity, connectionId, after, settings, cancellationToken);
            }

            return;
        }

        // Where the order holds only within each parent (ConnectWise statuses, board by board), only the whole read has a safe maximum.
        var perPage = capabilities.OrderedByLastModified;
        await foreach (var page in ReadAheadAsync(client.ReadAsync(entity.Entity, after, cancellationToken), cancellationToken))
        {
            cursor = RowKey.Max(cursor, page.Count == 0 ? null : page.Max(RowKey.Of));
            entity.Read += page.Count;
            entity.Upserted += await writer.UpsertAsync(page, clock.GetUtcNow(), perPage ? cursor : null, cancellationToken);
            await onPage();
        }

        if (!perPage && cursor is { } end)
        {
            await writer.SetCursorAsync(end, clock.GetUtcNow(), cancellationToken);
        }

        if (capabilities.DeletionLog)
        {
            await RemoveDeletedAsync(client, writer, entity, connectionId, after, settings, cancellationToken);
        }
    }

    /// <summary>
    /// Removes the rows the PSA logged as deleted since the last mirror run that read this entity without error started (less the
    /// overlap): that run saw every deletion before. Not the cursor: the ticket sync's feed moves it without reading the log, and an
    /// idle PSA's old cursor would re-read months of deletions. With no such run, the log is read from where the row read started.
    /// </summary>
    private async Task RemoveDeletedAsync(
        IPsaClient client, MirrorWriter writer, EntityRun entity, Guid connectionId, DateTimeOffset fallback, PsaSyncOptions settings,
        CancellationToken cancellationToken)
    {
        var since = await LastReadAsync(connectionId, entity.Entity, cancellationToken) is { } last ? last - settings.Overlap : fallback;
        await foreach (var ids in client.ReadDeletedAsync(entity.Entity, since, cancellationToken))
        {
            entity.Deleted += await writer.DeleteAsync(ids, cancellationToken);
        }
    }

    /// <summary>When the newest finished mirror run that read <paramref name="entity"/> without error started, or null.</summary>
    private async Task<DateTimeOffset?> LastReadAsync(Guid connectionId, PsaEntity entity, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = await db.SyncRuns.AsNoTracking()
            .Where(r => r.ConnectionId == connectionId && r.FinishedAt != null && r.Kind != SyncRunKind.Tickets
                && (r.Status == SyncRunStatus.Succeeded || r.Status == SyncRunStatus.Failed || r.Status == SyncRunStatus.NeedsConfirmation))
            .OrderByDescending(r => r.StartedAt)
            .Take(50)
            .Select(r => new { r.StartedAt, r.EntitiesJson })
            .ToListAsync(cancellationToken);
        return runs.FirstOrDefault(r => new SyncRun { EntitiesJson = r.EntitiesJson }.Entities.Any(e => e.Entity == entity && e.Error is null))?.StartedAt;
    }

    /// <summary>
    /// An incremental run of an entity without stamps (Autotask resources and picklists): every row is read, only the changed ones
    /// are written, and the rows the PSA no longer has are deleted under the same mass-delete guard as a full run's.
    /// </summary>
    private async Task RunRefreshAsync(
        IPsaClient client, MirrorWriter writer, EntityRun entity, PsaSyncOptions settings, Func<Task> onPage, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var page in ReadAheadAsync(client.ReadAsync(entity.Entity, null, cancellationToken), cancellationToken))
        {
            seen.UnionWith(page.Select(r => r.Id));
            entity.Read += page.Count;
            entity.Upserted += await writer.UpsertAsync(page, clock.GetUtcNow(), null, cancellationToken);
            await onPage();
        }

        var (stored, unseen) = await writer.CountAsync(seen, cancellationToken);
        if (unseen == 0)
        {
            return;
        }

        if (Implausible(unseen, stored, settings))
        {
            entity.WouldDelete = unseen;
            return;
        }

        entity.Deleted += await writer.DeleteUnseenAsync(seen, cancellationToken);
    }

    private static bool Implausible(int unseen, int stored, PsaSyncOptions settings) =>
        unseen > settings.MassDeleteMinimum && unseen > settings.MassDeleteShare * stored;

    private async Task<bool> TicketSyncFeedsAsync(Guid connectionId, DateTimeOffset cursorMovedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var enabled = await db.AdvancedSettings.AnyAsync(s => s.ConnectionId == connectionId && s.SyncEnabled, cancellationToken);
        return MirrorTicketFeed.FeedsTheMirror(enabled, cursorMovedAt, now);
    }

    /// <summary>
    /// Where an incremental read starts. The overlap guards rows written late, around the time of the last read (and a PSA clock
    /// a little off ours); a cursor whose newest row was already old when it was read (a bulk import, an idle PSA) has nothing
    /// late to wait for, so the read starts after it and an idle PSA costs one empty page instead of re-reading every row.
    /// </summary>
    internal static DateTimeOffset ReadFrom(DateTimeOffset cursor, DateTimeOffset readAt, PsaSyncOptions settings) =>
        readAt - cursor > settings.Overlap + NearReadSlack ? cursor : cursor - settings.Overlap;

    // How far the PSA's clock may run behind ours and a row still count as written around the time of the read.
    private static readonly TimeSpan NearReadSlack = TimeSpan.FromHours(1);

    private async Task RunFullAsync(
        IPsaClient client, MirrorWriter writer, EntityRun entity, DateTimeOffset startedAt, bool confirmed, PsaSyncOptions settings, Func<Task> onPage,
        CancellationToken cancellationToken)
    {
        RowKey? newest = null;
        await foreach (var page in ReadAheadAsync(client.ReadAsync(entity.Entity, null, cancellationToken), cancellationToken))
        {
            // Rows changed after the run started may have been passed over (a full read goes by id), so the next incremental must still read them.
            foreach (var row in page.Where(r => r.LastModified <= startedAt))
            {
                newest = RowKey.Max(newest, RowKey.Of(row));
            }

            entity.Read += page.Count;
            entity.Upserted += await writer.UpsertAsync(page, clock.GetUtcNow(), null, cancellationToken);
            await onPage();
        }

        var (stored, unseen) = await writer.CountAsync(cancellationToken);
        var implausible = Implausible(unseen, stored, settings);
        if (implausible && !confirmed)
        {
            entity.WouldDelete = unseen;
        }

        entity.Deleted = await writer.FinishFullAsync(unseen > 0 && (!implausible || confirmed), newest, clock.GetUtcNow(), cancellationToken);
    }

    /// <summary>
    /// Asks the PSA for the next page while the caller writes the current one, so the reading and the writing overlap.
    /// Pages still come one at a time and in order; a failed read surfaces after the pages before it were handed out.
    /// </summary>
    private static async IAsyncEnumerable<IReadOnlyList<IPsaRecord>> ReadAheadAsync(
        IAsyncEnumerable<IReadOnlyList<IPsaRecord>> pages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var reader = pages.GetAsyncEnumerator(stop.Token);
        var next = reader.MoveNextAsync().AsTask();
        try
        {
            while (await next)
            {
                var page = reader.Current;
                next = reader.MoveNextAsync().AsTask();
                yield return page;
            }
        }
        finally
        {
            // A caller that stops early (its write failed) leaves a read in flight: it is cancelled, and awaited because the
            // reader cannot be disposed under it. WhenAny waits without throwing: that read's error is not the one to report.
            if (!next.IsCompleted)
            {
                await stop.CancelAsync();
            }

            await Task.WhenAny(next);
        }
    }

    private async Task<HashSet<PsaEntity>> EntitiesToConfirmAsync(Guid? confirmsRunId, CancellationToken cancellationToken)
    {
        if (confirmsRunId is not { } id)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var confirmed = await db.SyncRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return confirmed is null ? [] : [.. confirmed.Entities.Where(e => e.WouldDelete > 0).Select(e => e.Entity)];
    }

    private Task<SyncRun> StartRunAsync(Guid connectionId, SyncRunRequest request, CancellationToken cancellationToken) =>
        _runs.StartAsync(SyncRunLane.Mirror, new SyncRun
        {
            ConnectionId = connectionId, Kind = request.Kind, Trigger = request.Trigger, ConfirmsRunId = request.ConfirmsRunId, StartedBy = request.StartedBy,
        }, "The run stopped before it finished (its process ended or was restarted). What it committed stays; the next run continued from there.", cancellationToken);

    private Task FinishAsync(Guid runId, SyncRunStatus status, IReadOnlyList<SyncRunEntityCounts> counts, long apiCalls, string? message, CancellationToken cancellationToken) =>
        _runs.FinishAsync(runId, status, counts, apiCalls, message, cancellationToken);

    private async Task<SyncRunResult> RecordSkippedAsync(Guid connectionId, SyncRunRequest request, CancellationToken cancellationToken)
    {
        var busy = await _runs.RunningAsync(SyncRunLane.Mirror, connectionId, cancellationToken);
        var message = busy is null
            ? "Skipped: another run of this connection was in progress."
            : $"Skipped: {(busy.Kind == SyncRunKind.Incremental ? "an incremental" : "a full")} run of this connection, started {busy.StartedAt:u}, was still in progress.";
        var run = await _runs.RecordEndedAsync(new SyncRun
        {
            ConnectionId = connectionId, Kind = request.Kind, Trigger = request.Trigger, Status = SyncRunStatus.Skipped, StartedBy = request.StartedBy,
            ConfirmsRunId = request.ConfirmsRunId, Message = message,
        }, cancellationToken);
        return new SyncRunResult(run.Id, SyncRunStatus.Skipped, [], 0, message, TimeSpan.Zero);
    }

    /// <summary>How often a running run stores its counts for the Sync runs page.</summary>
    internal static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);

    /// <summary>What the PSA says it has of an entity, or null when it cannot say (the bar then shows counts only).</summary>
    private async Task<int?> ExpectedAsync(IPsaClient client, PsaEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CountAsync(entity, null, cancellationToken);
        }
        catch (PsaException e)
        {
            logger.LogInformation("The PSA could not count its {Entity} ({Reason}); the run's progress shows counts only", entity, e.Message);
            return null;
        }
    }

    private static bool IsFatal(string error, IPsaClient? client) => client is null || error.StartsWith(FatalPrefix, StringComparison.Ordinal);

    private const string FatalPrefix = "Sign-in failed: ";

    /// <summary>Whether the PSA refused the credentials (the alert then tells an admin to enter working keys).</summary>
    private static bool IsRefusal(Exception e) => e is PsaException { Kind: RemoteErrorKind.AuthenticationFailed };

    private static string Plain(Exception e, PsaEntity? entity) => e switch
    {
        // Wrong keys fail every entity the same way; saying it once, and stopping, reads better.
        PsaException { Kind: RemoteErrorKind.AuthenticationFailed } p => FatalPrefix + p.Message,
        PsaException p => p.Message,
        InvalidOperationException when entity is null => e.Message,
        Npgsql.NpgsqlException => $"The EasyConnect database failed while writing: {e.Message}",
        _ => $"Unexpected error{(entity is null ? "" : $" while mirroring {entity.Value.ToString().ToLowerInvariant()}")}: {e.Message}",
    };

    private sealed class EntityRun(PsaEntity entity)
    {
        public PsaEntity Entity { get; } = entity;

        public int Read { get; set; }

        public int Upserted { get; set; }

        public int Deleted { get; set; }

        public int WouldDelete { get; set; }

        public string? Error { get; set; }

        public int? Expected { get; set; }

        public SyncRunEntityCounts ToCounts() => new(Entity, Read, Upserted, Deleted, WouldDelete, Error, Expected: Expected);
    }
}

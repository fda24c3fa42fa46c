using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Tickets;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Runs;

/// <summary>The last run of one kind of job.</summary>
public sealed record JobHealth(SyncRunKind Kind, SyncRunStatus Status, DateTimeOffset At, string? Message);

/// <summary>One day of the Overview's charts.</summary>
/// <param name="Tickets">Tickets created or changed by the ticket sync.</param>
/// <param name="Notes">Comments and notes copied either way.</param>
/// <param name="AverageSeconds">How long a run took on average, per kind of run that ran that day.</param>
public sealed record DayHealth(DateOnly Day, int Tickets, int Notes, int Failures, IReadOnlyDictionary<SyncRunKind, double> AverageSeconds);

/// <summary>Health at a glance: what the Overview shows every role.</summary>
/// <param name="Connection">The active PSA connection's name, or null when none is connected.</param>
/// <param name="PortalConnected">Whether a Support Portal is connected.</param>
/// <param name="Days">The last 7 days, oldest first (today last).</param>
public sealed record RunHealth(
    string? Connection, bool PortalConnected, IReadOnlyList<JobHealth> Jobs, int HeldTickets, int FailedLast24Hours, IReadOnlyList<DayHealth> Days)
{
    /// <summary>The active PSA connection's id, when one is connected.</summary>
    public Guid? ConnectionId { get; init; }

    /// <summary>The active PSA connection's product, when one is connected.</summary>
    public EasyConnect.Sync.Psa.PsaKind? Kind { get; init; }
}

/// <summary>Reads <see cref="RunHealth"/>.</summary>
public interface IRunHealthReader
{
    /// <summary>The active connection's health now.</summary>
    Task<RunHealth> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>Reads the run history and the tickets of the active connection into <see cref="RunHealth"/>; no PSA or portal call.</summary>
public sealed class RunHealthReader(IDbContextFactory<EasyConnectDbContext> dbFactory, TimeProvider clock) : IRunHealthReader
{
    /// <summary>How many days the charts cover.</summary>
    public const int ChartDays = 7;

    /// <inheritdoc />
    public async Task<RunHealth> ReadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var active = await db.PsaConnections.AsNoTracking().Where(c => c.State == ConnectionState.Active)
            .Select(c => new { c.Id, c.DisplayName, c.Kind }).SingleOrDefaultAsync(cancellationToken);
        var portal = await db.PortalConnections.AsNoTracking().AnyAsync(c => c.State == ConnectionState.Active, cancellationToken);
        if (active is null)
        {
            return new RunHealth(null, portal, [], 0, 0, Empty(now));
        }

        var jobs = new List<JobHealth>();
        foreach (var kind in new[] { SyncRunKind.Tickets, SyncRunKind.Incremental, SyncRunKind.Full })
        {
            var last = await db.SyncRuns.AsNoTracking()
                .Where(r => r.ConnectionId == active.Id && r.Kind == kind && r.Status != SyncRunStatus.Skipped)
                .OrderByDescending(r => r.StartedAt).Select(r => new { r.Status, r.StartedAt, r.FinishedAt, r.Message })
                .FirstOrDefaultAsync(cancellationToken);
            if (last is not null)
            {
                jobs.Add(new JobHealth(kind, last.Status, last.FinishedAt ?? last.StartedAt, last.Message));
            }
        }

        var held = await db.TicketLinks.AsNoTracking().CountAsync(l => l.ConnectionId == active.Id && l.HeldReason != null, cancellationToken);
        var dayAgo = now.AddHours(-24);
        var failed = await db.SyncRuns.AsNoTracking().CountAsync(
            r => r.ConnectionId == active.Id && r.Status == SyncRunStatus.Failed && r.StartedAt > dayAgo, cancellationToken);

        var from = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1 - ChartDays), TimeSpan.Zero);
        var runs = await db.SyncRuns.AsNoTracking()
            .Where(r => r.ConnectionId == active.Id && r.StartedAt >= from && r.Status != SyncRunStatus.Skipped && r.Status != SyncRunStatus.Running)
            .Select(r => new { r.Kind, r.Status, r.StartedAt, r.FinishedAt, r.RowsUpserted, r.EntitiesJson })
            .ToListAsync(cancellationToken);
        var days = new List<DayHealth>();
        for (var d = 0; d < ChartDays; d++)
        {
            var day = DateOnly.FromDateTime(from.UtcDateTime.AddDays(d));
            var ofDay = runs.Where(r => DateOnly.FromDateTime(r.StartedAt.UtcDateTime) == day).ToList();
            var tickets = ofDay.Where(r => r.Kind == SyncRunKind.Tickets).ToList();
            var notes = tickets.Sum(r => new SyncRun { EntitiesJson = r.EntitiesJson }.Entities.Sum(e => e.Notes));
            var durations = ofDay.Where(r => r.FinishedAt is not null).GroupBy(r => r.Kind)
                .ToDictionary(g => g.Key, g => Math.Round(g.Average(r => (r.FinishedAt!.Value - r.StartedAt).TotalSeconds), 1));
            days.Add(new DayHealth(day, tickets.Sum(r => r.RowsUpserted), notes, ofDay.Count(r => r.Status == SyncRunStatus.Failed), durations));
        }

        return new RunHealth(active.DisplayName, portal, jobs, held, failed, days) { ConnectionId = active.Id, Kind = active.Kind };
    }

    private static List<DayHealth> Empty(DateTimeOffset now) =>
        [.. Enumerable.Range(0, ChartDays).Select(d => new DayHealth(
            DateOnly.FromDateTime(now.UtcDateTime.Date.AddDays(d + 1 - ChartDays)), 0, 0, 0, new Dictionary<SyncRunKind, double>()))];
}

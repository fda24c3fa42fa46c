using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Sync.Telemetry;

/// <summary>
/// Reads the gauges' figures (held tickets, API budget used) from the database every <see cref="Interval"/>, so a scrape of
/// <c>/metrics</c> never waits for a query. Runs only when metrics are on.
/// </summary>
public sealed class MetricsGaugeRefresher(
    IDbContextFactory<EasyConnectDbContext> dbFactory, ApiBudgetGovernor budgets, TimeProvider clock, ILogger<MetricsGaugeRefresher> logger) : BackgroundService
{
    /// <summary>How often the figures are read.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    /// <summary>Reads the figures once.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connections = await db.PsaConnections.AsNoTracking().Where(c => c.State == ConnectionState.Active)
            .Select(c => new { c.Id, c.Kind, c.DisplayName }).ToListAsync(cancellationToken);
        var gauges = new List<ConnectionGauge>();
        foreach (var c in connections)
        {
            var held = await db.TicketLinks.AsNoTracking().CountAsync(l => l.ConnectionId == c.Id && l.HeldReason != null, cancellationToken);
            var usage = await budgets.GetUsageAsync(PsaConnections.ClientKey(c.Id), c.Kind, cancellationToken);
            gauges.Add(new ConnectionGauge(c.DisplayName, held, usage.UsedLastHour, usage.AllowedPerHour));
        }

        EasyConnectMetrics.SetGauges(gauges);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Metrics: the held-ticket and API-budget figures could not be read ({Reason}); the last figures stay", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Sync.Jobs;

/// <summary>
/// Makes Hangfire's recurring jobs match the stored settings: adds or updates what the features want and
/// removes EasyConnect jobs nobody wants any more (a deleted connection, say). Runs at start-up and
/// whenever a feature reports a settings change through <see cref="RecurringJobSchedule"/>.
/// </summary>
public sealed class RecurringJobReconciler : IHostedService
{
    /// <summary>Prefix of every recurring job id EasyConnect owns; others are left alone.</summary>
    public const string IdPrefix = "ec:";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IEnumerable<IRecurringJobSource> sources;
    private readonly IRecurringJobManager manager;
    private readonly JobStorage storage;
    private readonly ILogger<RecurringJobReconciler> logger;

    /// <summary>Creates the reconciler and makes <paramref name="schedule"/> call it.</summary>
    public RecurringJobReconciler(
        IEnumerable<IRecurringJobSource> sources,
        IRecurringJobManager manager,
        JobStorage storage,
        RecurringJobSchedule schedule,
        ILogger<RecurringJobReconciler> logger)
    {
        this.sources = sources;
        this.manager = manager;
        this.storage = storage;
        this.logger = logger;
        schedule.Reconcile = ReconcileAsync;
    }

    /// <summary>Brings the recurring jobs in line with what every source wants now.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var wanted = new Dictionary<string, RecurringJobDefinition>(StringComparer.Ordinal);
            foreach (var source in sources)
            {
                foreach (var job in await source.GetRecurringJobsAsync(cancellationToken))
                {
                    wanted[job.Id] = job;
                }
            }

            foreach (var job in wanted.Values)
            {
                manager.AddOrUpdate(job.Id, job.Job, job.Cron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
            }

            using var connection = storage.GetConnection();
            foreach (var existing in connection.GetRecurringJobs())
            {
                if (existing.Id.StartsWith(IdPrefix, StringComparison.Ordinal) && !wanted.ContainsKey(existing.Id))
                {
                    logger.LogInformation("Removing recurring job {JobId}: its settings no longer ask for it", existing.Id);
                    manager.RemoveIfExists(existing.Id);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => ReconcileAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

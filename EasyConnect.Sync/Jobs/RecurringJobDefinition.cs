using Hangfire.Common;

namespace EasyConnect.Sync.Jobs;

/// <summary>A recurring job as the stored settings want it.</summary>
/// <param name="Id">Stable id, shown in the dashboard; must start with <see cref="RecurringJobReconciler.IdPrefix"/>.</param>
/// <param name="Job">What to run.</param>
/// <param name="Cron">When to run it (UTC).</param>
public sealed record RecurringJobDefinition(string Id, Job Job, string Cron);

/// <summary>A feature that owns recurring jobs says here which it wants, from its stored settings.</summary>
public interface IRecurringJobSource
{
    /// <summary>The recurring jobs this feature wants now.</summary>
    Task<IReadOnlyList<RecurringJobDefinition>> GetRecurringJobsAsync(CancellationToken cancellationToken);
}

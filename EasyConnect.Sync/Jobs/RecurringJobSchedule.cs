namespace EasyConnect.Sync.Jobs;

/// <summary>
/// What a feature calls after changing settings that decide recurring jobs (a connection made or
/// disconnected, a schedule changed). It has no dependencies of its own, so the features the reconciler
/// asks for their jobs can depend on it without a cycle.
/// </summary>
public sealed class RecurringJobSchedule
{
    internal Func<CancellationToken, Task>? Reconcile { get; set; }

    /// <summary>Brings Hangfire's recurring jobs in line with the stored settings now.</summary>
    public Task SettingsChangedAsync(CancellationToken cancellationToken = default) => Reconcile?.Invoke(cancellationToken) ?? Task.CompletedTask;
}

using EasyConnect.Sync.Jobs;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EasyConnect.Sync.Alerts;

/// <summary>The recurring job that scans for alerts.</summary>
public sealed class AlertJob(AlertScanner scanner)
{
    /// <summary>Scans once (the next minute's run is the retry).</summary>
    [JobDisplayName("Alerts: failed runs, held tickets, refused credentials")]
    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(CancellationToken cancellationToken) => scanner.RunAsync(cancellationToken);
}

/// <summary>Wants the alert scan every minute, always: the bell needs it even when no alert channel is on.</summary>
public sealed class AlertRecurringJobs : IRecurringJobSource
{
    /// <summary>The recurring job's id.</summary>
    public const string JobId = RecurringJobReconciler.IdPrefix + "alerts";

    /// <inheritdoc />
    public Task<IReadOnlyList<RecurringJobDefinition>> GetRecurringJobsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RecurringJobDefinition>>([new(JobId, Job.FromExpression<AlertJob>(j => j.RunAsync(CancellationToken.None)), "* * * * *")]);
}

/// <summary>Registers alerts (Notifications page, e-mail, webhook).</summary>
public static class AlertsExtensions
{
    /// <summary>Adds the alert settings, the sender (SMTP and webhook), the scanner and its recurring job.</summary>
    public static IHostApplicationBuilder AddEasyConnectAlerts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AlertSettingsStore>();
        builder.Services.AddSingleton<AlertSender>();
        builder.Services.AddSingleton<AlertScanner>();
        builder.Services.AddTransient<AlertJob>();
        builder.Services.AddSingleton<IRecurringJobSource, AlertRecurringJobs>();
        // The webhook is the admin's own receiver: no retries (a repeat would post twice), the sender's timeout applies.
        builder.Services.AddHttpClient(AlertSender.HttpClientName, c => c.Timeout = AlertSender.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        return builder;
    }
}

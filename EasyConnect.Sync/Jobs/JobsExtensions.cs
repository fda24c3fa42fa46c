using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EasyConnect.Sync.Jobs;

/// <summary>Registers Hangfire on the EasyConnect database.</summary>
public static class JobsExtensions
{
    /// <summary>
    /// Adds Hangfire storage in its own schema of the EasyConnect database, a Hangfire server unless
    /// <c>EasyConnect:Jobs:RunServer</c> is false, and the start-up reconciler of recurring jobs.
    /// Call after <c>AddEasyConnectPersistence</c>.
    /// </summary>
    public static IHostApplicationBuilder AddEasyConnectJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new();
        var connectionString = builder.Configuration.GetConnectionString("EasyConnect")
            ?? throw new InvalidOperationException("AddEasyConnectJobs needs the database: call AddEasyConnectPersistence first.");

        // The storage is this host's own singleton rather than Hangfire's process-wide JobStorage.Current, so
        // two hosts in one process (the test suite, a UI and a worker host) never enqueue into each other's database.
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = options.SchemaName,
            PrepareSchemaIfNecessary = true,
            // LISTEN/NOTIFY: an enqueued job (Sync now, a clean-up) starts at once instead of at the next poll.
            EnableLongPolling = true,
        };
        builder.Services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions));
        // Likewise the activator: Hangfire's default one is the process-wide JobActivator.Current, which is whichever host resolved
        // Hangfire's configuration last, so another host's services would build this host's jobs (JobsIsolationTests).
        builder.Services.AddSingleton<JobActivator>(services => new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((services, config) => config
            .UseLogProvider(new HostLogProvider(services.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        if (options.RunServer)
        {
            builder.Services.AddHangfireServer((services, server) =>
            {
                var jobs = services.GetRequiredService<IOptions<JobsOptions>>().Value;
                server.WorkerCount = jobs.WorkerCount;
                server.Activator = services.GetRequiredService<JobActivator>();
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
        }

        builder.Services.AddSingleton<JobNames>();
        builder.Services.AddSingleton<RecurringJobSchedule>();
        builder.Services.AddSingleton<RecurringJobReconciler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RecurringJobReconciler>());
        return builder;
    }
}

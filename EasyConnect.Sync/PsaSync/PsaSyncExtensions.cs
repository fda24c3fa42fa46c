using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Jobs;
using EasyConnect.Sync.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EasyConnect.Sync.PsaSync;

/// <summary>Registers the PSA mirror.</summary>
public static class PsaSyncExtensions
{
    /// <summary>
    /// Adds the mirror engine, its Hangfire jobs and their recurring schedules, the Sync runs service, and the
    /// mirror as an owner of connection data for the instance-change clean-up; options validated on start.
    /// </summary>
    public static IHostApplicationBuilder AddEasyConnectPsaSync(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PsaSyncOptions>().BindConfiguration(PsaSyncOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PsaSyncEngine>();
        builder.Services.AddSingleton<PsaMirror>();
        builder.Services.AddSingleton<IConnectionDataOwner>(sp => sp.GetRequiredService<PsaMirror>());
        builder.Services.AddSingleton<IMirrorStatusReader>(sp => sp.GetRequiredService<PsaMirror>());
        builder.Services.AddEasyConnectRuns();
        builder.Services.AddTransient<PsaIncrementalSyncJob>();
        builder.Services.AddTransient<PsaFullSyncJob>();
        builder.Services.AddSingleton<IRecurringJobSource, PsaSyncRecurringJobs>();
        builder.Services.AddSingleton<IPsaConnectionListener, FirstFullSync>();
        return builder;
    }
}

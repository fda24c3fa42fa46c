using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EasyConnect.Sync.Runs;

/// <summary>Registers what both sync engines share about runs.</summary>
public static class RunsExtensions
{
    /// <summary>Adds the Sync runs page's service; each engine's registration calls it, so adding it twice is harmless.</summary>
    public static IServiceCollection AddEasyConnectRuns(this IServiceCollection services)
    {
        services.TryAddSingleton<SyncRuns>();
        services.TryAddSingleton<IRunHealthReader, RunHealthReader>();
        return services;
    }
}

using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.PsaSync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Benchmarks.Infrastructure;

/// <summary>What every benchmark's EasyConnect parts stand on, wired as the app wires it: warnings-only logging, the system clock, the
/// database, and the mirror's default options.</summary>
internal static class BenchmarkServices
{
    public static ServiceCollection Create(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        // The sandboxes stand in for a ConnectWise cloud and an Autotask tenant: their API budgets are set past what a run makes, so
        // the figures include the governor's bookkeeping (and Autotask's ThresholdInformation readings) but never a wait for the window.
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EasyConnect:ApiBudget:RequestsPerWindow:ConnectWise"] = "100000000",
            ["EasyConnect:ApiBudget:RequestsPerWindow:Autotask"] = "100000000",
        }).Build());
        services.AddSingleton(TimeProvider.System);
        services.AddDbContextFactory<EasyConnectDbContext>(o => o
            .UseNpgsql(connectionString, n => n.MigrationsHistoryTable("ef_migrations_history"))
            .UseSnakeCaseNamingConvention());
        services.AddOptions<PsaSyncOptions>();
        return services;
    }
}

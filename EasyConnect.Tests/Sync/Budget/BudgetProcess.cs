using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.ConnectWise;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Tests.Sync.Budget;

/// <summary>One EasyConnect "process" for the API budget: its own governor and ConnectWise clients over the shared database.</summary>
internal sealed class BudgetProcess : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public BudgetProcess(string connectionString, TimeProvider time, int requestsPerWindow, int reservePercent = 20, int blockSize = 10)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EasyConnect:ApiBudget:RequestsPerWindow:ConnectWise"] = requestsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["EasyConnect:ApiBudget:ReservePercent"] = reservePercent.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["EasyConnect:ApiBudget:BlockSize"] = blockSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build());
        services.AddLogging(l => l.AddProvider(Log));
        services.AddSingleton<TimeProvider>(time);
        services.AddDbContextFactory<EasyConnectDbContext>(o => o
            .UseNpgsql(connectionString, n => n.MigrationsHistoryTable("ef_migrations_history"))
            .UseSnakeCaseNamingConvention());
        services.AddSingleton<AuditLog>();
        services.AddEasyConnectConnectWise();
        services.Configure<ConnectWiseOptions>(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.TotalTimeout = TimeSpan.FromSeconds(30);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            o.MaxRetries = 3;
        });
        _services = services.BuildServiceProvider();
    }

    public CapturedLog Log { get; } = new();

    public ApiBudgetGovernor Governor => _services.GetRequiredService<ApiBudgetGovernor>();

    public IPsaClient Client(ConnectWiseCredentials credentials, string connectionKey) =>
        _services.GetRequiredService<ConnectWiseClientFactory>().Create(credentials, new ConnectWiseClientOptions(connectionKey));

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

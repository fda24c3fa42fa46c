using System.Diagnostics;
using System.Globalization;
using EasyConnect.Benchmarks.Infrastructure;
using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EasyConnect.Benchmarks.Budget;

/// <summary>
/// What the API budget governor adds to each PSA call: its concurrency slot and budget permit, taken and given back without
/// any HTTP, with the window counted in the embedded PostgreSQL, for several block sizes, one caller and eight at once.
/// </summary>
internal sealed class ApiBudgetBenchmark : IBenchmarkCommand
{
    public string Name => "api-budget";

    public string Summary => "API budget governor's overhead per call (concurrency slot + budget permit, window in PostgreSQL)";

    public bool IsBenchmark => true;

    public IReadOnlyList<BenchmarkOption> Options { get; } = [new("calls", "5,000", "calls per measurement")];

    public async Task<int> RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var calls = arguments.Int("calls", 5_000, 100, 1_000_000);
        var report = new Report(output);
        output.WriteLine($"EasyConnect benchmark: API budget governor, {calls:N0} calls per measurement");
        report.Line("machine", $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        await using var database = await BenchmarkDatabase.StartAsync(cancellationToken);

        report.Heading("Overhead per call (no HTTP): one caller / eight callers at once");
        foreach (var block in new[] { 1, 10, 100 })
        {
            await using var provider = Services(database.ConnectionString, block);
            var governor = provider.GetRequiredService<ApiBudgetGovernor>();
            // A budget no measurement reaches, so only the bookkeeping is timed, never a wait.
            var limits = new ApiBudgetLimits(100_000_000, TimeSpan.FromHours(1), 8);
            var gate = governor.For($"bench-{block}", limits);
            await MeasureAsync(gate, 200, 1, cancellationToken);
            var one = await MeasureAsync(gate, calls, 1, cancellationToken);
            var eight = await MeasureAsync(gate, calls, 8, cancellationToken);
            report.Line($"block of {block} call(s) reserved per round trip", $"{Micro(one)} / {Micro(eight)} per call");
        }

        await using (var none = Services(null, 10))
        {
            var gate = none.GetRequiredService<ApiBudgetGovernor>().For("bench-none", new ApiBudgetLimits(1_000, TimeSpan.FromHours(1), 8));
            var one = await MeasureAsync(gate, calls, 1, cancellationToken);
            var eight = await MeasureAsync(gate, calls, 8, cancellationToken);
            report.Line("concurrency limiter only (no database)", $"{Micro(one)} / {Micro(eight)} per call");
        }

        return 0;
    }

    private static ServiceProvider Services(string? connectionString, int block)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EasyConnect:ApiBudget:BlockSize"] = block.ToString(CultureInfo.InvariantCulture),
            ["EasyConnect:ApiBudget:DefaultSharePercent"] = "100",
        }).Build());
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(TimeProvider.System);
        if (connectionString is not null)
        {
            services.AddDbContextFactory<EasyConnectDbContext>(o => o
                .UseNpgsql(connectionString, n => n.MigrationsHistoryTable("ef_migrations_history"))
                .UseSnakeCaseNamingConvention());
            services.AddSingleton<AuditLog>();
        }

        services.AddSingleton(new ProductApiBudget(PsaKind.ConnectWise, new ApiBudgetLimits(1_000, TimeSpan.FromMinutes(1), 8)));
        services.AddEasyConnectApiBudget();
        return services.BuildServiceProvider();
    }

    private static async Task<TimeSpan> MeasureAsync(ConnectionBudget gate, int calls, int callers, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
        {
            for (var i = 0; i < calls / callers; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "https://psa.example/v4_6_release/apis/3.0/service/tickets/1");
                using var slot = await gate.EnterAsync(request, cancellationToken);
            }
        }));
        return watch.Elapsed / (calls / callers * callers);
    }

    private static string Micro(TimeSpan perCall) => (perCall.TotalMicroseconds).ToString("N1", CultureInfo.InvariantCulture) + " µs";
}

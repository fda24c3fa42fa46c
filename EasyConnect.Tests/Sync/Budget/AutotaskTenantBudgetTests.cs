using System.Globalization;
using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Psa.Autotask;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EasyConnect.Tests.Sync.Budget;

/// <summary>
/// Autotask's hour is the tenant's, spent by every integration: the governor reads ThresholdInformation now and then (not per call)
/// and lets EasyConnect spend only down to a margin below the tenant's threshold, background calls stopping earlier, so another
/// integration spending the hour slows EasyConnect down before Autotask shuts the tenant off. Against the Autotask sandbox with a
/// threshold of 100 and a real database.
/// </summary>
public sealed class AutotaskTenantBudgetTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int Threshold = 100;
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private AutotaskSandboxHost _sandbox = default!;
    private string _database = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // The sandbox counts its hour on the same clock; no added latency, so only the counts matter.
        _sandbox = await AutotaskSandboxHost.StartAsync(o =>
        {
            o.HourlyThreshold = Threshold;
            o.HalfThresholdLatencyMs = 0;
            o.ThreeQuarterThresholdLatencyMs = 0;
        }, _time);
        _database = await postgres.CreateDatabaseAsync("tenant");
    }

    public async ValueTask DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Calls_StopAtTheMarginBelowTheTenantsThreshold_WhenAnotherIntegrationSpendsTheHour()
    {
        // Arrange: EasyConnect's own share is 50 of the 100; another integration has used 60 of the tenant's hour.
        await using var process = new AutotaskBudgetProcess(_database, _time, Threshold);
        var client = process.Client(_sandbox, "tenant");
        await OtherIntegrationAsync(60);
        var ticket = FirstTicket();
        await client.GetTicketAsync(ticket, Ct);
        await client.GetTicketAsync(ticket, Ct);

        // Act: the second call read ThresholdInformation (62 with itself), leaving 100 − 5 (margin) − 62 = 33 calls: itself and 32 more.
        var calls = Enumerable.Range(0, 40).Select(_ => client.GetTicketAsync(ticket, Ct)).ToList();
        await WaitUntilAsync(() => _sandbox.State.RequestsThisHour >= 95);
        await Task.Delay(300, Ct);

        // Assert
        Assert.Equal(95, _sandbox.State.RequestsThisHour);
        Assert.Equal(8, calls.Count(c => !c.IsCompleted));
        Assert.Equal(1, process.ThresholdReads);
        Assert.Equal(new TenantApiUsage(Threshold, 62), process.Governor.For("tenant", AutotaskApiBudget.Defaults).TenantUsage);
        Assert.Contains("has used 62 of its 100 calls", process.Log.Text, StringComparison.Ordinal);

        // The hour frees: the next reading finds it empty and the waiting calls go.
        _time.Advance(TimeSpan.FromMinutes(61));
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal(2, process.ThresholdReads);
        Assert.Equal(9, _sandbox.State.RequestsThisHour);
    }

    [Fact]
    public async Task TicketSyncCalls_GoOn_WhenBackgroundCallsWaitForTheTenantsReserve()
    {
        // Arrange: background calls stop 5 % (margin) + 20 % (reserve) below the threshold: at 75.
        await using var process = new AutotaskBudgetProcess(_database, _time, Threshold);
        var client = process.Client(_sandbox, "tenant");
        await OtherIntegrationAsync(60);
        var ticket = FirstTicket();
        List<Task<PsaTicket?>> background;
        using (ApiCallPriority.Background())
        {
            await client.GetTicketAsync(ticket, Ct);
            await client.GetTicketAsync(ticket, Ct);
            background = Enumerable.Range(0, 20).Select(_ => client.GetTicketAsync(ticket, Ct)).ToList();
        }

        await WaitUntilAsync(() => _sandbox.State.RequestsThisHour >= 75);
        await Task.Delay(300, Ct);
        Assert.Equal(75, _sandbox.State.RequestsThisHour);

        // Act
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.GetTicketAsync(ticket, Ct))).WaitAsync(TimeSpan.FromSeconds(20), Ct);

        // Assert
        Assert.Equal(85, _sandbox.State.RequestsThisHour);
        Assert.Equal(8, background.Count(b => !b.IsCompleted));
        Assert.Contains("Background calls wait", process.Log.Text, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromMinutes(61));
        await Task.WhenAll(background).WaitAsync(TimeSpan.FromSeconds(20), Ct);
    }

    [Fact]
    public async Task ThresholdInformation_IsReadOncePerInterval_NotPerCall_WhenTheTenantHasRoom()
    {
        await using var process = new AutotaskBudgetProcess(_database, _time, Threshold);
        var client = process.Client(_sandbox, "tenant");
        var ticket = FirstTicket();

        for (var i = 0; i < 30; i++)
        {
            await client.GetTicketAsync(ticket, Ct);
        }

        Assert.Equal(1, process.ThresholdReads);
        _time.Advance(TimeSpan.FromMinutes(1));
        await client.GetTicketAsync(ticket, Ct);
        Assert.Equal(2, process.ThresholdReads);
        // 31 reads of the ticket and the two readings.
        Assert.Equal(33, _sandbox.State.RequestsThisHour);
    }

    private string FirstTicket() => _sandbox.State.Ids("Tickets")[0].ToString(CultureInfo.InvariantCulture);

    /// <summary>Another integration of the same tenant: its calls count against the tenant's hour, not against EasyConnect's share.</summary>
    private async Task OtherIntegrationAsync(int calls)
    {
        using var http = _sandbox.Client();
        var company = _sandbox.State.Ids("Companies")[0];
        for (var i = 0; i < calls; i++)
        {
            using var response = await http.GetAsync($"Companies/{company}", Ct);
            response.EnsureSuccessStatusCode();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>One EasyConnect process with Autotask clients over the shared database, its hour set to the sandbox's threshold.</summary>
    private sealed class AutotaskBudgetProcess : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly ThresholdCounter _counter = new();

        public AutotaskBudgetProcess(string connectionString, TimeProvider time, int requestsPerHour)
        {
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["EasyConnect:ApiBudget:RequestsPerWindow:Autotask"] = requestsPerHour.ToString(CultureInfo.InvariantCulture),
            }).Build());
            services.AddLogging(l => l.AddProvider(Log));
            services.AddSingleton(time);
            services.AddDbContextFactory<EasyConnectDbContext>(o => o
                .UseNpgsql(connectionString, n => n.MigrationsHistoryTable("ef_migrations_history"))
                .UseSnakeCaseNamingConvention());
            services.AddSingleton<AuditLog>();
            services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new CountingHandler(_counter)));
            services.AddEasyConnectAutotask();
            services.Configure<AutotaskOptions>(o =>
            {
                o.AttemptTimeout = TimeSpan.FromSeconds(10);
                o.TotalTimeout = TimeSpan.FromSeconds(30);
                o.MaxRetries = 0;
            });
            _services = services.BuildServiceProvider();
        }

        public CapturedLog Log { get; } = new();

        public ApiBudgetGovernor Governor => _services.GetRequiredService<ApiBudgetGovernor>();

        public int ThresholdReads => _counter.Count;

        public IPsaClient Client(AutotaskSandboxHost sandbox, string connectionKey)
        {
            var o = sandbox.State.Options;
            return _services.GetRequiredService<AutotaskClientFactory>().Create(
                new AutotaskCredentials(o.UserName, o.Secret, o.IntegrationCode), new AutotaskClientOptions(connectionKey, sandbox.DiscoveryRoot));
        }

        public ValueTask DisposeAsync() => _services.DisposeAsync();

        private sealed class ThresholdCounter
        {
            private int _count;

            public int Count => Volatile.Read(ref _count);

            public void Add() => Interlocked.Increment(ref _count);
        }

        private sealed class CountingHandler(ThresholdCounter counter) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (request.RequestUri?.AbsolutePath.EndsWith("/ThresholdInformation", StringComparison.OrdinalIgnoreCase) == true)
                {
                    counter.Add();
                }

                return base.SendAsync(request, cancellationToken);
            }
        }
    }
}

using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Psa.ConnectWise;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace EasyConnect.Tests.Sync.Budget;

/// <summary>
/// The API budget governor over a real database and the ConnectWise sandbox: two processes sharing one small budget never
/// exceed it together, ticket sync goes first when it runs low, spent calls wait for the window and then go, per-endpoint
/// concurrency holds, and limiters go with their connection.
/// </summary>
public sealed class ApiBudgetGovernorTests(PostgresServer postgres) : IAsyncLifetime
{
    // ConnectWise's window is a minute: a budget of 20 at the default 50 % share lets EasyConnect make 10 calls, 8 of them background.
    private const int Budget = 20;
    private const int Share = 10;
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private ConnectWiseSandboxHost _sandbox = default!;
    private string _database = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await ConnectWiseSandboxHost.StartAsync();
        _database = await postgres.CreateDatabaseAsync("budget");
    }

    public async ValueTask DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Calls_NeverExceedTheShareTogether_WhenTwoProcessesSpendOneBudget()
    {
        await using var first = new BudgetProcess(_database, _time, Budget);
        await using var second = new BudgetProcess(_database, _time, Budget);
        var a = first.Client(_sandbox.Credentials(), "tenant");
        var b = second.Client(_sandbox.Credentials(), "tenant");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var calls = Enumerable.Range(0, 8).SelectMany(i => new[] { Read(a, stop.Token), Read(b, stop.Token) }).ToList();
        await WaitUntilAsync(() => _sandbox.Faults.RequestsReceived >= Share);
        // Time stands still, so a call past the share would have to get through now; give it the chance.
        await Task.Delay(500, Ct);

        Assert.Equal(Share, _sandbox.Faults.RequestsReceived);
        Assert.Equal(Share, await CountedAsync("tenant"));
        Assert.Contains(calls, c => !c.IsCompleted);
        Assert.Contains("is spent for TicketSync calls: 10 of 10 calls", first.Log.Text + second.Log.Text, StringComparison.Ordinal);
        await stop.CancelAsync();
        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    [Fact]
    public async Task WaitingCalls_Go_WhenTheWindowFrees()
    {
        await using var process = new BudgetProcess(_database, _time, Budget);
        var client = process.Client(_sandbox.Credentials(), "tenant");
        var calls = Enumerable.Range(0, 12).Select(_ => Read(client, Ct)).ToList();
        await WaitUntilAsync(() => _sandbox.Faults.RequestsReceived >= Share);
        await Task.Delay(200, Ct);
        Assert.Equal(Share, _sandbox.Faults.RequestsReceived);

        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(2));
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(20), Ct);

        // 1 company lookup + 12 reads, 10 in the first window and 3 in the next.
        Assert.Equal(13, _sandbox.Faults.RequestsReceived);
        Assert.Equal(3, await CountedAsync("tenant", since: Start.AddMinutes(1)));
    }

    [Fact]
    public async Task TicketSyncCalls_GoFirst_WhenBackgroundCallsReachedTheReserve()
    {
        await using var process = new BudgetProcess(_database, _time, Budget);
        var client = process.Client(_sandbox.Credentials(), "tenant");
        List<Task> background;
        using (ApiCallPriority.Background())
        {
            background = Enumerable.Range(0, 10).Select(_ => Read(client, Ct)).ToList();
        }

        await WaitUntilAsync(() => _sandbox.Faults.RequestsReceived >= 8);
        await Task.Delay(200, Ct);
        Assert.Equal(8, _sandbox.Faults.RequestsReceived);

        await Task.WhenAll(Read(client, Ct), Read(client, Ct)).WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal(Share, _sandbox.Faults.RequestsReceived);
        // The company lookup and 7 background reads went out; 3 wait for the window.
        Assert.Equal(3, background.Count(b => !b.IsCompleted));
        Assert.Contains("is spent for Background calls: 8 of 8 calls", process.Log.Text, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(2));
        await Task.WhenAll(background).WaitAsync(TimeSpan.FromSeconds(20), Ct);
    }

    [Fact]
    public async Task Share_LimitsEveryProcess_WhenAnAdminSetsIt()
    {
        await using var process = new BudgetProcess(_database, _time, Budget);
        await process.Governor.SetShareAsync("tenant", "sandbox", 25, TestUsers.Admin, Ct);
        var client = process.Client(_sandbox.Credentials(), "tenant");

        var calls = Enumerable.Range(0, 8).Select(_ => Read(client, Ct)).ToList();
        await WaitUntilAsync(() => _sandbox.Faults.RequestsReceived >= 5);
        await Task.Delay(300, Ct);

        Assert.Equal(5, _sandbox.Faults.RequestsReceived);
        var usage = await process.Governor.GetUsageAsync("tenant", PsaKind.ConnectWise, Ct);
        Assert.Equal((25, 5, 5, 5), (usage.SharePercent, usage.Allowed, usage.UsedInWindow, usage.UsedLastHour));
        await using var db = PostgresServer.CreateContext(_database);
        Assert.Contains(db.AuditEntries, e => e.Action == "API budget share changed" && e.Details == "50 % → 25 %");
        _time.Advance(TimeSpan.FromMinutes(2));
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(20), Ct);
    }

    [Fact]
    public async Task Retries_CountAgainstTheBudget_WhenThePsaThrottles()
    {
        // The retry's wait runs on the pipeline's clock, so this process keeps real time.
        await using var process = new BudgetProcess(_database, TimeProvider.System, 1_000);
        var client = process.Client(_sandbox.Credentials(), "tenant");
        await client.GetTicketAsync("1", Ct);
        _sandbox.Faults.FailNext(SandboxFaultKind.Throttle);

        var ticket = await client.GetTicketAsync("1", Ct);

        Assert.Equal("1", ticket?.Id);
        Assert.Equal(4, _sandbox.Faults.RequestsReceived);
        Assert.Equal(4, client.ApiCalls);
        // Blocks of 10 are reserved (1,000 × 50 % / 100 = 5 a block): what was sent never exceeds what was reserved.
        Assert.True(await CountedAsync("tenant") >= 4);
    }

    [Fact]
    public async Task ConcurrencyLimit_HoldsCallsOfOneEndpoint_WhenThePsaCountsThreadsPerEndpoint()
    {
        await using var process = new BudgetProcess(_database, _time, Budget);
        var gate = process.Governor.For("autotask", new ApiBudgetLimits(10_000, TimeSpan.FromHours(1), 2, PerEndpoint: true));
        using var one = await gate.EnterAsync(Request("V1.0/Tickets/1"), Ct);
        var two = await gate.EnterAsync(Request("V1.0/Tickets/2"), Ct);

        var third = gate.EnterAsync(Request("V1.0/Tickets/3"), Ct).AsTask();
        using var otherEndpoint = await gate.EnterAsync(Request("V1.0/Companies/4"), Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await Task.Delay(200, Ct);
        Assert.False(third.IsCompleted);

        two.Dispose();
        using var released = await third.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(third.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Release_FreesTheConnectionsLimiters_WhenTheConnectionGoes()
    {
        await using var process = new BudgetProcess(_database, _time, Budget);
        var client = process.Client(_sandbox.Credentials(), "tenant");
        await client.GetTicketAsync("1", Ct);
        var budget = process.Governor.For("tenant", ApiBudgetTestLimits.Any);
        Assert.Equal(1, process.Governor.Count);

        process.Governor.Release("tenant");

        Assert.Equal(0, process.Governor.Count);
        Assert.True(budget.Disposed);
        var again = process.Governor.For("tenant", ApiBudgetTestLimits.Any);
        Assert.NotSame(budget, again);
    }

    private static HttpRequestMessage Request(string path) => new(HttpMethod.Get, new Uri("https://webservices.example/" + path));

    private static Task Read(IPsaClient client, CancellationToken cancellationToken) => client.GetTicketAsync("1", cancellationToken);

    private async Task<int> CountedAsync(string key, DateTimeOffset? since = null)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT coalesce(sum(calls), 0)::int FROM api_budget_buckets WHERE connection_key = @key AND bucket_start >= @since", connection);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("since", since ?? DateTimeOffset.MinValue.AddYears(1));
        return (int)(await command.ExecuteScalarAsync(Ct))!;
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
}

internal static class ApiBudgetTestLimits
{
    public static ApiBudgetLimits Any { get; } = new(100, TimeSpan.FromMinutes(1), 4);
}

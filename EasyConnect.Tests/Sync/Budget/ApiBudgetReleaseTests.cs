using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.PsaSync;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Budget;

/// <summary>A connection's limiters go with it: on disconnect, and when a connection test's temporary client is done.</summary>
public sealed class ApiBudgetReleaseTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ApiBudgetGovernor Governor => _app.Services.GetRequiredService<ApiBudgetGovernor>();

    public async ValueTask InitializeAsync() => _app = await EasyConnectApp.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task DisconnectAsync_ReleasesTheConnectionsLimiters_WhenTheConnectionHadClients()
    {
        var id = await MirrorHarness.AddConnectionAsync(_app.ConnectionString);
        var budget = Governor.For(PsaConnections.ClientKey(id), Governor.LimitsFor(PsaKind.ConnectWise));

        var disconnected = await _app.Services.GetRequiredService<PsaConnections>().DisconnectAsync(TestUsers.Admin, Ct);

        Assert.True(disconnected);
        Assert.True(budget.Disposed);
        Assert.Equal(0, Governor.Count);
    }

    [Fact]
    public async Task TestAsync_LeavesNoLimiterBehind_WhenTheTestIsDone()
    {
        var before = Governor.Count;
        var draft = new ConnectionDraft(PsaKind.ConnectWise, new Dictionary<string, string>
        {
            ["site"] = "http://127.0.0.1:9/", ["companyId"] = "acme", ["publicKey"] = "pub", ["privateKey"] = "priv", ["clientId"] = "client",
        });

        var result = await _app.Services.GetRequiredService<PsaConnections>().TestAsync(draft, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(0, before);
        Assert.Equal(0, Governor.Count);
    }
}

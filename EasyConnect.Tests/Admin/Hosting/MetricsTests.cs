using System.Net;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Telemetry;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EasyConnect.Tests.Admin.Hosting;

/// <summary>The operators' metrics at /metrics, scraped as Prometheus would after a real full sync against the built-in sandbox.</summary>
public sealed class MetricsTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_ServeRunsApiCallsHeldTicketsAndBudget_WhenSwitchedOn()
    {
        await using var app = await EasyConnectApp.StartAsync(postgres, new Dictionary<string, string?>
        {
            ["EasyConnect:Sandbox:Enabled"] = "true",
            ["EasyConnect:Metrics:Enabled"] = "true",
        });
        var connect = await app.Services.GetRequiredService<PsaConnections>().ConnectAsync(new ConnectionDraft(PsaKind.ConnectWise, new Dictionary<string, string>
        {
            ["site"] = app.BaseAddress + "sandbox/connectwise", ["companyId"] = "easyconnect", ["publicKey"] = "sandbox-public-key",
            ["privateKey"] = "sandbox-private-key", ["clientId"] = "tests",
        }), "tests", Ct);
        Assert.True(connect.Succeeded, connect.Error);
        await app.WaitForFullSyncAsync(connect.Connection!.Id);
        await using (var db = PostgresServer.CreateContext(app.ConnectionString))
        {
            db.TicketLinks.Add(new TicketLink
            {
                ConnectionId = connect.Connection.Id, PortalConnectionId = Guid.NewGuid(), PortalTicketId = "77", PortalSubject = "Held", PortalStatus = "open",
                HeldReason = "No map.",
            });
            await db.SaveChangesAsync(Ct);
        }

        await app.Services.GetServices<IHostedService>().OfType<MetricsGaugeRefresher>().Single().RefreshAsync(Ct);
        using var client = app.CreateClient();
        var text = await client.GetStringAsync("/metrics", Ct);

        var lines = text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("easyconnect_sync_runs_total{", StringComparison.Ordinal) && l.Contains("kind=\"full\"", StringComparison.Ordinal)
            && l.Contains("result=\"succeeded\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("easyconnect_sync_run_duration_seconds_bucket{", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("easyconnect_api_calls_total{", StringComparison.Ordinal) && l.Contains("vendor=\"ConnectWise\"", StringComparison.Ordinal)
            && l.Contains("status=\"200\"", StringComparison.Ordinal));
        var held = Assert.Single(lines, l => l.StartsWith("easyconnect_tickets_held{", StringComparison.Ordinal) && l.Contains(connect.Connection.DisplayName, StringComparison.Ordinal));
        Assert.EndsWith(" 1", held.Split(" # ")[0].TrimEnd(), StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("easyconnect_api_budget_used{", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("easyconnect_api_budget_allowed{", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_AreNotServed_WhenNotSwitchedOn()
    {
        await using var app = await EasyConnectApp.StartAsync(postgres, new Dictionary<string, string?> { ["EasyConnect:Jobs:RunServer"] = "false" });
        using var client = app.CreateBrowserlikeClient();

        var response = await client.GetAsync("/metrics", Ct);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("easyconnect_", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}

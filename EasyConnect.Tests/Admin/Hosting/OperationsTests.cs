using System.Net;
using EasyConnect.Tests.Support;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Admin.Hosting;

public sealed class OperationsTests(PostgresServer postgres)
{
    [Fact]
    public async Task Healthz_AnswersHealthyWithoutLogin()
    {
        await using var app = await EasyConnectApp.StartAsync(postgres);
        using var client = app.CreateBrowserlikeClient();

        var response = await client.GetAsync("healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Startup_LogsTheAddressItListensOn()
    {
        await using var app = await EasyConnectApp.StartAsync(postgres);

        Assert.Contains(app.Log.Lines, l => l.Contains($"EasyConnect is ready at {app.BaseAddress.ToString().TrimEnd('/')}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunServerFalse_MakesAProcessThatRunsNoJobs()
    {
        await using var uiOnly = await EasyConnectApp.StartAsync(postgres, new Dictionary<string, string?> { ["EasyConnect:Jobs:RunServer"] = "false" });
        await using var worker = await EasyConnectApp.StartAsync(postgres, new Dictionary<string, string?> { ["EasyConnect:Jobs:WorkerCount"] = "3" });

        // A Hangfire server announces itself shortly after start.
        var monitoring = worker.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        for (var i = 0; i < 100 && monitoring.Servers().Count == 0; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var servers = monitoring.Servers();
        var uiServers = uiOnly.Services.GetRequiredService<JobStorage>().GetMonitoringApi().Servers();

        Assert.Empty(uiServers);
        Assert.Equal(3, Assert.Single(servers).WorkersCount);
    }
}

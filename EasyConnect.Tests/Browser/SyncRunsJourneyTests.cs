using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>An admin mirrors the built-in ConnectWise sandbox with Sync now and sees the result, in Chromium.</summary>
public sealed class SyncRunsJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    // Small pages make a full sync of the sandbox take many requests, so it can be watched while it runs.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings) { ["EasyConnect:ConnectWise:PageSize"] = "25" };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await LoginAsync(TestUsers.Admin);
    }

    [Fact]
    public async Task Admin_RunsSyncNow_WatchesItFinish_AndSeesCountsOnOverview()
    {
        await GoToAsync("integration");
        await Page.GetByTestId("use-sandbox").ClickAsync();
        await Page.GetByTestId("connect").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("psa-connected")).ToBeVisibleAsync();

        // A new connection starts with a full sync of its own; let it finish so Sync now is not skipped as busy.
        await GoToAsync("sync-runs");
        var statuses = Page.GetByTestId("run-status");
        await Assertions.Expect(statuses).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Assertions.Expect(statuses.First).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        // Each run says which PSA instance it belongs to.
        var active = await App.Services.GetRequiredService<EasyConnect.Sync.Connections.PsaConnections>().GetActiveAsync(TestContext.Current.CancellationToken);
        await Assertions.Expect(Page.GetByRole(AriaRole.Columnheader, new() { Name = "Instance" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("run-instance").First).ToHaveTextAsync(active!.DisplayName);

        await Page.GetByTestId("sync-now-full").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("sync-notice")).ToContainTextAsync("queued");
        await Assertions.Expect(statuses).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await Assertions.Expect(statuses.First).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        await Page.GetByRole(AriaRole.Cell, new() { Name = "Full", Exact = true }).First.ClickAsync();
        await Assertions.Expect(Page.GetByTestId("run-entity-Configurations")).ToContainTextAsync("200");
        await ScreenshotAsync("sync-runs");

        await GoToAsync("");
        var configurations = Page.GetByTestId("mirror-Configurations");
        await Assertions.Expect(configurations.GetByTestId("mirror-rows")).ToHaveTextAsync("200");
        await Assertions.Expect(configurations).Not.ToContainTextAsync("never");
        await Assertions.Expect(Page.GetByTestId("mirror-Statuses").GetByTestId("mirror-rows")).ToHaveTextAsync("28");
        await ScreenshotAsync("overview-mirror");
        var runs = (await App.Services.GetRequiredService<EasyConnect.Sync.Runs.SyncRuns>().ListAsync(new SyncRunQuery(), TestContext.Current.CancellationToken)).Items;
        Assert.Equal(2, runs.Count);
        // Both the connection's first full sync and Sync now were started by the admin's own actions.
        Assert.All(runs, r =>
        {
            Assert.Equal(SyncTrigger.Manual, r.Trigger);
            Assert.Equal(TestUsers.Admin, r.StartedBy);
            Assert.Equal(SyncRunStatus.Succeeded, r.Status);
        });
    }

    [Fact]
    public async Task Admin_WatchesAFullSyncsCountsGrowWithoutReloading_AndTheQueuedNoticeTurnsIntoTheResult()
    {
        var connection = await ConnectSandboxesAsync(portal: false);
        var sandbox = App.Services.GetRequiredService<EasyConnect.Sync.Sandbox.ConnectWise.ConnectWiseSandboxState>();
        // Every sandbox answer takes 2.5 s: even with its requests in parallel (about six rounds of them) the full sync takes
        // longer than the checks below, until the test lets it finish.
        sandbox.Faults.Faults = new EasyConnect.Sync.Sandbox.SandboxFaults { LatencyMs = 2_500 };
        await GoToAsync("sync-runs");

        await Page.GetByTestId("sync-now-full").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("sync-notice")).ToContainTextAsync("queued");
        var running = Page.GetByTestId("run-status").Filter(new() { HasText = "Running" });
        await Assertions.Expect(running).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(Page.GetByTestId("sync-notice")).ToContainTextAsync("is running", new() { Timeout = 15_000 });
        await running.ClickAsync();

        // The details open beside the list and their counts move while the run works, with no reload.
        var details = Page.GetByTestId("run-details");
        await Assertions.Expect(details.GetByTestId("run-live")).ToBeVisibleAsync();
        await Assertions.Expect(details.GetByTestId("entity-progress").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var first = await details.GetByTestId("entity-read").AllInnerTextsAsync();
        // Any entity's count may be the one that moves (a finished one stays put, a new one joins the list).
        await Assertions.Expect(details.GetByTestId("entity-read")).Not.ToHaveTextAsync(first, new() { Timeout = 30_000 });
        await ScreenshotAsync("sync-runs-progress");

        // When it ends, the notice says how it ended.
        sandbox.Faults.Faults = EasyConnect.Sync.Sandbox.SandboxFaults.None;
        await Assertions.Expect(Page.GetByTestId("sync-notice")).ToContainTextAsync("The full run succeeded", new() { Timeout = 60_000 });
        await Assertions.Expect(details.GetByTestId("run-live")).Not.ToBeVisibleAsync();
        await Assertions.Expect(details.GetByTestId("run-entity-Configurations").GetByTestId("entity-read")).ToContainTextAsync("200 of 200");
        var runs = (await App.Services.GetRequiredService<EasyConnect.Sync.Runs.SyncRuns>().ListAsync(new SyncRunQuery(), Ct)).Items;
        Assert.All(runs.Where(r => r.ConnectionId == connection && r.Kind == SyncRunKind.Full), r => Assert.Equal(SyncRunStatus.Succeeded, r.Status));
    }
}

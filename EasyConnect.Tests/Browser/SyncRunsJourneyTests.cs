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
}

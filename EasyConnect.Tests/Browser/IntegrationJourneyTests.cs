using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>An admin connects the built-in ConnectWise sandbox from the Integration page, in Chromium.</summary>
public sealed class IntegrationJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    private const string SandboxPrivateKey = "sandbox-private-key";

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await LoginAsync(TestUsers.Admin);
    }

    [Fact]
    public async Task Admin_TestsAndConnectsSandbox_AndAWrongKeyIsRefusedWithNothingSaved()
    {
        var connections = App.Services.GetRequiredService<PsaConnections>();
        await GoToAsync("integration");

        await Page.GetByTestId("use-sandbox").ClickAsync();
        await Page.GetByTestId("test-connection").ClickAsync();
        var checks = Page.GetByTestId("check");
        await Assertions.Expect(checks.First).ToBeVisibleAsync();
        // Checks are listed as they go; the test is over when none is running and Test connection answers again.
        await Assertions.Expect(Page.GetByTestId("check-running")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.GetByTestId("test-connection")).ToBeEnabledAsync();
        await Assertions.Expect(Page.Locator("[data-testid=check][data-passed=false]")).ToHaveCountAsync(0);
        Assert.True(await checks.CountAsync() >= 8, "every permission the sync needs is checked");
        await ScreenshotAsync("test-connection");

        await Page.GetByLabel("Private key").FillAsync("not-the-private-key");
        await Page.GetByTestId("connect").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("connection-error")).ToContainTextAsync("Authentication failed");
        Assert.Null(await connections.GetActiveAsync(TestContext.Current.CancellationToken));
        await ScreenshotAsync("wrong-key");

        await Page.GetByLabel("Private key").FillAsync(SandboxPrivateKey);
        await Page.GetByTestId("connect").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("psa-connected")).ToContainTextAsync("Connected to ConnectWise");
        var saved = await connections.GetActiveAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(saved);
        Assert.DoesNotContain(SandboxPrivateKey, saved.ProtectedSecrets, StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxPrivateKey, await Page.ContentAsync(), StringComparison.Ordinal);
        using var http = App.CreateBrowserlikeClient();
        await http.LoginAsync(TestUsers.Admin);
        Assert.DoesNotContain(SandboxPrivateKey, await http.GetStringAsync("integration", TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxPrivateKey, await http.GetStringAsync("audit", TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.DoesNotContain(SandboxPrivateKey, App.Log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-private-key", App.Log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_GoesThroughInstanceChange_ToConnectingAgain()
    {
        var connections = App.Services.GetRequiredService<PsaConnections>();
        await GoToAsync("integration");
        await Page.GetByTestId("use-sandbox").ClickAsync();
        await Page.GetByTestId("connect").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("psa-connected")).ToBeVisibleAsync();
        var first = (await connections.GetActiveAsync(TestContext.Current.CancellationToken))!;
        // A new connection's first sync is a full one, started at once.
        await WaitForFullSyncAsync(first.Id);
        Assert.True(await MirroredRowsAsync(first.Id) > 0);

        await Page.GetByTestId("change-instance").ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Disconnect and continue" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("step-2")).ToContainTextAsync("step 2 of 4");
        await Page.GetByTestId("clean-up").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("previous-instances")).ToContainTextAsync("cleaned up", new() { Timeout = 30_000 });
        await Assertions.Expect(Page.GetByTestId("step-2")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "notifications" }).First).ToBeVisibleAsync();

        await Page.GetByTestId("use-sandbox").ClickAsync();
        await Page.GetByTestId("connect").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("psa-connected")).ToBeVisibleAsync();
        var second = (await connections.GetActiveAsync(TestContext.Current.CancellationToken))!;
        await ScreenshotAsync("after-instance-change");

        await WaitForFullSyncAsync(second.Id);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(0, await MirroredRowsAsync(first.Id));
        Assert.True(await MirroredRowsAsync(second.Id) > 0);
        var all = await connections.ListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(ConnectionState.Removed, all.Single(c => c.Id == first.Id).State);
        Assert.Null(all.Single(c => c.Id == first.Id).ProtectedSecrets);
    }

    private async Task WaitForFullSyncAsync(Guid connectionId)
    {
        for (var i = 0; i < 1200; i++)
        {
            await using var db = PostgresServer.CreateContext(App.ConnectionString);
            var run = await db.SyncRuns.AsNoTracking().Where(r => r.ConnectionId == connectionId && r.Kind == EasyConnect.Sync.Runs.SyncRunKind.Full)
                .OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(TestContext.Current.CancellationToken);
            if (run?.Status == EasyConnect.Sync.Runs.SyncRunStatus.Succeeded)
            {
                return;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"No full sync of connection {connectionId} succeeded.");
    }

    /// <summary>Mirrored rows and cursors a connection has, over every mirror table.</summary>
    private async Task<int> MirroredRowsAsync(Guid connectionId)
    {
        await using var db = PostgresServer.CreateContext(App.ConnectionString);
        var ct = TestContext.Current.CancellationToken;
        return await db.PsaMembers.CountAsync(r => r.ConnectionId == connectionId, ct) + await db.PsaCompanies.CountAsync(r => r.ConnectionId == connectionId, ct)
            + await db.PsaConfigurations.CountAsync(r => r.ConnectionId == connectionId, ct) + await db.PsaBoards.CountAsync(r => r.ConnectionId == connectionId, ct)
            + await db.PsaStatuses.CountAsync(r => r.ConnectionId == connectionId, ct) + await db.PsaPriorities.CountAsync(r => r.ConnectionId == connectionId, ct)
            + await db.PsaTickets.CountAsync(r => r.ConnectionId == connectionId, ct) + await db.SyncCursors.CountAsync(r => r.ConnectionId == connectionId, ct);
    }

    [Fact]
    public async Task Admin_PicksThePsaProduct_AndEveryProductWithAClientIsOffered()
    {
        await GoToAsync("integration");

        var picker = Page.GetByTestId("psa-product");
        await Assertions.Expect(picker).ToContainTextAsync("ConnectWise");
        await Assertions.Expect(Page.GetByLabel("Site", new() { Exact = true })).ToBeVisibleAsync();
        await picker.ClickAsync();
        var autotask = Page.GetByRole(AriaRole.Option, new() { Name = "Autotask", Exact = true });
        var halo = Page.GetByRole(AriaRole.Option, new() { Name = "HaloPSA", Exact = true });

        await Assertions.Expect(autotask).ToBeEnabledAsync();
        await Assertions.Expect(halo).ToBeEnabledAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Option, new() { Name = "ConnectWise", Exact = true })).ToBeEnabledAsync();
        await autotask.ClickAsync();
        await Assertions.Expect(Page.GetByLabel("API tracking identifier")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByLabel("Zone lookup address")).ToBeVisibleAsync();
        await picker.ClickAsync();
        await halo.ClickAsync();
        await Assertions.Expect(Page.GetByLabel("Halo address")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByLabel("Client secret")).ToBeVisibleAsync();
    }
}

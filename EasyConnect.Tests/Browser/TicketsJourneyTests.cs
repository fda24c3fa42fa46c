using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Sandbox.ConnectWise;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>An admin sets the maps, switches the ticket sync on, adds a portal ticket in the sandbox and watches it reach the PSA, in Chromium.</summary>
public sealed class TicketsJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser)
{
    private const string Subject = "Payroll app crashes when exporting to the bank";
    private const string Comment = "It started after last night's update.";
    private Guid _connection;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["EasyConnect:Sandbox:Enabled"] = "true" };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        var psa = await App.Services.GetRequiredService<PsaConnections>().ConnectAsync(new ConnectionDraft(PsaKind.ConnectWise, new Dictionary<string, string>
        {
            ["site"] = App.BaseAddress + "sandbox/connectwise", ["companyId"] = "easyconnect", ["publicKey"] = "sandbox-public-key",
            ["privateKey"] = "sandbox-private-key", ["clientId"] = "tests",
        }), "tests", TestContext.Current.CancellationToken);
        Assert.True(psa.Succeeded, psa.Error);
        _connection = psa.Connection!.Id;
        var portal = await App.Services.GetRequiredService<PortalConnections>().ConnectAsync(
            new PortalConnectionDraft(App.BaseAddress + "sandbox/portal", "easyconnect@msp.example", "sandbox-api-token", 360012345678), "tests", TestContext.Current.CancellationToken);
        Assert.True(portal.Passed, portal.Error);
        await App.WaitForFullSyncAsync(_connection);
        await LoginAsync(TestUsers.Admin);
    }

    [Fact]
    public async Task Admin_SetsTheMaps_SwitchesSyncOn_AndSeesAPortalTicketReachThePsaWithItsLedger()
    {
        // The maps: "high" goes to Priority 1 rather than the pre-filled Priority 2, and the sync is switched on.
        await GoToAsync("advanced-settings");
        await Page.GetByTestId("priority-high").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Priority 1 - Emergency Response" }).ClickAsync();
        await Page.GetByLabel("Ticket sync on").CheckAsync();
        await Page.GetByTestId("save-settings").ClickAsync();
        await Assertions.Expect(Page.GetByText("Advanced Settings saved.")).ToBeVisibleAsync();

        // A customer's ticket and a comment, added in the portal sandbox.
        await Page.GotoAsync("sandbox/portal/_sandbox/");
        await Page.GetByLabel("Subject").FillAsync(Subject);
        await Page.GetByLabel("Description").FillAsync("The export to the bank fails for everyone in finance.");
        await Page.GetByLabel("ClusterID").FillAsync("CL-000007");
        await Page.GetByLabel("Priority").SelectOptionAsync("high");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add ticket" }).ClickAsync();
        var row = Page.GetByRole(AriaRole.Row).Filter(new() { HasText = Subject });
        await Assertions.Expect(row).ToBeVisibleAsync();
        var portalId = (await row.GetByRole(AriaRole.Cell).First.InnerTextAsync()).Trim();
        await Page.GetByLabel("Ticket id").FillAsync(portalId);
        await Page.GetByLabel("Body").FillAsync(Comment);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add comment" }).ClickAsync();
        await Assertions.Expect(row.GetByRole(AriaRole.Cell).Last).ToHaveTextAsync("2");

        // The sync, run from the Tickets page.
        await GoToAsync("tickets");
        await Page.GetByTestId("sync-tickets-now").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("tickets-notice")).ToContainTextAsync("has run", new() { Timeout = 60_000 });
        var ticket = Page.GetByTestId("tickets-grid").GetByRole(AriaRole.Row).Filter(new() { HasText = Subject });
        await Assertions.Expect(ticket).ToBeVisibleAsync();
        var company = await CompanyOfConfigurationAsync("7");
        await Assertions.Expect(ticket.GetByTestId("company")).ToHaveTextAsync(company);
        await Assertions.Expect(ticket.GetByTestId("priority")).ToHaveTextAsync("Priority 1 - Emergency Response");
        await Assertions.Expect(ticket.GetByTestId("status")).ToHaveTextAsync("New");
        await Assertions.Expect(ticket.GetByTestId("psa-ticket")).ToContainTextAsync("#");
        await ScreenshotAsync("tickets");

        await ticket.GetByTestId("portal-ticket").ClickAsync();
        await WaitForInteractiveAsync();
        await Assertions.Expect(Page.GetByTestId("psa-summary")).ToHaveTextAsync(Subject);
        var psaNumber = await Page.GetByTestId("psa-ticket").InnerTextAsync();
        await Assertions.Expect(Page.GetByTestId("psa-company")).ToHaveTextAsync(company);
        await Assertions.Expect(Page.GetByTestId("ticket-notes")).ToContainTextAsync(Comment);
        var ledger = Page.GetByTestId("ledger");
        await Assertions.Expect(ledger).ToContainTextAsync("Created ConnectWise ticket");
        await Assertions.Expect(ledger).ToContainTextAsync("became internal note");
        await ScreenshotAsync("ticket-ledger");

        // The run is on the Sync runs page with the mirror's runs.
        await GoToAsync("sync-runs");
        var run = Page.GetByTestId("runs-grid").GetByRole(AriaRole.Row).Filter(new() { HasText = "Tickets" }).First;
        await Assertions.Expect(run.GetByTestId("run-status")).ToHaveTextAsync("Succeeded");

        // What the pages show is what ConnectWise holds.
        var sandbox = App.Services.GetRequiredService<ConnectWiseSandboxState>();
        var psa = Assert.Single(sandbox.TicketsWithExternalXRef(portalId));
        Assert.Equal($"#{psa.Id}", psaNumber.Trim());
        Assert.Equal(Subject, psa.Summary);
        Assert.Equal(1, psa.PriorityId);
        Assert.Contains(sandbox.NotesOf(psa.Id), n => n.Internal && n.Text.EndsWith(Comment, StringComparison.Ordinal));
    }

    private async Task<string> CompanyOfConfigurationAsync(string configurationId)
    {
        await using var db = PostgresServer.CreateContext(App.ConnectionString);
        var companyId = await db.PsaConfigurations.Where(c => c.ConnectionId == _connection && c.PsaId == configurationId).Select(c => c.CompanyId).SingleAsync(TestContext.Current.CancellationToken);
        return await db.PsaCompanies.Where(c => c.ConnectionId == _connection && c.PsaId == companyId).Select(c => c.Name).SingleAsync(TestContext.Current.CancellationToken);
    }
}

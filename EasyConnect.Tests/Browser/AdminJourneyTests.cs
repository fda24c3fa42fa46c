using System.Globalization;
using EasyConnect.Sync.Sandbox.ConnectWise;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>
/// The MSP admin's journey on a fresh install, in Chromium, through the pages only: first-run setup, the ConnectWise and portal
/// sandboxes connected on the Integration page, the first full sync watched on Sync runs, the maps set in Advanced Settings, the sync
/// switched on, and a customer's new portal ticket reaching the PSA with the right summary, company, priority and status.
/// Its screenshots illustrate docs/guide-admin.md.
/// </summary>
public sealed class AdminJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    private const string Subject = "Payroll app crashes when exporting to the bank";
    private const string Comment = "It started after last night's update.";
    private const string ClusterId = "CL-000007";

    [Fact]
    public async Task Admin_SetsUpConnectsSetsTheMapsSwitchesSyncOn_AndANewPortalTicketReachesThePsa()
    {
        // First run: the setup code is printed in the app's log on a fresh install.
        await SetUpFirstAdministratorAsync(TestUsers.Admin, () => GuideScreenshotAsync("admin-01-setup"));
        await LoginAsync(TestUsers.Admin);
        await Assertions.Expect(Page.GetByTestId("next-steps")).ToContainTextAsync("Connect the PSA");
        await GuideScreenshotAsync("admin-02-overview");

        // The Integration page: ConnectWise first, then the portal.
        await GoToAsync("integration");
        await Page.GetByTestId("use-sandbox").ClickAsync();
        await Page.GetByTestId("test-connection").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("check").First).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("[data-testid=check][data-passed=false]")).ToHaveCountAsync(0);
        await GuideScreenshotAsync("admin-03-connectwise");
        await Page.GetByTestId("connect").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("psa-connected")).ToBeVisibleAsync();
        await Page.GetByTestId("portal-use-sandbox").ClickAsync();
        await Page.GetByTestId("portal-connect").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("portal-connected")).ToBeVisibleAsync();
        await GuideScreenshotAsync("admin-04-integration");

        // Connecting starts the first full sync; the admin watches it on Sync runs (a busy CI machine may take a while).
        await GoToAsync("sync-runs");
        // (An incremental run may start on its schedule meanwhile; the full run is the one to watch.)
        var full = Page.GetByTestId("runs-grid").GetByRole(AriaRole.Row).Filter(new() { HasText = "Full" }).First;
        await Assertions.Expect(full.GetByTestId("run-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
        await GuideScreenshotAsync("admin-05-sync-runs");

        // Advanced Settings: the maps come pre-filled by name; "urgent" goes to Priority 1, and the sync is switched on.
        await GoToAsync("advanced-settings");
        await Assertions.Expect(Page.GetByTestId("prefilled")).ToBeVisibleAsync();
        await Page.GetByTestId("priority-urgent").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Priority 1 - Emergency Response" }).ClickAsync();
        await Page.GetByLabel("Ticket sync on").CheckAsync();
        await GuideScreenshotAsync("admin-06-advanced-settings");
        await Page.GetByTestId("save-settings").ClickAsync();
        await Assertions.Expect(Page.GetByText("Advanced Settings saved.")).ToBeVisibleAsync();

        // A customer raises a ticket in the portal (the sandbox's own page stands in for the portal) and comments on it.
        await Page.GotoAsync("sandbox/portal/_sandbox/");
        await Page.GetByLabel("Subject").FillAsync(Subject);
        await Page.GetByLabel("Description").FillAsync("The export to the bank fails for everyone in finance.");
        await Page.GetByLabel("ClusterID").FillAsync(ClusterId);
        await Page.GetByLabel("Priority").SelectOptionAsync("urgent");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add ticket" }).ClickAsync();
        var row = Page.GetByRole(AriaRole.Row).Filter(new() { HasText = Subject });
        await Assertions.Expect(row).ToBeVisibleAsync();
        var portalId = (await row.GetByRole(AriaRole.Cell).First.InnerTextAsync()).Trim();
        await Page.GetByLabel("Ticket id").FillAsync(portalId);
        await Page.GetByLabel("Body").FillAsync(Comment);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add comment" }).ClickAsync();
        await Assertions.Expect(row.GetByRole(AriaRole.Cell).Last).ToHaveTextAsync("2");

        // The admin does not wait for the schedule: Sync tickets now.
        await GoToAsync("tickets");
        await Page.GetByTestId("sync-tickets-now").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("tickets-notice")).ToContainTextAsync("The ticket sync has run", new() { Timeout = 60_000 });
        var ticket = Page.GetByTestId("tickets-grid").GetByRole(AriaRole.Row).Filter(new() { HasText = Subject });
        var (companyId, companyName) = await CompanyOfClusterIdAsync();
        await Assertions.Expect(ticket.GetByTestId("company")).ToHaveTextAsync(companyName);
        await Assertions.Expect(ticket.GetByTestId("priority")).ToHaveTextAsync("Priority 1 - Emergency Response");
        await Assertions.Expect(ticket.GetByTestId("status")).ToHaveTextAsync("New");
        await GuideScreenshotAsync("admin-07-tickets");

        await ticket.GetByTestId("portal-ticket").ClickAsync();
        await WaitForInteractiveAsync();
        await Assertions.Expect(Page.GetByTestId("psa-summary")).ToHaveTextAsync(Subject);
        await Assertions.Expect(Page.GetByTestId("ticket-notes")).ToContainTextAsync(Comment);
        var ledger = Page.GetByTestId("ledger");
        await Assertions.Expect(ledger).ToContainTextAsync("Created ConnectWise ticket");
        await Assertions.Expect(ledger).ToContainTextAsync("became internal note");
        await GuideScreenshotAsync("admin-08-ticket");
        var psaNumber = (await Page.GetByTestId("psa-ticket").InnerTextAsync()).Trim();

        // The ticket sync's run is listed with the mirror's runs.
        await GoToAsync("sync-runs");
        var run = Page.GetByTestId("runs-grid").GetByRole(AriaRole.Row).Filter(new() { HasText = "Tickets" }).First;
        await Assertions.Expect(run.GetByTestId("run-status")).ToHaveTextAsync("Succeeded");

        // What the pages show is what ConnectWise holds: one ticket, with the mapped summary, company, priority and status.
        var sandbox = App.Services.GetRequiredService<ConnectWiseSandboxState>();
        var psa = Assert.Single(sandbox.TicketsWithExternalXRef(portalId));
        Assert.Equal($"#{psa.Id}", psaNumber);
        Assert.Equal(Subject, psa.Summary);
        Assert.Equal(companyId, psa.CompanyId);
        Assert.Equal(1, psa.PriorityId);
        var (boardId, newStatusId, _) = sandbox.Defaults();
        Assert.Equal(boardId, psa.BoardId);
        Assert.Equal(newStatusId, psa.StatusId);
        Assert.Contains(sandbox.NotesOf(psa.Id), n => n.Internal && n.Text.EndsWith(Comment, StringComparison.Ordinal));

        // EasyConnect's own writes (the external id, the comment's note) left the customer's ticket as it was: still new.
        var portalTicket = App.Services.GetRequiredService<EasyConnect.Sync.Sandbox.Portal.PortalSandboxState>().FindTicket(long.Parse(portalId, CultureInfo.InvariantCulture));
        Assert.NotNull(portalTicket);
        Assert.Equal("new", portalTicket.Status);
        Assert.Equal(psa.Id.ToString(CultureInfo.InvariantCulture), portalTicket.ExternalId);
    }

    /// <summary>The company of the configuration whose ClusterID the ticket carries (the sandbox's CL-000007 is configuration 7), as mirrored from the PSA.</summary>
    private async Task<(int Id, string Name)> CompanyOfClusterIdAsync()
    {
        await using var db = PostgresServer.CreateContext(App.ConnectionString);
        var companyId = await db.PsaConfigurations.Where(c => c.PsaId == "7").Select(c => c.CompanyId).SingleAsync(Ct);
        var name = await db.PsaCompanies.Where(c => c.PsaId == companyId).Select(c => c.Name).SingleAsync(Ct);
        return (int.Parse(companyId!, CultureInfo.InvariantCulture), name);
    }
}

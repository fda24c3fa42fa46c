using System.Globalization;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Sandbox.ConnectWise;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>
/// The support engineer's journey, in Chromium: logs in, reads the sync runs and the Hangfire dashboard (which offers them no
/// buttons), resyncs a ticket whose subject changed in the portal, and is refused Advanced Settings and the Integration page.
/// Its screenshots illustrate docs/guide-support.md.
/// </summary>
public sealed class SupportJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    private const string Renamed = "Printer on floor 2 jams on double-sided jobs";
    private Guid _connection;
    private PortalSandboxTicket _ticket = default!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // The admin has connected both systems and switched the sync on; a customer's ticket is linked to the PSA.
        await App.CreateUserAsync(TestUsers.Support, Roles.Support);
        _connection = await ConnectSandboxesAsync(ticketSyncOn: true);
        _ticket = await AddLinkedTicketAsync(_connection, "Printer on floor 2 jams", "CL-000003");
    }

    [Fact]
    public async Task Support_WatchesRunsAndTheJobsDashboardReadOnly_ResyncsATicket_AndIsRefusedTheAdminPages()
    {
        await LoginAsync(TestUsers.Support);
        await WaitForInteractiveAsync();
        var navigation = Page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" });
        await Assertions.Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Sync runs" })).ToBeVisibleAsync();
        await Assertions.Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Integration" })).ToHaveCountAsync(0);
        await Assertions.Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Advanced Settings" })).ToHaveCountAsync(0);

        // Sync runs: the connection's first full sync and the ticket sync, with a run's details.
        await navigation.GetByRole(AriaRole.Link, new() { Name = "Sync runs" }).ClickAsync();
        await WaitForInteractiveAsync();
        var grid = Page.GetByTestId("runs-grid");
        await Assertions.Expect(grid.GetByRole(AriaRole.Row).Filter(new() { HasText = "Tickets" }).Last.GetByTestId("run-status")).ToHaveTextAsync("Succeeded");
        var full = grid.GetByRole(AriaRole.Row).Filter(new() { HasText = "Full" }).Last;
        await Assertions.Expect(full.GetByTestId("run-status")).ToHaveTextAsync("Succeeded");
        await full.GetByRole(AriaRole.Cell, new() { Name = "Full", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("run-entity-Configurations")).ToContainTextAsync("200");
        await GuideScreenshotAsync("support-01-sync-runs");

        // The jobs dashboard shows the recurring jobs, without the buttons that would change them.
        await Page.GotoAsync("hangfire/recurring");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Recurring Jobs" })).ToBeVisibleAsync();
        // Jobs are named after the connection as people know it, not by its id.
        var connectionName = (await App.Services.GetRequiredService<PsaConnections>().GetActiveAsync(Ct))!.DisplayName;
        await Assertions.Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ticket sync of connection " + connectionName })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "PSA full sync of connection " + connectionName })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByText(_connection.ToString()).First).ToBeVisibleAsync(); // the job's id still carries it
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Trigger now" })).ToHaveCountAsync(0);
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(0);
        await GuideScreenshotAsync("support-02-jobs-dashboard");

        // A customer renames their ticket in the portal; the support engineer resyncs it rather than wait for the schedule.
        App.Services.GetRequiredService<PortalSandboxState>().UpdateTicket(_ticket.Id, subject: Renamed);
        await GoToAsync("tickets");
        await Page.GetByTestId("tickets-grid").GetByRole(AriaRole.Row).Filter(new() { HasText = "Printer on floor 2 jams" }).GetByTestId("portal-ticket").ClickAsync();
        await WaitForInteractiveAsync();
        await Page.GetByTestId("resync").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("ticket-notice")).ToContainTextAsync("queued");
        await Assertions.Expect(Page.GetByTestId("psa-summary")).ToHaveTextAsync(Renamed, new() { Timeout = 60_000 });
        await Assertions.Expect(Page.GetByTestId("ledger")).ToContainTextAsync(Renamed);
        await GuideScreenshotAsync("support-03-resync");
        var psa = Assert.Single(App.Services.GetRequiredService<ConnectWiseSandboxState>().TicketsWithExternalXRef(_ticket.Id.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(Renamed, psa.Summary);

        // The admin pages refuse them on the server, whatever the address bar says.
        foreach (var page in new[] { "advanced-settings", "integration" })
        {
            await Page.GotoAsync(page);
            await Page.WaitForURLAsync("**/Account/AccessDenied**");
            await Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not give access");
        }

        await GuideScreenshotAsync("support-04-refused");
    }
}

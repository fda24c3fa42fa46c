using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>
/// The tour a newcomer takes with `dotnet run` (the README's): the sandbox on, both sandboxes connected from the Integration page, the
/// maps confirmed and the sync switched on, and the first "Sync tickets now" already bringing in the sandbox portal's recent tickets;
/// then a test ticket created from the Tickets page arrives too. Through the pages only, never the sandbox's own pages.
/// </summary>
public sealed class SandboxTourJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    // The first of the sandbox portal's recent tickets, and the reply its customer added.
    private const string RecentSubject = "Outlook asks for the password every hour (CL-000001)";
    private const string RecentReply = "It asked me again just now.";
    private const string TestSubject = "Scanner on the second floor jams";
    private const string TestComment = "It jams on every double-sided page.";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["EasyConnect:Sandbox:Enabled"] = "true",
        // What the app seeds when nothing says otherwise (the test app turns them off for the other journeys).
        ["EasyConnect:Sandbox:Portal:RecentTickets"] = "4",
    };

    [Fact]
    public async Task Tour_EndsWithSyncedTickets_WhenANewAdminConnectsBothSandboxesAndSwitchesTheSyncOn()
    {
        // First run and login.
        await SetUpFirstAdministratorAsync(TestUsers.Admin);
        await LoginAsync(TestUsers.Admin);

        // Integration: "Use the sandbox" for both, Test, Connect.
        await GoToAsync("integration");
        await Page.GetByTestId("use-sandbox").ClickAsync();
        await Page.GetByTestId("test-connection").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("check").First).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("check-running")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.Locator("[data-testid=check][data-passed=false]")).ToHaveCountAsync(0);
        await Page.GetByTestId("connect").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("psa-connected")).ToBeVisibleAsync();
        await Page.GetByTestId("portal-use-sandbox").ClickAsync();
        await Page.GetByTestId("portal-test").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("portal-check").First).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("portal-test")).ToBeEnabledAsync();
        await Assertions.Expect(Page.Locator("[data-testid=portal-check][data-passed=false]")).ToHaveCountAsync(0);
        await Page.GetByTestId("portal-connect").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("portal-connected")).ToBeVisibleAsync();

        // The maps are pre-filled from the first full sync's statuses and priorities; a busy machine may take a while.
        var connection = (await App.Services.GetRequiredService<PsaConnections>().GetActiveAsync(Ct))!.Id;
        await App.WaitForFullSyncAsync(connection);

        // Advanced Settings: the maps as they come, the sync on.
        await GoToAsync("advanced-settings");
        await Assertions.Expect(Page.GetByTestId("prefilled")).ToBeVisibleAsync();
        await Page.GetByLabel("Ticket sync on").CheckAsync();
        await Page.GetByTestId("save-settings").ClickAsync();
        await Assertions.Expect(Page.GetByText("Advanced Settings saved.")).ToBeVisibleAsync();

        // Tickets: the first run already finds the sandbox portal's recent tickets.
        await GoToAsync("tickets");
        await Page.GetByTestId("sync-tickets-now").ClickAsync();
        var grid = Page.GetByTestId("tickets-grid");
        var recent = grid.GetByRole(AriaRole.Row).Filter(new() { HasText = RecentSubject });
        await Assertions.Expect(recent).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(recent.GetByTestId("psa-ticket")).Not.ToHaveTextAsync("—");
        await ScreenshotAsync("tour-01-recent-tickets");
        await recent.GetByTestId("portal-ticket").ClickAsync();
        await WaitForInteractiveAsync();
        await Assertions.Expect(Page.GetByTestId("psa-summary")).ToHaveTextAsync(RecentSubject);
        await Assertions.Expect(Page.GetByTestId("ticket-notes")).ToContainTextAsync(RecentReply);

        // A test ticket of the admin's own, raised in the sandbox portal from the Tickets page.
        await GoToAsync("tickets");
        await Page.GetByTestId("create-test-ticket").ClickAsync();
        await Page.GetByLabel("Subject").FillAsync(TestSubject);
        await Page.GetByLabel("Comment").FillAsync(TestComment);
        await Page.GetByTestId("test-ticket-create").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("test-ticket-created")).ToContainTextAsync("Sync tickets now");
        await ScreenshotAsync("tour-02-test-ticket");
        await Page.GetByTestId("sync-tickets-now").ClickAsync();
        var created = grid.GetByRole(AriaRole.Row).Filter(new() { HasText = TestSubject });
        await Assertions.Expect(created).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(created.GetByTestId("psa-ticket")).Not.ToHaveTextAsync("—");
        await created.GetByTestId("portal-ticket").ClickAsync();
        await WaitForInteractiveAsync();
        await Assertions.Expect(Page.GetByTestId("ticket-notes")).ToContainTextAsync(TestComment);
    }

    [Fact]
    public async Task TicketsPage_OffersNoTestTicket_WhenThePortalConnectionIsNotTheSandbox()
    {
        // Arrange: the sandbox is on, but only the PSA is connected.
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await ConnectSandboxesAsync(portal: false);
        await LoginAsync(TestUsers.Admin);

        // Act
        await GoToAsync("tickets");

        // Assert
        await Assertions.Expect(Page.GetByTestId("sync-tickets-now")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("create-test-ticket")).ToHaveCountAsync(0);
    }
}

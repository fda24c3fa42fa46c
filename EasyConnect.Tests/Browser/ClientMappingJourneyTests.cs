using EasyConnect.Sync.Mappings;
using EasyConnect.Sync.Sandbox.ConnectWise;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Sync.Tickets;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>A technician finds a ClusterID that matches no configuration, sees the ticket it holds, and ties it to a configuration, in Chromium.</summary>
public sealed class ClientMappingJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    private const string ClusterId = "CL-NEWSITE";
    private Guid _connection;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await App.CreateUserAsync(TestUsers.Technician, Roles.Technician);
        _connection = await ConnectSandboxesAsync(ticketSyncOn: true);
    }

    [Fact]
    public async Task Technician_SeesTheHeldTicketOfAnUnknownClusterId_AndTiesItToAConfiguration()
    {
        var ticket = App.Services.GetRequiredService<PortalSandboxState>().AddTicket("Wi-Fi down at the new site", "Nobody can connect.", clusterId: ClusterId);
        var engine = App.Services.GetRequiredService<TicketSyncEngine>();
        await engine.RunAsync(_connection, new TicketSyncRequest(StartedBy: "tests"), Ct);
        var configuration = (await App.Services.GetRequiredService<ClientMappings>().SearchConfigurationsAsync(_connection, null, 50, Ct)).First(c => c.Active && c.CompanyName is not null);
        await LoginAsync(TestUsers.Technician);

        // The ticket page's address carries the portal ticket number, as a customer would quote it.
        await GoToAsync($"tickets/{ticket.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        await Assertions.Expect(Page.GetByTestId("held-reason")).ToContainTextAsync(ClusterId);
        await Page.GetByTestId("fix-client-mapping").ClickAsync();
        await Page.WaitForURLAsync("**/client-mapping?filter=unmatched");
        await WaitForInteractiveAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Client mapping" })).ToBeVisibleAsync();
        var held = Page.GetByTestId($"held-{ClusterId}");
        await Assertions.Expect(held).ToContainTextAsync("1 held");
        await Assertions.Expect(held.GetByRole(AriaRole.Link)).ToContainTextAsync("Wi-Fi down at the new site");
        await Assertions.Expect(Page.GetByTestId($"configuration-{ClusterId}")).ToHaveTextAsync("none matched");
        await ScreenshotAsync("unmatched");
        var picker = Page.GetByLabel($"Configuration for ClusterID {ClusterId}");
        await picker.FillAsync(configuration.Name);
        await Page.GetByRole(AriaRole.Option).Filter(new() { HasText = configuration.Name }).First.ClickAsync();
        await Assertions.Expect(Page.GetByText($"ClusterID {ClusterId} is now")).ToBeVisibleAsync();
        await Page.GetByTestId("unmatched-only").ClickAsync();
        await Assertions.Expect(Page.GetByTestId($"configuration-{ClusterId}")).ToHaveTextAsync(configuration.Name);
        await ScreenshotAsync("fixed");

        await engine.RunAsync(_connection, new TicketSyncRequest(StartedBy: "tests"), Ct);
        var sandbox = App.Services.GetRequiredService<ConnectWiseSandboxState>();
        var psaTicket = Assert.Single(sandbox.TicketsWithExternalXRef(ticket.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal([int.Parse(configuration.Id, System.Globalization.CultureInfo.InvariantCulture)], psaTicket.ConfigurationIds);
    }
}

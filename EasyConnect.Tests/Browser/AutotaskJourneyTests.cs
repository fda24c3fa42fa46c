using System.Globalization;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Sandbox.Autotask;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>
/// An MSP on Autotask, in Chromium, through the pages only: the admin connects the built-in Autotask sandbox and the portal sandbox on
/// the Integration page, sets the maps in Advanced Settings, switches the sync on and raises a test ticket in the sandbox portal from
/// the Tickets page, which reaches Autotask with its title, company, configuration item, priority, status and note; then a technician
/// maps a colleague to their Autotask resource, found by the resource's third email. Its screenshots illustrate the Autotask parts of
/// docs/guide-admin.md and docs/guide-technician.md.
/// </summary>
public sealed class AutotaskJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    private const string Subject = "Label printer in the warehouse prints blank labels";
    private const string Comment = "It began after the driver update this morning.";
    private const string ClusterId = "CL-000001";
    private const string Colleague = "nora.field@helpdesk.example";

    [Fact]
    public async Task Admin_ConnectsAutotaskAndATestTicketReachesIt_AndATechnicianMapsAColleagueToTheirResource()
    {
        // The colleague's Autotask resource carries their EasyConnect address only as its third email.
        var sandbox = App.Services.GetRequiredService<AutotaskSandboxState>();
        sandbox.AddResource("Nora", "Field", "nora.field@msp.example.com", null, "Nora.Field@helpdesk.example");
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await App.CreateUserAsync(TestUsers.Technician, Roles.Technician);
        await App.CreateUserAsync(Colleague, Roles.Technician);
        await LoginAsync(TestUsers.Admin);

        // Integration: Autotask from the product picker, "Use the sandbox", Test, Connect; then the portal.
        await GoToAsync("integration");
        await Page.GetByTestId("psa-product").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Autotask", Exact = true }).ClickAsync();
        // The choice re-renders the form: until the Autotask form is there, "Use the sandbox" would fill the ConnectWise one.
        await Assertions.Expect(Page.GetByTestId("autotask-form")).ToBeVisibleAsync();
        await Page.GetByTestId("autotask-form").GetByTestId("use-sandbox").ClickAsync();
        await Assertions.Expect(Page.GetByLabel("Zone lookup address")).Not.ToHaveValueAsync("");
        await Page.GetByTestId("test-connection").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("check").First).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("check-running")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Assertions.Expect(Page.Locator("[data-testid=check][data-passed=false]")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.GetByTestId("check").Filter(new() { HasText = "Deleted ticket logs: read" })).ToBeVisibleAsync();
        await GuideScreenshotAsync("autotask-01-test-connection");
        await Page.GetByTestId("connect").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("psa-connected")).ToContainTextAsync("Connected to Autotask database 1234567 (America East 5)");
        await Page.GetByTestId("portal-use-sandbox").ClickAsync();
        await Page.GetByTestId("portal-connect").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("portal-connected")).ToBeVisibleAsync();
        await GuideScreenshotAsync("autotask-02-integration");
        var connection = (await App.Services.GetRequiredService<PsaConnections>().GetActiveAsync(Ct))!.Id;
        await App.WaitForFullSyncAsync(connection);

        // Advanced Settings: the tenant's own picklist labels for the maps, the ClusterID in the configuration items' ClusterID field, the sync on.
        await GoToAsync("advanced-settings");
        await Assertions.Expect(Page.GetByTestId("prefilled")).ToBeVisibleAsync();
        await ChooseAsync("priority-normal", "P3 - Medium");
        await ChooseAsync("status-new", "New");
        // The sandbox tenant has no statuses named after hold, solved or closed: the admin chooses them.
        await ChooseAsync("status-hold", "Waiting Customer");
        await ChooseAsync("status-solved", "Complete");
        await ChooseAsync("status-closed", "Complete");
        await Page.GetByTestId("clusterid-match").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "user-defined field (UDF)" }).ClickAsync();
        await Page.GetByLabel("User-defined field name").FillAsync(AutotaskSandboxState.ClusterIdField);
        await Page.GetByLabel("Ticket sync on").CheckAsync();
        await GuideScreenshotAsync("autotask-03-advanced-settings");
        await Page.GetByTestId("save-settings").ClickAsync();
        await Assertions.Expect(Page.GetByText("Advanced Settings saved.")).ToBeVisibleAsync();

        // Tickets: a test ticket raised in the sandbox portal, then Sync tickets now.
        await GoToAsync("tickets");
        await Page.GetByTestId("create-test-ticket").ClickAsync();
        await Page.GetByLabel("Subject").FillAsync(Subject);
        await Assertions.Expect(Page.GetByTestId("test-ticket-cluster")).ToContainTextAsync(ClusterId);
        await Assertions.Expect(Page.GetByText("Each matches a configuration item in the Autotask sandbox")).ToBeVisibleAsync();
        await Page.GetByLabel("Comment").FillAsync(Comment);
        await Page.GetByTestId("test-ticket-create").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("test-ticket-created")).ToContainTextAsync("Sync tickets now");
        await Page.GetByTestId("sync-tickets-now").ClickAsync();
        var row = Page.GetByTestId("tickets-grid").GetByRole(AriaRole.Row).Filter(new() { HasText = Subject });
        await Assertions.Expect(row.GetByTestId("psa-ticket")).Not.ToHaveTextAsync("—", new() { Timeout = 60_000 });
        await row.GetByTestId("portal-ticket").ClickAsync();
        await WaitForInteractiveAsync();

        // The Autotask ticket as the ticket's page shows it.
        var (configurationItem, company) = ConfigurationItemOf(sandbox, ClusterId);
        await Assertions.Expect(Page.GetByTestId("psa-summary")).ToHaveTextAsync(Subject);
        await Assertions.Expect(Page.GetByTestId("psa-company")).ToHaveTextAsync(company);
        await Assertions.Expect(Page.GetByTestId("psa-configuration")).ToHaveTextAsync(configurationItem);
        await Assertions.Expect(Page.GetByTestId("psa-priority")).ToHaveTextAsync("P3 - Medium");
        await Assertions.Expect(Page.GetByTestId("psa-status")).ToHaveTextAsync("New");
        await Assertions.Expect(Page.GetByTestId("ticket-notes")).ToContainTextAsync(Comment);
        await Assertions.Expect(Page.GetByTestId("ledger")).ToContainTextAsync("Created Autotask ticket");
        await GuideScreenshotAsync("autotask-04-ticket");
        var psaNumber = (await Page.GetByTestId("psa-ticket").InnerTextAsync()).Trim();

        // What the page shows is what Autotask holds.
        var ticket = Assert.Single(sandbox.Ids(AutotaskSandboxState.Tickets).Select(id => sandbox.Find(AutotaskSandboxState.Tickets, id)!),
            t => (string?)t["title"] == Subject);
        Assert.Equal($"#{Number(ticket["id"])}", psaNumber);
        Assert.Equal((2L, 1L), (Number(ticket["priority"]), Number(ticket["status"])));
        Assert.Equal(ConfigurationItemIdOf(sandbox, ClusterId), Number(ticket["configurationItemID"]));

        // The technician's turn: the colleague has no mapping yet; their resource is found by its third email.
        await Page.Context.ClearCookiesAsync();
        await LoginAsync(TestUsers.Technician);
        await WaitForInteractiveAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Autotask User Mapping", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Autotask User Mapping" })).ToBeVisibleAsync();
        await WaitForInteractiveAsync();
        await Page.GetByTestId("mapping-filter").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Users without a mapping" }).ClickAsync();
        var grid = Page.GetByTestId("mapping-grid");
        await Assertions.Expect(grid.GetByRole(AriaRole.Row).Filter(new() { HasText = Colleague })).ToContainTextAsync("not mapped");
        await Page.GetByLabel($"PSA resource of {Colleague}").FillAsync("helpdesk.example");
        await Page.GetByRole(AriaRole.Option, new() { Name = "Nora Field" }).First.ClickAsync();
        await Assertions.Expect(Page.GetByText($"{Colleague} is now Nora Field.")).ToBeVisibleAsync();
        await GuideScreenshotAsync("autotask-05-user-mapping");
    }

    // Numbers the sandbox seeded and numbers it read from a request are held differently; their JSON text is the same.
    private static long Number(JsonNode? node) => long.Parse(node!.ToJsonString(), CultureInfo.InvariantCulture);

    private async Task ChooseAsync(string testId, string option)
    {
        await Page.GetByTestId(testId).ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    private static long ConfigurationItemIdOf(AutotaskSandboxState sandbox, string clusterId) =>
        sandbox.Ids(AutotaskSandboxState.ConfigurationItems).First(id =>
            sandbox.Find(AutotaskSandboxState.ConfigurationItems, id)!["userDefinedFields"] is JsonArray udfs
            && udfs.Any(u => (string?)u!["name"] == AutotaskSandboxState.ClusterIdField && (string?)u["value"] == clusterId));

    /// <summary>The configuration item carrying the ClusterID and its company's name, as Autotask holds them.</summary>
    private static (string ConfigurationItem, string Company) ConfigurationItemOf(AutotaskSandboxState sandbox, string clusterId)
    {
        var item = sandbox.Find(AutotaskSandboxState.ConfigurationItems, ConfigurationItemIdOf(sandbox, clusterId))!;
        var company = sandbox.Find(AutotaskSandboxState.Companies, Number(item["companyID"]))!;
        return ((string)item["referenceTitle"]!, (string)company["companyName"]!);
    }
}

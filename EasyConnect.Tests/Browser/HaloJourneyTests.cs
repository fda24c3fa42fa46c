using System.Globalization;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Sandbox.Halo;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>
/// An MSP on HaloPSA, in Chromium, through the pages only: the admin connects the built-in Halo sandbox and the portal sandbox on the
/// Integration page, sets the maps in Advanced Settings (a priority map per SLA, as Halo keeps priorities per SLA), switches the
/// sync on and raises a test ticket in the sandbox portal from the Tickets page, which reaches Halo with its summary, client, asset,
/// priority, status and private action; then a technician maps a colleague to their Halo agent, found by the agent's email. Its
/// screenshots illustrate docs/halo-setup.md and the Halo parts of the guides.
/// </summary>
public sealed class HaloJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    private const string Subject = "Scanner on the second floor drops its network share";
    private const string Comment = "It started after the switch was replaced on Friday.";
    private const string ClusterId = "CL-000001";
    private const string Colleague = "nora.field@msp.example";

    [Fact]
    public async Task Admin_ConnectsHaloAndATestTicketReachesIt_AndATechnicianMapsAColleagueToTheirAgent()
    {
        // The colleague's Halo agent carries their EasyConnect address in another case.
        var sandbox = App.Services.GetRequiredService<HaloSandboxState>();
        var agent = sandbox.AddAgent("Nora", "Field", "Nora.Field@MSP.example");
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await App.CreateUserAsync(TestUsers.Technician, Roles.Technician);
        await App.CreateUserAsync(Colleague, Roles.Technician);
        await LoginAsync(TestUsers.Admin);

        // Integration: HaloPSA from the product picker, "Use the sandbox", Test, Connect; then the portal.
        await GoToAsync("integration");
        await Page.GetByTestId("psa-product").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "HaloPSA", Exact = true }).ClickAsync();
        // The choice re-renders the form: until the Halo form is there, "Use the sandbox" would fill the ConnectWise one.
        await Assertions.Expect(Page.GetByTestId("halo-form")).ToBeVisibleAsync();
        await Page.GetByTestId("halo-form").GetByTestId("use-sandbox").ClickAsync();
        await Assertions.Expect(Page.GetByLabel("Halo address")).Not.ToHaveValueAsync("");
        await Assertions.Expect(Page.GetByLabel("Tenant")).ToHaveValueAsync(sandbox.Options.Tenant);
        await Page.GetByTestId("test-connection").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("check").First).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("check-running")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Assertions.Expect(Page.Locator("[data-testid=check][data-passed=false]")).ToHaveCountAsync(0);
        foreach (var check in new[] { "Actions: read", "Assets: read", "Priorities: read", "Teams: read" })
        {
            await Assertions.Expect(Page.GetByTestId("check").Filter(new() { HasText = check })).ToBeVisibleAsync();
        }

        await GuideScreenshotAsync("halo-01-test-connection");
        await Page.GetByTestId("connect").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("psa-connected")).ToContainTextAsync("Connected to HaloPSA");
        await Assertions.Expect(Page.GetByTestId("psa-connected")).ToContainTextAsync($"/sandbox/halo — {sandbox.Options.Tenant}");
        await Page.GetByTestId("portal-use-sandbox").ClickAsync();
        await Page.GetByTestId("portal-connect").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("portal-connected")).ToBeVisibleAsync();
        await GuideScreenshotAsync("halo-02-integration");
        var connection = (await App.Services.GetRequiredService<PsaConnections>().GetActiveAsync(Ct))!.Id;
        await App.WaitForFullSyncAsync(connection);

        // Advanced Settings: the first SLA's priorities and Halo's statuses pre-filled by name, the ClusterID in the assets' custom field, the sync on.
        await GoToAsync("advanced-settings");
        await Assertions.Expect(Page.GetByTestId("prefilled")).ToBeVisibleAsync();
        await ChooseAsync("priority-normal", "Medium");
        // Each SLA has its own map: the Gold SLA's is pre-filled from its own priorities, and this MSP gives its "urgent" Gold's P1.
        await Page.GetByTestId("priority-scope").ClickAsync();
        await Page.GetByRole(AriaRole.Option).Filter(new() { HasText = "SLA 2" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("priority-normal")).ToContainTextAsync("P3 - Normal");
        await ChooseAsync("priority-urgent", "P1 - Urgent");
        await ChooseAsync("status-new", "New");
        await ChooseAsync("status-hold", "On Hold");
        await Page.GetByTestId("clusterid-match").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "custom field", Exact = true }).ClickAsync();
        await Page.GetByLabel("Custom field name or label").FillAsync(HaloSandboxState.ClusterIdFieldLabel);
        await Page.GetByLabel("Ticket sync on").CheckAsync();
        await GuideScreenshotAsync("halo-03-advanced-settings");
        await Page.GetByTestId("save-settings").ClickAsync();
        await Assertions.Expect(Page.GetByText("Advanced Settings saved.")).ToBeVisibleAsync();
        var maps = (await App.Services.GetRequiredService<AdvancedSettingsStore>().GetAsync(connection, Ct)).PriorityMaps;
        Assert.Equal(("1:3", "2:1", "2:3"), (maps["1"]["normal"], maps["2"]["urgent"], maps["2"]["normal"]));

        // Tickets: a test ticket raised in the sandbox portal, then Sync tickets now.
        await GoToAsync("tickets");
        await Page.GetByTestId("create-test-ticket").ClickAsync();
        await Page.GetByLabel("Subject").FillAsync(Subject);
        await Assertions.Expect(Page.GetByTestId("test-ticket-cluster")).ToContainTextAsync(ClusterId);
        await Assertions.Expect(Page.GetByText("Each matches an asset in the HaloPSA sandbox, so the ticket finds its client")).ToBeVisibleAsync();
        await Page.GetByLabel("Comment").FillAsync(Comment);
        await Page.GetByTestId("test-ticket-create").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("test-ticket-created")).ToContainTextAsync("Sync tickets now");
        await Page.GetByTestId("sync-tickets-now").ClickAsync();
        var row = Page.GetByTestId("tickets-grid").GetByRole(AriaRole.Row).Filter(new() { HasText = Subject });
        await Assertions.Expect(row.GetByTestId("psa-ticket")).Not.ToHaveTextAsync("—", new() { Timeout = 60_000 });
        await row.GetByTestId("portal-ticket").ClickAsync();
        await WaitForInteractiveAsync();

        // The Halo ticket as the ticket's page shows it.
        var (asset, client) = AssetOf(sandbox, ClusterId);
        await Assertions.Expect(Page.GetByTestId("psa-summary")).ToHaveTextAsync(Subject);
        await Assertions.Expect(Page.GetByTestId("psa-company")).ToHaveTextAsync((string)client["name"]!);
        await Assertions.Expect(Page.Locator("tr", new() { Has = Page.GetByTestId("psa-company") }).Locator("th")).ToHaveTextAsync("Client");
        await Assertions.Expect(Page.GetByTestId("psa-configuration")).ToHaveTextAsync((string)asset["inventory_number"]!);
        await Assertions.Expect(Page.GetByTestId("psa-priority")).ToHaveTextAsync("Medium");
        await Assertions.Expect(Page.GetByTestId("psa-status")).ToHaveTextAsync("New");
        await Assertions.Expect(Page.GetByTestId("ticket-notes")).ToContainTextAsync(Comment);
        await Assertions.Expect(Page.GetByTestId("ledger")).ToContainTextAsync("Created HaloPSA ticket");
        await GuideScreenshotAsync("halo-04-ticket");
        var psaNumber = (await Page.GetByTestId("psa-ticket").InnerTextAsync()).Trim();

        // What the page shows is what Halo holds: the Standard SLA's Medium, New, the asset of the ClusterID, the comment as a private action.
        var ticket = Assert.Single(sandbox.All(HaloSandboxState.Tickets, t => (string?)t["summary"] == Subject));
        Assert.Equal($"#{Number(ticket["id"])}", psaNumber);
        Assert.Equal((Number(client["id"]), 1L, 3L, 1L), (Number(ticket["client_id"]), Number(ticket["sla_id"]), Number(ticket["priority_id"]), Number(ticket["status_id"])));
        Assert.Equal([Number(asset["id"])], ((JsonArray)ticket["assets"]!).Select(a => Number(a!["id"])));
        var action = Assert.Single(sandbox.All(HaloSandboxState.Actions,
            a => Number(a["ticket_id"]) == Number(ticket["id"]) && ((string?)a["note"] ?? "").Contains(Comment, StringComparison.Ordinal)));
        Assert.True((bool)action["hiddenfromuser"]!);

        // The technician's turn: the colleague has no mapping yet; their agent is found by its email.
        await Page.Context.ClearCookiesAsync();
        await LoginAsync(TestUsers.Technician);
        await WaitForInteractiveAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Halo User Mapping", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Halo User Mapping" })).ToBeVisibleAsync();
        await WaitForInteractiveAsync();
        await Page.GetByTestId("mapping-filter").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Users without a mapping" }).ClickAsync();
        var grid = Page.GetByTestId("mapping-grid");
        await Assertions.Expect(grid.GetByRole(AriaRole.Row).Filter(new() { HasText = Colleague })).ToContainTextAsync("not mapped");
        await Assertions.Expect(Page.GetByLabel($"PSA agent of {Colleague}")).ToHaveAttributeAsync("placeholder", "Choose an agent by name or email");
        await Page.GetByLabel($"PSA agent of {Colleague}").FillAsync("nora.field@");
        await Page.GetByRole(AriaRole.Option, new() { Name = "Nora Field" }).First.ClickAsync();
        await Assertions.Expect(Page.GetByText($"{Colleague} is now Nora Field.")).ToBeVisibleAsync();
        await GuideScreenshotAsync("halo-05-user-mapping");
        await using var db = PostgresServer.CreateContext(App.ConnectionString);
        Assert.Contains(db.PsaUserMappings.Where(m => m.ConnectionId == connection).Select(m => m.MemberPsaId),
            id => id == agent.ToString(CultureInfo.InvariantCulture));
    }

    // Numbers the sandbox seeded and numbers it read from a request are held differently; their JSON text is the same.
    private static long Number(JsonNode? node) => long.Parse(node!.ToJsonString().Trim('"'), CultureInfo.InvariantCulture);

    private async Task ChooseAsync(string testId, string option)
    {
        await Page.GetByTestId(testId).ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    /// <summary>The asset carrying the ClusterID in its custom field, and its client, as Halo holds them.</summary>
    private static (JsonObject Asset, JsonObject Client) AssetOf(HaloSandboxState sandbox, string clusterId)
    {
        var asset = Assert.Single(sandbox.All(HaloSandboxState.Assets, a => a["customfields"] is JsonArray fields
            && fields.Any(f => (string?)f!["name"] == HaloSandboxState.ClusterIdFieldName && (string?)f["value"] == clusterId)));
        return (asset, sandbox.Find(HaloSandboxState.Clients, Number(asset["client_id"]))!);
    }
}

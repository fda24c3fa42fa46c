using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Sandbox.Halo;
using Microsoft.Extensions.Time.Testing;

namespace EasyConnect.Tests.Sync.Sandbox.Halo;

/// <summary>
/// The HaloPSA API rules the sandbox enforces, over real HTTP: list shapes and filters, offset paging that shifts under writes,
/// POSTed arrays that create or update, priorities per SLA, actions with their privacy, outcome, HTML and author, and read-after-write.
/// </summary>
public sealed class HaloSandboxApiTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private HaloSandboxHost _host = default!;
    private HttpClient _http = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = await HaloSandboxHost.StartAsync(o => o.Tickets = 30, _time);
        _http = await _host.ClientAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Tickets_AnswerAPageAndTheRecordCount_WithPageSizeCappedAt100()
    {
        // Act
        var page = await Get("Tickets?pageinate=true&page_size=10&page_no=3");
        var capped = await Get("Tickets?pageinate=true&page_size=500&page_no=1");
        var whole = await Get("Tickets");

        // Assert
        Assert.Equal(30, page["record_count"]!.GetValue<int>());
        Assert.Equal(3, page["page_no"]!.GetValue<int>());
        Assert.Equal([2021L, 2022, 2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030], Ids(page, "tickets"));
        Assert.Equal(100, capped["page_size"]!.GetValue<int>());
        Assert.Equal(30, Ids(whole, "tickets").Count);
        Assert.NotNull(page["tickets"]![0]!["status_name"]);
        Assert.NotNull(page["tickets"]![0]!["priority_name"]);
    }

    [Fact]
    public async Task Tickets_RepeatARowOnTheNextPage_WhenAnOlderTicketChangesIntoTheFilterDuringTheRead()
    {
        // Arrange: tickets 2021 to 2030 changed after the watermark; page 1 of 5 holds 2021 to 2025.
        var watermark = DateTimeOffset.Parse((await Get("Tickets/2021"))["last_update"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var query = $"Tickets?pageinate=true&page_size=5&lastupdatefromdate={Uri.EscapeDataString(watermark.ToString("o"))}";
        var first = await Get(query + "&page_no=1");

        // Act: an agent changes ticket 2002 (older than the watermark) between the two page reads.
        _time.Advance(TimeSpan.FromMinutes(1));
        _host.State.UpdateTicketAs(_host.Sandbox.TechnicianId, 2002, new JsonObject { ["summary"] = "Changed during the read" });
        var second = await Get(query + "&page_no=2");

        // Assert
        Assert.Equal([2021L, 2022, 2023, 2024, 2025], Ids(first, "tickets"));
        Assert.Equal([2025L, 2026, 2027, 2028, 2029], Ids(second, "tickets"));
        Assert.Equal(11, second["record_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Tickets_SkipARow_WhenARowOfAnEarlierPageChangesWhileOrderedByLastUpdate()
    {
        // Arrange
        const string query = "Tickets?pageinate=true&page_size=10&order=last_update";
        var first = await Get(query + "&page_no=1");

        // Act: ticket 2001 moves to the end of the order, so everything after it moves up one place.
        _time.Advance(TimeSpan.FromMinutes(1));
        using var update = await _http.PostAsync("Tickets", Json("""[{"id":2001,"status_id":2}]"""), Ct);
        var second = await Get(query + "&page_no=2");

        // Assert
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(2001L, Ids(first, "tickets")[0]);
        Assert.Equal(2012L, Ids(second, "tickets")[0]);
        Assert.DoesNotContain(2011L, Ids(first, "tickets").Concat(Ids(second, "tickets")));
    }

    [Fact]
    public async Task PostTickets_CreatesWithoutAnIdAndUpdatesWithOne_AnsweringTheTicket()
    {
        // Arrange
        var client = _host.State.Ids(HaloSandboxState.Clients)[1];
        var asset = _host.Sandbox.ConfigurationsWithClusterId("CL-000002").Single();

        // Act
        var created = await Post("Tickets", $$"""[{"summary":"Mail is down","details":"Line one\nline two","client_id":{{client}},"client_reference":"4711","assets":[{"id":{{asset.Id}}}]}]""");
        var id = created["id"]!.GetValue<long>();
        var updated = await Post("Tickets", $$"""[{"id":{{id}},"summary":"Mail is down for everyone"}]""");
        var found = await Get("Tickets?client_ref=4711");

        // Assert
        Assert.Equal("Mail is down for everyone", updated["summary"]!.GetValue<string>());
        Assert.Equal("<p>Line one<br>line two</p>", updated["details_html"]!.GetValue<string>());
        Assert.Equal(_host.State.DefaultTeam, updated["team"]!.GetValue<string>());
        Assert.Equal(asset.Id, updated["assets"]![0]!["id"]!.ToString());
        Assert.Equal([id], Ids(found, "tickets"));
        Assert.True(DateTimeOffset.Parse(updated["last_update"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            > DateTimeOffset.Parse(created["last_update"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task PostTickets_RefusesAPriorityOutsideTheClientsSla_AndPriorityListsEachSlasOwn()
    {
        // Arrange: the seed puts every third client on the Gold SLA, whose fifth priority is hidden.
        var gold = _host.State.Ids(HaloSandboxState.Clients)[2];
        var sla = _host.State.SlaOfClient(gold);

        // Act
        var priorities = await _http.GetFromJsonAsync<JsonArray>($"Priority?slaid={sla}", Ct);
        using var refused = await _http.PostAsync("Tickets", Json($$"""[{"summary":"x","client_id":{{gold}},"priority_id":9}]"""), Ct);
        var accepted = await Post("Tickets", $$"""[{"summary":"x","client_id":{{gold}},"priority_id":1}]""");

        // Assert
        Assert.All(priorities!, p => Assert.Equal(sla, p!["slaid"]!.GetValue<long>()));
        Assert.Equal(["P1 - Urgent", "P2 - High", "P3 - Normal", "P4 - Low", "P5 - Legacy"], priorities!.Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains($"SLA {sla}", await refused.Content.ReadFromJsonAsync<string>(Ct), StringComparison.Ordinal);
        Assert.Equal(sla, accepted["sla_id"]!.GetValue<long>());
        Assert.Equal("P1 - Urgent", accepted["priority_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sites_CarryTheirSla_AndANewTicketOfTheClientTakesTheSlaItsMainSiteHasNow()
    {
        // Arrange: Halo keeps the SLA on the site, not the client; an administrator moves a Standard client's main site to Gold.
        var clientId = _host.State.Ids(HaloSandboxState.Clients)[0];
        var gold = _host.State.SlaOfClient(_host.State.Ids(HaloSandboxState.Clients)[2]);
        var client = await _http.GetFromJsonAsync<JsonObject>($"Client/{clientId}", Ct);
        var before = await _http.GetFromJsonAsync<JsonObject>($"Site?client_id={clientId}", Ct);
        _time.Advance(TimeSpan.FromMinutes(1));
        _host.State.SetClientSla(clientId, gold);

        // Act
        var after = await _http.GetFromJsonAsync<JsonObject>($"Site?pageinate=true&page_size=100&page_no=1&lastupdatefromdate={_time.GetUtcNow().AddSeconds(-30):yyyy-MM-ddTHH:mm:ssZ}", Ct);
        var clientAfter = await _http.GetFromJsonAsync<JsonObject>($"Client/{clientId}", Ct);
        var ticket = await Post("Tickets", $$"""[{"summary":"x","client_id":{{clientId}},"priority_id":1}]""");

        // Assert
        Assert.Null(client!["sla_id"]);
        var site = Assert.Single(before!["sites"]!.AsArray());
        Assert.Equal(client["main_site_id"]!.GetValue<long>(), site!["id"]!.GetValue<long>());
        Assert.NotEqual(gold, site["sla_id"]!.GetValue<long>());
        var moved = Assert.Single(after!["sites"]!.AsArray());
        Assert.Equal((site["id"]!.GetValue<long>(), gold), (moved!["id"]!.GetValue<long>(), moved["sla_id"]!.GetValue<long>()));
        Assert.Equal(client["alastupdate"]?.ToJsonString(), clientAfter!["alastupdate"]?.ToJsonString());
        Assert.Equal(gold, ticket["sla_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task PostActions_AddsAPrivateNoteAsTheApiAgentOrAnAgent_WithHtmlOnlyWhenAskedFor()
    {
        // Arrange
        var ava = long.Parse(_host.Sandbox.MemberIdByEmail("ava.nguyen@msp.example")!, System.Globalization.CultureInfo.InvariantCulture);

        // Act
        var mine = await Post("Actions", """[{"ticket_id":2003,"note":"Checked <the> logs","outcome":"private note","hiddenfromuser":true,"sendemail":false}]""");
        var hers = await Post("Actions", $$"""[{"ticket_id":2003,"note_html":"<p>Rebooted &amp; fine</p>","outcome_id":1,"who_agentid":{{ava}}}]""");
        var plain = await Get("Actions?ticket_id=2003&excludesys=true");
        var html = await Get("Actions?ticket_id=2003&excludesys=true&includehtmlnote=true");
        var ticket = await Get("Tickets/2003");

        // Assert
        Assert.Equal("Private Note", mine["outcome"]!.GetValue<string>());
        Assert.True(mine["hiddenfromuser"]!.GetValue<bool>());
        Assert.Equal(_host.State.ApiAgentId, mine["who_agentid"]!.GetValue<long>());
        Assert.Equal("<p>Checked &lt;the&gt; logs</p>", mine["note_html"]!.GetValue<string>());
        Assert.Equal("Rebooted & fine", hers["note"]!.GetValue<string>());
        Assert.Equal("Ava Nguyen", hers["who"]!.GetValue<string>());
        Assert.True(hers["hiddenfromuser"]!.GetValue<bool>());
        Assert.Null(plain["actions"]!.AsArray().Last()!["note_html"]);
        Assert.Equal("<p>Rebooted &amp; fine</p>", html["actions"]!.AsArray().Last()!["note_html"]!.GetValue<string>());
        Assert.Equal(hers["datetime"]!.GetValue<string>(), ticket["lastactiondate"]!.GetValue<string>());
        Assert.Empty(_host.State.EmailsSent);
    }

    [Fact]
    public async Task Actions_ListSystemActionsOfStatusChanges_UnlessExcludesysOrPrivacyFiltersLeaveThemOut()
    {
        // Arrange
        await Post("Tickets", """[{"id":2004,"status_id":4}]""");
        await Post("Actions", """[{"ticket_id":2004,"note":"We are on it","outcome":"Email User","hiddenfromuser":false,"sendemail":true}]""");

        // Act
        var all = await Get("Actions?ticket_id=2004");
        var noSystem = await Get("Actions?ticket_id=2004&excludesys=true");
        var publicOnly = await Get("Actions?ticket_id=2004&excludeprivate=true");

        // Assert
        var system = all["actions"]!.AsArray().Single(a => a!["who_type"]!.GetValue<int>() == HaloSandboxState.WhoSystem);
        Assert.StartsWith("Status changed from", system!["note"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(all["record_count"]!.GetValue<int>() - 1, noSystem["record_count"]!.GetValue<int>());
        Assert.All(publicOnly["actions"]!.AsArray(), a => Assert.False(a!["hiddenfromuser"]!.GetValue<bool>()));
        Assert.Equal("We are on it", Assert.Single(_host.State.EmailsSent).Note);
    }

    [Fact]
    public async Task PostActions_RefusesAnUnknownOutcome_WithHalosMessage()
    {
        // Act
        using var response = await _http.PostAsync("Actions", Json("""[{"ticket_id":2003,"note":"x","outcome":"Internal Note"}]"""), Ct);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Outcome \"Internal Note\" does not exist.", await response.Content.ReadFromJsonAsync<string>(Ct));
    }

    [Fact]
    public async Task Lists_AnswerAgentsClientsAssetsStatusesAndTeams_InHalosShapes()
    {
        // Act
        var agents = await _http.GetFromJsonAsync<JsonArray>("Agent", Ct);
        var withDisabled = await _http.GetFromJsonAsync<JsonArray>("Agent?includedisabled=true&includeapiagents=true", Ct);
        var clients = await Get("Client?pageinate=true&page_size=100&page_no=1");
        var byInventory = await Get("Asset?inventory_number=INV00007");
        var byClusterId = await Get("Asset?search=CL-000042");
        var client = byInventory["assets"]![0]!["client_id"]!.GetValue<long>();
        var ofClient = await Get($"Asset?client_id={client}");
        var statuses = await _http.GetFromJsonAsync<JsonArray>("Status", Ct);
        var open = await _http.GetFromJsonAsync<JsonArray>("Status?excludeclosed=true", Ct);
        var teams = await _http.GetFromJsonAsync<JsonArray>("Team", Ct);

        // Assert
        Assert.Contains(agents!, a => a!["email"]!.GetValue<string>() == "liam.smith@msp.example");
        Assert.DoesNotContain(agents!, a => a!["isapiagent"]!.GetValue<bool>() || a["isdisabled"]!.GetValue<bool>());
        Assert.True(withDisabled!.Count > agents!.Count + 1);
        Assert.True(clients["record_count"]!.GetValue<int>() >= 15);
        Assert.DoesNotContain(clients["clients"]!.AsArray(), c => c!["inactive"]!.GetValue<bool>());
        Assert.Equal("ClusterID", byInventory["assets"]![0]!["customfields"]![0]!["label"]!.GetValue<string>());
        Assert.Equal("CL-000042", Assert.Single(byClusterId["assets"]!.AsArray())!["customfields"]![0]!["value"]!.GetValue<string>());
        Assert.All(ofClient["assets"]!.AsArray(), a => Assert.Equal(client, a!["client_id"]!.GetValue<long>()));
        Assert.Equal(["New", "In Progress", "Waiting on User", "On Hold", "Resolved", "Closed"], statuses!.Select(s => s!["name"]!.GetValue<string>()));
        Assert.Equal(5, open!.Count);
        Assert.Equal(3, teams!.Count);
    }

    [Fact]
    public async Task Tickets_ListANewTicketOnlyAfterTheLag_WhileItsIdReadsAtOnce()
    {
        // Arrange
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var host = await HaloSandboxHost.StartAsync(o => o.ReadAfterWriteLag = TimeSpan.FromSeconds(5), time);
        using var http = await host.ClientAsync();
        var created = await (await http.PostAsync("Tickets", Json("""[{"summary":"Lagging","client_id":12,"client_reference":"lag-1"}]"""), Ct))
            .Content.ReadFromJsonAsync<JsonObject>(Ct);

        // Act
        var before = await http.GetFromJsonAsync<JsonObject>("Tickets?client_ref=lag-1", Ct);
        using var byId = await http.GetAsync($"Tickets/{created!["id"]}", Ct);
        time.Advance(TimeSpan.FromSeconds(5));
        var after = await http.GetFromJsonAsync<JsonObject>("Tickets?client_ref=lag-1", Ct);

        // Assert
        Assert.Equal(0, before!["record_count"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        Assert.Equal(1, after!["record_count"]!.GetValue<int>());
    }

    private async Task<JsonObject> Get(string path) => (await _http.GetFromJsonAsync<JsonObject>(path, Ct))!;

    private async Task<JsonObject> Post(string path, string json)
    {
        using var response = await _http.PostAsync(path, Json(json), Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
    }

    private static List<long> Ids(JsonObject list, string name) => [.. list[name]!.AsArray().Select(t => t!["id"]!.GetValue<long>())];

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

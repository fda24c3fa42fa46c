using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.Autotask;
using Microsoft.Extensions.Time.Testing;

namespace EasyConnect.Tests.Sync.Psa.Autotask;

/// <summary>
/// The Autotask REST rules the sandbox enforces, over real HTTP: zone discovery, header auth, the filter grammar, id-ordered
/// 500-row pages, response and error shapes, picklists, per-entity stamps, deleted-ticket logs, thresholds and replication lag.
/// </summary>
public sealed class AutotaskSandboxTests : IAsyncLifetime
{
    private AutotaskSandboxHost _host = default!;
    private HttpClient _http = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = await AutotaskSandboxHost.StartAsync();
        _http = _host.Client();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task ZoneInformation_AnswersAZoneUrlThatServesTheApi_WhenTheUserIsKnown()
    {
        // Arrange
        using var discovery = new HttpClient { BaseAddress = _host.DiscoveryRoot };

        // Act
        var zone = JsonNode.Parse(await discovery.GetStringAsync($"V1.0/zoneInformation?user={Uri.EscapeDataString(_host.State.Options.UserName)}", Ct))!;
        var url = zone["url"]!.GetValue<string>();
        using var http = _host.Client();
        using var response = await http.PostAsync(url.TrimEnd('/') + "/V1.0/Companies/query", Json("""{"filter":[{"op":"exist","field":"id"}]}"""), Ct);

        // Assert
        Assert.EndsWith("/ATServicesRest", url, StringComparison.Ordinal);
        Assert.NotNull(zone["webUrl"]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ZoneInformation_AnswersNotFound_WhenTheUserIsUnknown()
    {
        // Arrange
        using var discovery = new HttpClient { BaseAddress = _host.DiscoveryRoot };

        // Act
        using var response = await discovery.GetAsync("V1.0/zoneInformation?user=nobody%40example.com", Ct);

        // Assert
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ZoneInformation_NamesTheSameDatabase_ForEveryApiUserOfIt_AndTheDatabaseSetWhileRunning()
    {
        // Arrange
        await using var host = await AutotaskSandboxHost.StartAsync(o => o.OtherApiUsers = ["second-api@sandbox.example.com"]);
        using var discovery = new HttpClient { BaseAddress = host.DiscoveryRoot };

        // Act
        var first = JsonNode.Parse(await discovery.GetStringAsync($"V1.0/zoneInformation?user={Uri.EscapeDataString(host.State.Options.UserName)}", Ct))!;
        var second = JsonNode.Parse(await discovery.GetStringAsync("V1.0/zoneInformation?user=second-api%40sandbox.example.com", Ct))!;
        host.State.Options.DatabaseId = 42;
        var moved = JsonNode.Parse(await discovery.GetStringAsync("V1.0/zoneInformation?user=second-api%40sandbox.example.com", Ct))!;
        using var http = host.Client(userName: "second-api@sandbox.example.com");
        using var response = await http.PostAsync("Companies/query", Json("""{"filter":[{"op":"exist","field":"id"}]}"""), Ct);

        // Assert
        Assert.Equal(1_234_567, first["ci"]!.GetValue<int>());
        Assert.Equal(1_234_567, second["ci"]!.GetValue<int>());
        Assert.Equal(first["url"]!.GetValue<string>(), second["url"]!.GetValue<string>());
        Assert.Equal(42, moved["ci"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Resources_AnswerTheSecondAndThirdEmail_ThatAnAdministratorGaveAResource()
    {
        // Arrange
        var added = _host.State.AddResource("Nora", "Field", "nora@msp.example.com", "nora@personal.example.com", null);
        var changed = _host.State.AddResource("Omar", "Hill", "omar@msp.example.com");
        _host.State.SetResourceEmails(changed, "omar@msp.example.com", null, "omar@helpdesk.example");

        // Act
        using var response = await _http.PostAsync("Resources/query", Json($$"""{"filter":[{"op":"in","field":"id","value":[{{added}},{{changed}}]}]}"""), Ct);
        var items = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["items"]!.AsArray();

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([("nora@personal.example.com", null), (null, "omar@helpdesk.example")],
            items.Select(i => ((string?)i!["email2"], (string?)i["email3"])));
    }

    [Theory]
    [InlineData("user", HttpStatusCode.InternalServerError)]
    [InlineData("code", HttpStatusCode.InternalServerError)]
    [InlineData("secret", HttpStatusCode.Unauthorized)]
    public async Task Headers_AnswerAutotasksOddStatusWithErrors_WhenOneIsWrong(string wrong, HttpStatusCode expected)
    {
        // Arrange
        using var http = _host.Client(
            userName: wrong == "user" ? "nobody@example.com" : null,
            secret: wrong == "secret" ? "not-the-secret" : null,
            integrationCode: wrong == "code" ? "NOTTHECODE" : null);

        // Act
        using var response = await http.GetAsync("Companies/174", Ct);

        // Assert
        Assert.Equal(expected, response.StatusCode);
        Assert.NotEmpty(await ErrorsOf(response));
    }

    public static TheoryData<string, string> Operators => new()
    {
        { """{"op":"eq","field":"referenceTitle","value":"Server-0005"}""", "eq" },
        { """{"op":"noteq","field":"configurationItemType","value":1}""", "noteq" },
        { """{"op":"gt","field":"id","value":1050}""", "gt" },
        { """{"op":"gte","field":"id","value":1050}""", "gte" },
        { """{"op":"lt","field":"id","value":1010}""", "lt" },
        { """{"op":"lte","field":"id","value":1010}""", "lte" },
        { """{"op":"beginsWith","field":"referenceTitle","value":"nas-"}""", "beginsWith" },
        { """{"op":"endsWith","field":"serialNumber","value":"C"}""", "endsWith" },
        { """{"op":"contains","field":"referenceTitle","value":"wall"}""", "contains" },
        { """{"op":"exist","field":"rmmDeviceUID"}""", "exist" },
        { """{"op":"notExist","field":"rmmDeviceUID"}""", "notExist" },
        { """{"op":"in","field":"id","value":[1001,1003,99999]}""", "in" },
        { """{"op":"notIn","field":"configurationItemType","value":[1,2,3]}""", "notIn" },
        { """{"op":"gt","field":"lastModifiedTime","value":"2026-01-01T00:30:00Z"}""", "gtDate" },
    };

    [Theory]
    [MemberData(nameof(Operators))]
    public async Task Query_ReturnsExactlyTheMatchingRows_ForEachOperator(string filter, string name)
    {
        // Arrange
        var expected = Expected(AutotaskSandboxState.ConfigurationItems, name switch
        {
            "eq" => c => S(c, "referenceTitle") == "Server-0005",
            "noteq" => c => L(c, "configurationItemType") != 1,
            "gt" => c => L(c, "id") > 1050,
            "gte" => c => L(c, "id") >= 1050,
            "lt" => c => L(c, "id") < 1010,
            "lte" => c => L(c, "id") <= 1010,
            "beginsWith" => c => S(c, "referenceTitle")!.StartsWith("NAS-", StringComparison.Ordinal),
            "endsWith" => c => S(c, "serialNumber")!.EndsWith('C'),
            "contains" => c => S(c, "referenceTitle")!.Contains("wall", StringComparison.OrdinalIgnoreCase),
            "exist" => c => c["rmmDeviceUID"] is not null,
            "notExist" => c => c["rmmDeviceUID"] is null,
            "in" => c => L(c, "id") is 1001 or 1003,
            "notIn" => c => L(c, "configurationItemType") is not (1 or 2 or 3),
            "gtDate" => c => DateTimeOffset.Parse(S(c, "lastModifiedTime")!, System.Globalization.CultureInfo.InvariantCulture) > new DateTimeOffset(2026, 1, 1, 0, 30, 0, TimeSpan.Zero),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        });

        // Act
        var ids = await QueryIds("ConfigurationItems", $$"""{"filter":[{{filter}}]}""");

        // Assert
        Assert.Equal(expected, ids);
        Assert.NotEmpty(ids);
        Assert.NotEqual(_host.State.Ids(AutotaskSandboxState.ConfigurationItems).Count, ids.Count);
    }

    [Fact]
    public async Task Query_HonoursNestedAndOrGroups()
    {
        // Arrange
        var expected = Expected(AutotaskSandboxState.ConfigurationItems, c =>
            (S(c, "referenceTitle")!.StartsWith("Server", StringComparison.Ordinal) || S(c, "referenceTitle")!.StartsWith("NAS", StringComparison.Ordinal))
            && L(c, "id") < 1030 && (L(c, "companyID") == 174 || c["isActive"]!.GetValue<bool>() == false));

        // Act
        var ids = await QueryIds("ConfigurationItems", """
            {"filter":[
              {"op":"or","items":[{"op":"beginsWith","field":"referenceTitle","value":"Server"},{"op":"beginsWith","field":"referenceTitle","value":"NAS"}]},
              {"op":"and","items":[{"op":"lt","field":"id","value":1030},
                 {"op":"or","items":[{"op":"eq","field":"companyID","value":174},{"op":"eq","field":"isActive","value":false}]}]}]}
            """);

        // Assert
        Assert.NotEmpty(expected);
        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task Query_AcceptsTheGetSearchForm()
    {
        // Arrange
        var search = Uri.EscapeDataString("""{"filter":[{"op":"in","field":"id","value":[1002,1004]}]}""");

        // Act
        var page = JsonNode.Parse(await _http.GetStringAsync($"ConfigurationItems/query?search={search}", Ct))!;

        // Assert
        Assert.Equal([1002L, 1004L], page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
    }

    [Theory]
    [InlineData(1_234, new[] { 500, 500, 234 })]
    [InlineData(1_000, new[] { 500, 500 })]
    [InlineData(501, new[] { 500, 1 })]
    public async Task Query_ServesPagesOf500InIdOrder_FollowingNextPageUrlToTheEnd(int rows, int[] counts)
    {
        // Arrange
        await using var host = await AutotaskSandboxHost.StartAsync(o => o.ConfigurationItems = rows);
        using var http = host.Client();

        // Act
        var pages = new List<JsonNode>();
        using (var first = await http.PostAsync("ConfigurationItems/query", Json("""{"filter":[{"op":"gte","field":"id","value":0}]}"""), Ct))
        {
            pages.Add(JsonNode.Parse(await first.Content.ReadAsStringAsync(Ct))!);
        }

        while (pages[^1]["pageDetails"]!["nextPageUrl"]?.GetValue<string>() is { } next && pages.Count < 10)
        {
            pages.Add(JsonNode.Parse(await http.GetStringAsync(next, Ct))!);
        }

        // Assert
        var ids = pages.SelectMany(p => p["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>())).ToList();
        Assert.Equal(counts, pages.Select(p => p["pageDetails"]!["count"]!.GetValue<int>()));
        Assert.Null(pages[^1]["pageDetails"]!["nextPageUrl"]);
        Assert.Equal(host.State.Ids(AutotaskSandboxState.ConfigurationItems), ids);
        Assert.Equal(ids.Order(), ids);
    }

    [Theory]
    [InlineData("""{"op":"eq","field":"isActive","value":null}""")]
    [InlineData("""{"op":"eq","field":"isActive"}""")]
    [InlineData("""{"op":"eq","field":"isActive","value":"true"}""")]
    [InlineData("""{"op":"like","field":"companyName","value":"a"}""")]
    public async Task Query_AnswersA500WithErrors_WhenAFilterIsMalformed(string filter)
    {
        // Act
        using var response = await _http.PostAsync("Companies/query", Json($$"""{"filter":[{{filter}}]}"""), Ct);

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.NotEmpty(await ErrorsOf(response));
    }

    [Theory]
    [InlineData("""["referenceTitle"]""", HttpStatusCode.InternalServerError)]
    [InlineData("""["id","referenceTitle"]""", HttpStatusCode.OK)]
    public async Task Query_NeedsIdInIncludeFields_WhenMoreThan500RowsMatch(string include, HttpStatusCode expected)
    {
        // Arrange
        await using var host = await AutotaskSandboxHost.StartAsync(o => o.ConfigurationItems = 600);
        using var http = host.Client();

        // Act
        using var response = await http.PostAsync("ConfigurationItems/query", Json($$"""{"IncludeFields":{{include}},"filter":[{"op":"exist","field":"id"}]}"""), Ct);

        // Assert
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Query_ReturnsOnlyTheIncludedFields()
    {
        // Act
        using var response = await _http.PostAsync("Resources/query", Json("""{"IncludeFields":["id","email2"],"filter":[{"op":"exist","field":"id"}]}"""), Ct);

        // Assert
        var items = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["items"]!.AsArray();
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Equal(["id", "email2"], i!.AsObject().Select(p => p.Key)));
    }

    [Fact]
    public async Task Query_PrevPageUrlLeadsBackToThePageBefore()
    {
        // Arrange
        await using var host = await AutotaskSandboxHost.StartAsync(o => o.ConfigurationItems = 1_100);
        using var http = host.Client();
        using var response = await http.PostAsync("ConfigurationItems/query", Json("""{"filter":[{"op":"exist","field":"id"}]}"""), Ct);
        var first = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        var second = JsonNode.Parse(await http.GetStringAsync(first["pageDetails"]!["nextPageUrl"]!.GetValue<string>(), Ct))!;
        var third = JsonNode.Parse(await http.GetStringAsync(second["pageDetails"]!["nextPageUrl"]!.GetValue<string>(), Ct))!;

        // Act
        var back = JsonNode.Parse(await http.GetStringAsync(third["pageDetails"]!["prevPageUrl"]!.GetValue<string>(), Ct))!;

        // Assert
        static IEnumerable<long> Ids(JsonNode page) => page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>());
        Assert.Null(first["pageDetails"]!["prevPageUrl"]);
        Assert.Equal(Ids(second), Ids(back));
        Assert.NotEqual(Ids(first), Ids(back));
    }

    [Fact]
    public async Task Query_AnswersAnError_WhenMaxRecordsIsOver500()
    {
        // Act
        using var response = await _http.PostAsync("Companies/query", Json("""{"MaxRecords":501,"filter":[{"op":"exist","field":"id"}]}"""), Ct);

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.NotEmpty(await ErrorsOf(response));
    }

    [Fact]
    public async Task Count_AnswersQueryCountOfTheMatchingRows()
    {
        // Arrange
        var expected = Expected(AutotaskSandboxState.Resources, r => r["isActive"]!.GetValue<bool>()).Count;

        // Act
        using var response = await _http.PostAsync("Resources/query/count", Json("""{"filter":[{"op":"eq","field":"isActive","value":true}]}"""), Ct);

        // Assert
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(expected, body["queryCount"]!.GetValue<int>());
        Assert.NotEqual(_host.State.Ids(AutotaskSandboxState.Resources).Count, expected);
    }

    [Fact]
    public async Task GetById_AnswersOkWithItemNull_WhenTheIdIsMissing()
    {
        // Act
        using var missing = await _http.GetAsync("Tickets/999999", Ct);
        var present = JsonNode.Parse(await _http.GetStringAsync($"Tickets/{_host.State.Ids(AutotaskSandboxState.Tickets)[0]}", Ct))!;

        // Assert
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        var body = JsonNode.Parse(await missing.Content.ReadAsStringAsync(Ct))!.AsObject();
        Assert.True(body.ContainsKey("item"));
        Assert.Null(body["item"]);
        Assert.NotNull(present["item"]!["title"]);
    }

    [Fact]
    public async Task Create_AnswersItemId_AndTheTicketReadsBack()
    {
        // Act
        var id = await Create("Tickets", """{"title":"VPN down","status":1,"priority":2,"companyID":175,"queueID":29682969}""");
        var read = JsonNode.Parse(await _http.GetStringAsync($"Tickets/{id}", Ct))!["item"]!;

        // Assert
        Assert.Equal("VPN down", read["title"]!.GetValue<string>());
        Assert.Equal(_host.State.ApiResourceId, read["creatorResourceID"]!.GetValue<long>());
        Assert.NotNull(read["ticketNumber"]);
    }

    [Fact]
    public async Task Patch_ChangesOnlyTheSentFields_AndMovesTheTicketsStamps()
    {
        // Arrange
        var id = _host.State.Ids(AutotaskSandboxState.Tickets)[0];
        var before = _host.State.Find(AutotaskSandboxState.Tickets, id)!;

        // Act
        using var response = await _http.PatchAsync("Tickets", Json($$"""{"id":{{id}},"title":"Renamed"}"""), Ct);
        var after = JsonNode.Parse(await _http.GetStringAsync($"Tickets/{id}", Ct))!["item"]!;

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["itemId"]!.GetValue<long>());
        Assert.Equal("Renamed", after["title"]!.GetValue<string>());
        Assert.Equal(S(before, "description"), after["description"]!.GetValue<string>());
        Assert.True(Date(after, "lastTrackedModificationDateTime") > Date(before, "lastTrackedModificationDateTime"));
    }

    [Theory]
    [InlineData("Companies", "lastTrackedModifiedDateTime", 174, """{"companyName":"Renamed Co"}""")]
    [InlineData("ConfigurationItems", "lastModifiedTime", 1000, """{"serialNumber":"SN-NEW"}""")]
    public async Task Patch_MovesTheEntitysOwnLastModifiedField(string entity, string stamp, long id, string change)
    {
        // Arrange
        var before = Date(_host.State.Find(entity, id)!, stamp);
        var body = JsonNode.Parse(change)!.AsObject();
        body["id"] = id;

        // Act
        using var response = await _http.PatchAsync(entity, Json(body.ToJsonString()), Ct);
        using var query = await _http.PostAsync($"{entity}/query", Json($$"""{"filter":[{"op":"gt","field":"{{stamp}}","value":"{{before:O}}"}]}"""), Ct);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = JsonNode.Parse(await query.Content.ReadAsStringAsync(Ct))!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>());
        Assert.Contains(id, ids);
    }

    [Fact]
    public async Task Fields_NameNoLastModifiedFieldForResources_AndEachStampForTheOthers()
    {
        // Act
        var resources = await FieldNames("Resources");
        var tickets = await FieldNames("Tickets");
        var notes = await FieldNames("TicketNotes");
        var items = await FieldNames("ConfigurationItems");

        // Assert
        Assert.DoesNotContain(resources, f => f.Contains("modif", StringComparison.OrdinalIgnoreCase) || f.Contains("lastActivity", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("email3", resources);
        Assert.Contains("lastTrackedModificationDateTime", tickets);
        Assert.Contains("lastActivityDate", notes);
        Assert.Contains("lastModifiedTime", items);
    }

    [Fact]
    public async Task Notes_CreatedUnderTheTicket_ListWithItAndNameTheApiUserAsCreator()
    {
        // Arrange
        var ticket = _host.State.Ids(AutotaskSandboxState.Tickets)[1];

        // Act
        var id = await Create($"Tickets/{ticket}/Notes", """{"title":"Update","description":"Replaced the toner.","noteType":1,"publish":1}""");
        var listed = JsonNode.Parse(await _http.GetStringAsync($"Tickets/{ticket}/Notes", Ct))!["items"]!.AsArray();
        var queried = await QueryIds("TicketNotes", $$"""{"filter":[{"op":"eq","field":"ticketID","value":{{ticket}}}]}""");

        // Assert
        var note = Assert.Single(listed, n => n!["id"]!.GetValue<long>() == id)!;
        Assert.Equal(_host.State.ApiResourceId, note["creatorResourceID"]!.GetValue<long>());
        Assert.All(listed, n => Assert.Equal(ticket, n!["ticketID"]!.GetValue<long>()));
        Assert.Equal(listed.Select(n => n!["id"]!.GetValue<long>()), queried);
    }

    [Fact]
    public async Task Notes_NameTheImpersonatedResourceAsCreator_WhenImpersonationResourceIdIsSent()
    {
        // Arrange
        var ticket = _host.State.Ids(AutotaskSandboxState.Tickets)[0];
        var technician = _host.State.Ids(AutotaskSandboxState.Resources)[3];
        using var request = new HttpRequestMessage(HttpMethod.Post, $"Tickets/{ticket}/Notes")
        {
            Content = Json("""{"title":"On site","description":"Visited.","noteType":1,"publish":2}"""),
        };
        request.Headers.Add("ImpersonationResourceId", technician.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Act
        using var response = await _http.SendAsync(request, Ct);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["itemId"]!.GetValue<long>();

        // Assert
        var note = JsonNode.Parse(await _http.GetStringAsync($"TicketNotes/{id}", Ct))!["item"]!;
        Assert.Equal(technician, note["creatorResourceID"]!.GetValue<long>());
        Assert.Equal(_host.State.ApiResourceId, note["impersonatorCreatorResourceID"]!.GetValue<long>());
    }

    [Fact]
    public async Task Notes_AnswerA500_WhenTheImpersonatedResourceIsInactive()
    {
        // Arrange
        var ticket = _host.State.Ids(AutotaskSandboxState.Tickets)[0];
        var inactive = _host.State.Ids(AutotaskSandboxState.Resources).First(id => _host.State.Find(AutotaskSandboxState.Resources, id)!["isActive"]!.GetValue<bool>() == false);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"Tickets/{ticket}/Notes")
        {
            Content = Json("""{"title":"On site","description":"Visited.","noteType":1,"publish":2}"""),
        };
        request.Headers.Add("ImpersonationResourceId", inactive.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Act
        using var response = await _http.SendAsync(request, Ct);

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.NotEmpty(await ErrorsOf(response));
    }

    [Fact]
    public async Task ActingAsTechnician_AddsANoteByThatResource_AndMovesTheTicketsLastActivity()
    {
        // Arrange
        var ticket = _host.State.Ids(AutotaskSandboxState.Tickets)[2];
        var technician = _host.State.Ids(AutotaskSandboxState.Resources)[5];
        var before = Date(_host.State.Find(AutotaskSandboxState.Tickets, ticket)!, "lastActivityDate");

        // Act
        var id = _host.State.AddNoteAs(technician, ticket, "Customer called", "Still broken.");
        _host.State.UpdateTicketAs(technician, ticket, new JsonObject { ["status"] = 8 });
        var note = JsonNode.Parse(await _http.GetStringAsync($"TicketNotes/{id}", Ct))!["item"]!;
        var after = JsonNode.Parse(await _http.GetStringAsync($"Tickets/{ticket}", Ct))!["item"]!;

        // Assert
        Assert.Equal(technician, note["creatorResourceID"]!.GetValue<long>());
        Assert.Equal(8, after["status"]!.GetValue<int>());
        Assert.Equal(technician, after["lastActivityResourceID"]!.GetValue<long>());
        Assert.True(Date(after, "lastActivityDate") > before);
    }

    [Theory]
    [InlineData("""{"status":1,"priority":2,"companyID":174}""", "title")]
    [InlineData("""{"title":"x","priority":2,"companyID":174}""", "status")]
    [InlineData("""{"title":"x","status":1,"companyID":174}""", "priority")]
    [InlineData("""{"title":"x","status":1,"priority":2}""", "companyID")]
    [InlineData("""{"title":"x","status":1,"priority":2,"companyID":999999}""", "companyID")]
    [InlineData("""{"title":"LONG","status":1,"priority":2,"companyID":174}""", "title")]
    [InlineData("""{"title":"x","status":1,"priority":5,"companyID":174}""", "priority")]
    [InlineData("""{"title":"x","status":12,"priority":2,"companyID":174}""", "status")]
    [InlineData("""{"title":"x","status":1,"priority":2,"companyID":174,"queueID":29683400}""", "queueID")]
    public async Task Create_AnswersA500WithErrors_WhenTheTicketIsInvalid(string body, string field)
    {
        // Arrange
        var before = _host.State.Ids(AutotaskSandboxState.Tickets).Count;

        // Act
        using var response = await _http.PostAsync("Tickets", Json(body.Replace("LONG", new string('a', 256), StringComparison.Ordinal)), Ct);

        // Assert
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var errors = await ErrorsOf(response);
        Assert.Contains(errors, e => e.Contains(field, StringComparison.Ordinal));
        Assert.Equal(before, _host.State.Ids(AutotaskSandboxState.Tickets).Count);
    }

    [Fact]
    public async Task Create_AcceptsATitleOf255Characters()
    {
        // Act
        var id = await Create("Tickets", $$"""{"title":"{{new string('a', 255)}}","status":1,"priority":2,"companyID":174}""");

        // Assert
        Assert.NotNull(_host.State.Find(AutotaskSandboxState.Tickets, id));
    }

    [Fact]
    public async Task Fields_ServePicklistsWithTenantLabelsAndInactiveValues()
    {
        // Act
        var tickets = JsonNode.Parse(await _http.GetStringAsync("Tickets/entityInformation/fields", Ct))!["fields"]!.AsArray();
        var notes = JsonNode.Parse(await _http.GetStringAsync("TicketNotes/entityInformation/fields", Ct))!["fields"]!.AsArray();

        // Assert
        JsonArray Values(JsonArray fields, string name) => fields.Single(f => f!["name"]!.GetValue<string>() == name)!["picklistValues"]!.AsArray();
        foreach (var name in new[] { "priority", "status", "queueID" })
        {
            var values = Values(tickets, name);
            Assert.Contains(values, v => !v!["isActive"]!.GetValue<bool>());
            Assert.Single(values, v => v!["isDefaultValue"]!.GetValue<bool>());
            Assert.All(values, v => Assert.False(string.IsNullOrEmpty(v!["label"]!.GetValue<string>())));
        }

        Assert.Equal(["1", "2", "4"], Values(notes, "publish").Select(v => v!["value"]!.GetValue<string>()));
        Assert.Contains(Values(notes, "noteType"), v => !v!["isActive"]!.GetValue<bool>());
        var title = tickets.Single(f => f!["name"]!.GetValue<string>() == "title")!;
        Assert.True(title["isRequired"]!.GetValue<bool>());
        Assert.Equal(255, title["length"]!.GetValue<int>());
    }

    [Fact]
    public async Task DeletedTicketLogs_ListATicketDeletedInAutotask()
    {
        // Arrange
        var ticket = _host.State.Ids(AutotaskSandboxState.Tickets)[0];
        var technician = _host.State.Ids(AutotaskSandboxState.Resources)[2];

        // Act
        _host.State.DeleteTicketAs(technician, ticket);
        var logs = JsonNode.Parse(await (await _http.PostAsync("DeletedTicketLogs/query", Json("""{"filter":[{"op":"exist","field":"id"}]}"""), Ct)).Content.ReadAsStringAsync(Ct))!;
        var read = JsonNode.Parse(await _http.GetStringAsync($"Tickets/{ticket}", Ct))!;

        // Assert
        var log = Assert.Single(logs["items"]!.AsArray())!;
        Assert.Equal(ticket, log["ticketID"]!.GetValue<long>());
        Assert.Equal(technician, log["deletedByResourceID"]!.GetValue<long>());
        Assert.NotNull(log["deletedDateTime"]);
        Assert.Null(read["item"]);
    }

    [Fact]
    public async Task ThreadLimit_AnswersThe4thConcurrentRequestOnOneEndpointWith429_ButNotAnotherEndpoint()
    {
        // Arrange
        _host.Faults.Faults = new SandboxFaults { LatencyMs = 1_500 };

        // Act
        var same = Enumerable.Range(0, 4).Select(_ => _http.GetAsync("Companies/174", Ct)).ToList();
        await Task.Delay(300, Ct);
        var other = _http.GetAsync("Resources/29682885", Ct);
        var responses = await Task.WhenAll(same);
        using var otherResponse = await other;

        // Assert
        var refused = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Contains(await ErrorsOf(refused), e => e.Contains("Thread Threshold Exceeded", StringComparison.Ordinal));
        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.OK, otherResponse.StatusCode);
        foreach (var r in responses)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task HourlyThreshold_SlowsCallsAboveHalfAndThreeQuarters_ThenRefuses()
    {
        // Arrange
        await using var host = await AutotaskSandboxHost.StartAsync(o =>
        {
            o.HourlyThreshold = 8;
            o.HalfThresholdLatencyMs = 1_000;
            o.ThreeQuarterThresholdLatencyMs = 3_000;
        });
        using var http = host.Client();

        // Act
        var times = new List<(HttpStatusCode Status, long Ms)>();
        for (var i = 0; i < 9; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync("Companies/174", Ct);
            times.Add((response.StatusCode, watch.ElapsedMilliseconds));
        }

        using var information = await http.GetAsync("ThresholdInformation", Ct);

        // Assert: the delays the sandbox added, and that they were really waited (a timer may fire a millisecond early).
        Assert.Equal([0, 0, 0, 0, 1_000, 1_000, 3_000, 3_000], host.State.ThresholdDelays);
        Assert.All(times.Take(8).Zip(host.State.ThresholdDelays), t => Assert.True(t.First.Ms >= t.Second - 50, $"{t.First.Ms} ms for a {t.Second} ms delay"));
        Assert.Equal(HttpStatusCode.TooManyRequests, times[8].Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, information.StatusCode);
    }

    [Fact]
    public async Task ThresholdInformation_ReportsTheRollingHoursUsage()
    {
        // Arrange
        for (var i = 0; i < 3; i++)
        {
            (await _http.GetAsync("Companies/174", Ct)).Dispose();
        }

        // Act
        var info = JsonNode.Parse(await _http.GetStringAsync("ThresholdInformation", Ct))!;

        // Assert
        Assert.Equal(10_000, info["externalRequestThreshold"]!.GetValue<int>());
        Assert.Equal(4, info["currentTimeframeRequestCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task ReadAfterWrite_AJustCreatedTicketReadsAsMissing_UntilTheLagHasPassed()
    {
        // Arrange
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        await using var host = await AutotaskSandboxHost.StartAsync(o => o.ReadAfterWriteLag = TimeSpan.FromSeconds(5), time);
        using var http = host.Client();
        using var created = await http.PostAsync("Tickets", Json("""{"title":"Lagging","status":1,"priority":2,"companyID":174}"""), Ct);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync(Ct))!["itemId"]!.GetValue<long>();

        // Act
        var during = JsonNode.Parse(await http.GetStringAsync($"Tickets/{id}", Ct))!;
        time.Advance(TimeSpan.FromSeconds(6));
        var after = JsonNode.Parse(await http.GetStringAsync($"Tickets/{id}", Ct))!;

        // Assert
        Assert.Null(during["item"]);
        Assert.Equal("Lagging", after["item"]!["title"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(SandboxFaultKind.ServerError, HttpStatusCode.InternalServerError)]
    [InlineData(SandboxFaultKind.Throttle, HttpStatusCode.TooManyRequests)]
    public async Task Faults_AnswerInAutotasksErrorShape_WhenInjected(SandboxFaultKind kind, HttpStatusCode expected)
    {
        // Arrange
        _host.Faults.FailNext(kind);

        // Act
        using var faulted = await _http.GetAsync("Companies/174", Ct);
        using var next = await _http.GetAsync("Companies/174", Ct);

        // Assert
        Assert.Equal(expected, faulted.StatusCode);
        Assert.NotEmpty(await ErrorsOf(faulted));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Faults_ALostResponseStillAppliesTheCreate()
    {
        // Arrange
        using var http = _host.Client();
        http.Timeout = TimeSpan.FromSeconds(1);
        _host.Faults.Faults = new SandboxFaults { HangMs = 5_000 };
        _host.Faults.FailNext(SandboxFaultKind.LostResponse);
        var before = _host.State.Ids(AutotaskSandboxState.Tickets).Count;

        // Act
        var sent = http.PostAsync("Tickets", Json("""{"title":"Lost","status":1,"priority":2,"companyID":174}"""), Ct);

        // Assert
        await Assert.ThrowsAnyAsync<Exception>(() => sent);
        Assert.Equal(before + 1, _host.State.Ids(AutotaskSandboxState.Tickets).Count);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string? S(JsonObject row, string field) => row[field]?.GetValue<string>();

    private static long? L(JsonObject row, string field) =>
        row[field] is { } n ? long.Parse(n.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : null;

    private static DateTimeOffset Date(JsonNode row, string field) =>
        DateTimeOffset.Parse(row[field]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private List<long> Expected(string entity, Func<JsonObject, bool> predicate) =>
        [.. _host.State.Ids(entity).Where(id => predicate(_host.State.Find(entity, id)!))];

    private async Task<List<long>> QueryIds(string entity, string query)
    {
        using var response = await _http.PostAsync($"{entity}/query", Json(query), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return [.. JsonNode.Parse(body)!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>())];
    }

    private async Task<long> Create(string path, string body)
    {
        using var response = await _http.PostAsync(path, Json(body), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!["itemId"]!.GetValue<long>();
    }

    private async Task<List<string>> FieldNames(string entity) =>
        [.. JsonNode.Parse(await _http.GetStringAsync($"{entity}/entityInformation/fields", Ct))!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>())];

    private static async Task<List<string>> ErrorsOf(HttpResponseMessage response) =>
        [.. JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["errors"]!.AsArray().Select(e => e!.GetValue<string>())];
}

using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Psa.Autotask;

/// <summary>
/// The Autotask client over real HTTP to a small loopback Autotask that answers as Autotask's REST API does: zone discovery and
/// its refresh, the authentication headers, paging along nextPageUrl, the filter JSON, Autotask's odd statuses (validation and
/// credentials as 500, a missing record as 200 with a null item, 2xx with an empty body) and its loosely typed JSON.
/// </summary>
public sealed class AutotaskClientTests : IAsyncLifetime
{
    private const string User = "api-user@example.com", Secret = "s3cret-9f2a", Code = "INTEGRATIONCODE000000000027";
    private FakeAutotask _autotask = default!;
    private ServiceProvider _services = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _autotask = await FakeAutotask.StartAsync();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddEasyConnectAutotask();
        services.Configure<AutotaskOptions>(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(2);
            o.TotalTimeout = TimeSpan.FromSeconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.MaxRetries = 3;
        });
        _services = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _autotask.DisposeAsync();
    }

    private IPsaClient Client(string? impersonate = null) =>
        _services.GetRequiredService<AutotaskClientFactory>().Create(
            new AutotaskCredentials(User, Secret, Code, impersonate), new AutotaskClientOptions("autotask-test", _autotask.Server.BaseAddress));

    [Fact]
    public async Task GetTicket_FindsTheZoneOnce_AndCallsTheZonesApi()
    {
        _autotask.Answer("GET", "/V1.0/Tickets/7", _ => (200, """{"item":{"id":7,"title":"Printer","description":"It jams","queueID":29683378,"status":1,"priority":2,"companyID":0,"externalID":"zd-7","createDate":"2026-01-02T03:04:05.123Z","lastTrackedModificationDateTime":"2026-01-03T00:00:00Z"}}"""));
        var client = Client();

        var first = await client.GetTicketAsync("7", Ct);
        await client.GetTicketAsync("7", Ct);

        var zoneLookup = Assert.Single(_autotask.Requests, r => r.Path.EndsWith("/ZoneInformation", StringComparison.Ordinal));
        Assert.Equal("?user=api-user%40example.com", zoneLookup.Query);
        Assert.Equal(2, _autotask.Requests.Count(r => r.Path == "/zone1/atservicesrest/V1.0/Tickets/7"));
        Assert.NotNull(first);
        Assert.Equal(("Printer", "It jams", "29683378", "1", "2", "zd-7"), (first.Summary, first.Description, first.BoardId, first.StatusId, first.PriorityId, first.ExternalReference));
        Assert.Equal(new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero), first.LastModified);
    }

    [Fact]
    public async Task Call_FindsTheZoneAgain_AndRepeatsThere_WhenTheOldZoneAnswers404()
    {
        _autotask.Answer("GET", "/V1.0/Tickets/7", _ => (200, """{"item":{"id":7,"title":"Moved"}}"""));
        var client = Client();
        await client.GetTicketAsync("7", Ct);
        _autotask.Zone = "zone2";

        var ticket = await client.GetTicketAsync("7", Ct);

        Assert.Equal("Moved", ticket?.Summary);
        Assert.Equal(2, _autotask.Requests.Count(r => r.Path.EndsWith("/ZoneInformation", StringComparison.Ordinal)));
        Assert.Contains(_autotask.Requests, r => r.Path == "/zone1/atservicesrest/V1.0/Tickets/7" && r.Status == 404);
        Assert.Equal(200, _autotask.Requests.Last().Status);
        Assert.Equal("/zone2/atservicesrest/V1.0/Tickets/7", _autotask.Requests.Last().Path);
    }

    [Fact]
    public async Task Calls_CarryTheThreeHeaders_AndTheZoneLookupCarriesNoSecret()
    {
        _autotask.Answer("GET", "/V1.0/Tickets/7", _ => (200, """{"item":{"id":7}}"""));

        await Client(impersonate: "29682885").GetTicketAsync("7", Ct);

        var call = _autotask.Requests.Single(r => r.Path.EndsWith("/Tickets/7", StringComparison.Ordinal));
        Assert.Equal(Code, call.Headers["ApiIntegrationCode"]);
        Assert.Equal(User, call.Headers["UserName"]);
        Assert.Equal(Secret, call.Headers["Secret"]);
        Assert.Equal("29682885", call.Headers["ImpersonationResourceId"]);
        var lookup = _autotask.Requests.Single(r => r.Path.EndsWith("/ZoneInformation", StringComparison.Ordinal));
        Assert.False(lookup.Headers.ContainsKey("Secret"));
    }

    [Fact]
    public async Task Read_FollowsNextPageUrl_UntilItIsNull_SendingTheChangedSinceFilter()
    {
        _autotask.Answer("POST", "/V1.0/Tickets/query", _ => (200, Page([1, 2], _autotask.ZoneUrl + "/V1.0/Tickets/query/next?paging=p2")));
        _autotask.Answer("GET", "/V1.0/Tickets/query/next", r => r.Query == "?paging=p2"
            ? (200, Page([3, 4], _autotask.ZoneUrl + "/V1.0/Tickets/query/next?paging=p3"))
            : (200, Page([5], null)));

        var pages = new List<IReadOnlyList<IPsaRecord>>();
        await foreach (var page in Client().ReadAsync(PsaEntity.Tickets, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Ct))
        {
            pages.Add(page);
        }

        Assert.Equal(["1", "2", "3", "4", "5"], pages.SelectMany(p => p).Select(r => r.Id));
        Assert.Equal(3, pages.Count);
        var query = _autotask.Requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/Tickets/query", StringComparison.Ordinal));
        Assert.True(JsonNode.DeepEquals(
            // A note moves only lastActivityDate: a ticket changed since when either stamp moved.
            JsonNode.Parse("""{"MaxRecords":500,"Filter":[{"op":"or","items":[{"op":"gt","field":"lastTrackedModificationDateTime","value":"2026-01-01T00:00:00.000Z"},{"op":"gt","field":"lastActivityDate","value":"2026-01-01T00:00:00.000Z"}]}]}"""),
            JsonNode.Parse(query.Body)), query.Body);
    }

    [Fact]
    public async Task Read_Fails_WhenNextPageUrlLoopsBackToAPageAlreadyRead()
    {
        _autotask.Answer("POST", "/V1.0/Companies/query", _ => (200, Page([1], _autotask.ZoneUrl + "/V1.0/Companies/query/next?paging=same")));
        _autotask.Answer("GET", "/V1.0/Companies/query/next", _ => (200, Page([2], _autotask.ZoneUrl + "/V1.0/Companies/query/next?paging=same")));

        var e = await Assert.ThrowsAsync<PsaException>(async () =>
        {
            await foreach (var _ in Client().ReadAsync(PsaEntity.Companies, null, Ct))
            {
            }
        });

        Assert.Equal(RemoteErrorKind.Unavailable, e.Kind);
        Assert.True(_autotask.Requests.Count(r => r.Path.Contains("/Companies/", StringComparison.Ordinal)) <= 3);
    }

    [Fact]
    public void Filter_WritesNestedGroups_AsAutotaskFilterJson()
    {
        var filter = AutotaskFilter.And(
            AutotaskFilter.Gt("id", 10),
            AutotaskFilter.Or(AutotaskFilter.Eq("externalID", "zd-1"), AutotaskFilter.NotExist("completedDate"), AutotaskFilter.In("status", [1, 5])),
            AutotaskFilter.UdfEq("Zendesk Id", "42"));

        var expected = JsonNode.Parse("""
            {"op":"and","items":[
              {"op":"gt","field":"id","value":10},
              {"op":"or","items":[{"op":"eq","field":"externalID","value":"zd-1"},{"op":"notExist","field":"completedDate"},{"op":"in","field":"status","value":[1,5]}]},
              {"op":"eq","field":"Zendesk Id","udf":true,"value":"42"}]}
            """);
        Assert.True(JsonNode.DeepEquals(expected, filter.ToJson()), filter.ToString());
    }

    [Fact]
    public async Task Update_IsValidationFailed_WithAutotasksMessage_AndSentOnce_WhenAutotaskAnswers500WithErrors()
    {
        _autotask.Answer("PATCH", "/V1.0/Tickets", _ => (500, """{"errors":["Value for field title exceeds the maximum length of 255."]}"""));

        var e = await Assert.ThrowsAsync<PsaException>(() => Client().UpdateTicketAsync("7", new PsaTicketUpdate(Summary: new string('x', 300)), Ct));

        Assert.Equal(RemoteErrorKind.ValidationFailed, e.Kind);
        Assert.Contains("exceeds the maximum length of 255", e.Message, StringComparison.Ordinal);
        Assert.Equal("title", e.Field);
        Assert.Single(_autotask.Requests, r => r.Method == "PATCH");
        var body = JsonNode.Parse(_autotask.Requests.Single(r => r.Method == "PATCH").Body)!;
        Assert.Equal(7, (long)body["id"]!);
    }

    [Fact]
    public async Task Read_IsRetried_WhenAutotaskAnswers500WithoutMessages()
    {
        var calls = 0;
        _autotask.Answer("GET", "/V1.0/Tickets/7", _ => Interlocked.Increment(ref calls) == 1 ? (500, "") : (200, """{"item":{"id":7,"title":"Back"}}"""));

        var ticket = await Client().GetTicketAsync("7", Ct);

        Assert.Equal("Back", ticket?.Summary);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Read_IsRetried_WhenAutotasks500SaysTheServerFailed()
    {
        var calls = 0;
        _autotask.Answer("GET", "/V1.0/Tickets/7", _ => Interlocked.Increment(ref calls) == 1
            ? (500, """{"errors":["An unexpected error occurred on the server."]}""")
            : (200, """{"item":{"id":7,"title":"Back"}}"""));

        var ticket = await Client().GetTicketAsync("7", Ct);

        Assert.Equal("Back", ticket?.Summary);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Call_IsAuthenticationFailed_WhenAutotaskDoesNotKnowTheUserName()
    {
        _autotask.Answer("GET", "/V1.0/Tickets/7", _ => (500, """{"errors":["Unable to find a user with the user name given in the UserName header."]}"""));

        var e = await Assert.ThrowsAsync<PsaException>(() => Client().GetTicketAsync("7", Ct));

        Assert.Equal(RemoteErrorKind.AuthenticationFailed, e.Kind);
    }

    [Fact]
    public async Task Query_IsRetriedLikeARead_WhenAutotaskIsBriefly503()
    {
        var calls = 0;
        _autotask.Answer("POST", "/V1.0/Companies/query", _ => Interlocked.Increment(ref calls) == 1 ? (503, "") : (200, Page([1], null)));

        var rows = new List<IPsaRecord>();
        await foreach (var page in Client().ReadAsync(PsaEntity.Companies, null, Ct))
        {
            rows.AddRange(page);
        }

        Assert.Equal(["1"], rows.Select(r => r.Id));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Create_IsSentOnce_WhenAutotaskAnswers503()
    {
        _autotask.Answer("POST", "/V1.0/Tickets", _ => (503, ""));

        var e = await Assert.ThrowsAsync<PsaException>(() => Client().CreateTicketAsync(new PsaTicketCreate("S", "D", "29683378", "1", "2", null, "zd-9"), Ct));

        Assert.True(e.IsTransient);
        Assert.Single(_autotask.Requests, r => r.Method == "POST" && r.Path.EndsWith("/V1.0/Tickets", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Call_IsAuthenticationFailed_AndNotRetried_WhenAutotaskRefusesTheIntegrationCodeWith500()
    {
        _autotask.Answer("GET", "/V1.0/Tickets/7", _ => (500, """{"errors":["The ApiIntegrationCode is not valid."]}"""));

        var e = await Assert.ThrowsAsync<PsaException>(() => Client().GetTicketAsync("7", Ct));

        Assert.Equal(RemoteErrorKind.AuthenticationFailed, e.Kind);
        Assert.DoesNotContain(Secret, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Code, e.Message, StringComparison.Ordinal);
        Assert.Single(_autotask.Requests, r => r.Path.EndsWith("/Tickets/7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_Fails_RatherThanReadingZeroRecords_WhenAutotaskAnswers200WithAnEmptyBody()
    {
        _autotask.Answer("POST", "/V1.0/Resources/query", _ => (200, ""));

        var e = await Assert.ThrowsAsync<PsaException>(async () =>
        {
            await foreach (var _ in Client().ReadAsync(PsaEntity.Members, null, Ct))
            {
            }
        });

        Assert.Equal(RemoteErrorKind.Unavailable, e.Kind);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task GetTicket_Fails_RatherThanReadingNotFound_WhenAutotaskAnswers200WithAnEmptyBody()
    {
        _autotask.Answer("GET", "/V1.0/Tickets/7", _ => (200, ""));

        var e = await Assert.ThrowsAsync<PsaException>(() => Client().GetTicketAsync("7", Ct));

        Assert.Equal(RemoteErrorKind.Unavailable, e.Kind);
    }

    [Fact]
    public async Task Call_IsAuthenticationFailed_WhenAutotaskRefusesTheSecretWith401()
    {
        _autotask.Answer("GET", "/V1.0/Tickets/7", _ => (401, ""));

        var e = await Assert.ThrowsAsync<PsaException>(() => Client().GetTicketAsync("7", Ct));

        Assert.Equal(RemoteErrorKind.AuthenticationFailed, e.Kind);
        Assert.Single(_autotask.Requests, r => r.Path.EndsWith("/Tickets/7", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetTicket_IsNull_WhenAutotaskAnswers200WithANullItem()
    {
        _autotask.Answer("GET", "/V1.0/Tickets/404404", _ => (200, """{"item":null}"""));

        Assert.Null(await Client().GetTicketAsync("404404", Ct));
    }

    [Fact]
    public async Task ReadMembers_ReadsBooleansAndNumbersSentAsText_AndIgnoresUnknownFields()
    {
        _autotask.Answer("POST", "/V1.0/Resources/query", _ => (200, """
            {"items":[
              {"id":"29682885","userName":"jdoe","firstName":"Jane","lastName":"Doe","email":"jane@msp.example","email2":"","email3":"j.doe@msp.example","isActive":"True","licenseType":"7","somethingNew":{"x":[1]}},
              {"id":29682886,"userName":"old","firstName":"Old","lastName":"Hand","email":"old@msp.example","isActive":"False"}],
             "pageDetails":{"count":"2","requestCount":"500","prevPageUrl":null,"nextPageUrl":null}}
            """));

        var members = new List<PsaMember>();
        await foreach (var page in Client().ReadAsync(PsaEntity.Members, null, Ct))
        {
            members.AddRange(page.Cast<PsaMember>());
        }

        Assert.Equal(2, members.Count);
        Assert.Equal(("29682885", "jdoe", "Jane Doe", false), (members[0].Id, members[0].Identifier, members[0].DisplayName, members[0].Inactive));
        Assert.Equal(["jane@msp.example", "j.doe@msp.example"], members[0].Emails);
        Assert.True(members[1].Inactive);
    }

    [Fact]
    public async Task ReadStatuses_OffersOnlyActivePicklistValues_InSortOrder_WithoutScope()
    {
        _autotask.Answer("GET", "/V1.0/Tickets/entityInformation/fields", _ => (200, """
            {"fields":[
              {"name":"status","dataType":"integer","isPickList":"True","picklistValues":[
                {"value":"5","label":"Complete","isDefaultValue":false,"sortOrder":"9","isActive":true,"isSystem":true},
                {"value":1,"label":"New","isDefaultValue":"True","sortOrder":1,"isActive":"true"},
                {"value":"7","label":"Waiting Customer (retired)","sortOrder":2,"isActive":"False"}]},
              {"name":"priority","isPickList":true,"picklistValues":[]}]}
            """));

        var statuses = new List<PsaStatus>();
        await foreach (var page in Client().ReadAsync(PsaEntity.Statuses, null, Ct))
        {
            statuses.AddRange(page.Cast<PsaStatus>());
        }

        Assert.Equal(["New", "Complete"], statuses.Select(s => s.Name));
        Assert.Equal(["1", "5"], statuses.Select(s => s.Id));
        Assert.All(statuses, s => Assert.Null(s.ScopeId));
        Assert.True(statuses[1].Closed);
        Assert.False(statuses[0].Closed);
    }

    [Fact]
    public async Task Count_AsksQueryCount_WithTheSameFilter()
    {
        _autotask.Answer("POST", "/V1.0/ConfigurationItems/query/count", _ => (200, """{"queryCount":"42"}"""));

        var count = await Client().CountAsync(PsaEntity.Configurations, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), Ct);

        Assert.Equal(42, count);
        var body = JsonNode.Parse(_autotask.Requests.Single(r => r.Path.EndsWith("/query/count", StringComparison.Ordinal)).Body)!;
        Assert.Equal("lastModifiedTime", (string)body["Filter"]![0]!["field"]!);
    }

    [Fact]
    public async Task ReadConversation_GivesTheDescription_AndNotesWithTheirVisibilityFromPublish()
    {
        _autotask.Answer("GET", "/V1.0/Tickets/7", _ => (200, """{"item":{"id":7,"title":"T","description":"The description","lastTrackedModificationDateTime":"2026-01-03T00:00:00Z"}}"""));
        _autotask.Answer("POST", "/V1.0/TicketNotes/query", _ => (200, """
            {"items":[
              {"id":12,"ticketID":7,"description":"Second","publish":"2","createDateTime":"2026-01-02T00:00:00Z","creatorResourceID":29682885},
              {"id":11,"ticketID":7,"description":"First","publish":1,"createDateTime":"2026-01-01T00:00:00Z"}],
             "pageDetails":{"nextPageUrl":null}}
            """));

        var conversation = await Client().ReadConversationAsync("7", Ct);

        Assert.Equal("The description", conversation.Description?.Text);
        Assert.Equal([("First", PsaNoteVisibility.External), ("Second", PsaNoteVisibility.Internal)], conversation.Notes.Select(n => (n.Text, n.Visibility)));
        var filter = JsonNode.Parse(_autotask.Requests.Single(r => r.Path.EndsWith("/TicketNotes/query", StringComparison.Ordinal)).Body)!["Filter"]![0]!;
        Assert.Equal(("eq", "ticketID", 7L), ((string)filter["op"]!, (string)filter["field"]!, (long)filter["value"]!));
    }

    [Fact]
    public async Task CreateTicket_SendsTheFieldsAutotaskNames_AndReadsTheTicketBack()
    {
        _autotask.Answer("POST", "/V1.0/Tickets", _ => (200, """{"itemId":9}"""));
        _autotask.Answer("GET", "/V1.0/Tickets/9", _ => (200, """{"item":{"id":9,"title":"S","description":"D","queueID":29683378,"externalID":"zd-9"}}"""));

        var ticket = await Client().CreateTicketAsync(new PsaTicketCreate("S", "D", "29683378", "1", "2", null, "zd-9"), Ct);

        Assert.Equal(("9", "zd-9"), (ticket.Id, ticket.ExternalReference));
        var body = JsonNode.Parse(_autotask.Requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/V1.0/Tickets", StringComparison.Ordinal)).Body)!;
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"title":"S","description":"D","queueID":29683378,"companyID":0,"externalID":"zd-9","status":1,"priority":2}"""), body), body.ToJsonString());
    }

    [Fact]
    public async Task CreateNote_PublishesToAllUsersOnlyWhenExternal_WithTheTenantsDefaultNoteType_AsTheMember()
    {
        _autotask.Answer("GET", "/V1.0/TicketNotes/entityInformation/fields", _ => (200, """
            {"fields":[{"name":"noteType","picklistValues":[{"value":"1","label":"Task Detail","isDefaultValue":false,"isActive":true},{"value":"3","label":"Task Summary","isDefaultValue":"True","isActive":true}]}]}
            """));
        _autotask.Answer("POST", "/V1.0/Tickets/7/Notes", _ => (200, """{"itemId":31}"""));
        _autotask.Answer("GET", "/V1.0/TicketNotes/31", _ => (200, """{"item":null}"""));
        var client = Client();

        var external = await client.CreateNoteAsync("7", new PsaNoteCreate("Hello customer\nMore", PsaNoteVisibility.External, null), Ct);
        await client.CreateNoteAsync("7", new PsaNoteCreate("Only techs", PsaNoteVisibility.Internal, "29682885"), Ct);

        var bodies = _autotask.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/Notes", StringComparison.Ordinal)).Select(r => JsonNode.Parse(r.Body)!).ToList();
        Assert.Equal([1, 2], bodies.Select(b => (int)b["publish"]!));
        Assert.All(bodies, b => Assert.Equal(3, (int)b["noteType"]!));
        Assert.Equal("Hello customer", (string)bodies[0]["title"]!);
        Assert.Equal(("31", "7", PsaNoteVisibility.External), (external.Id, external.TicketId, external.Visibility));
        var posts = _autotask.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/Notes", StringComparison.Ordinal)).ToList();
        Assert.False(posts[0].Headers.ContainsKey("ImpersonationResourceId"));
        Assert.Equal("29682885", posts[1].Headers["ImpersonationResourceId"]);
    }

    [Fact]
    public async Task CreateNote_WritesTheChosenPublishLevelAndNoteType_ButNeverPublishesAnInternalNoteToAllUsers()
    {
        _autotask.Answer("POST", "/V1.0/Tickets/7/Notes", _ => (200, """{"itemId":31}"""));
        _autotask.Answer("GET", "/V1.0/TicketNotes/31", _ => (200, """{"item":null}"""));
        var client = Client();

        await client.CreateNoteAsync("7", new PsaNoteCreate("Chosen", PsaNoteVisibility.Internal, null,
            new Dictionary<string, string> { [AutotaskProduct.NotePublish] = "4", [AutotaskProduct.NoteType] = "3" }), Ct);
        await client.CreateNoteAsync("7", new PsaNoteCreate("Forced", PsaNoteVisibility.Internal, null,
            new Dictionary<string, string> { [AutotaskProduct.NotePublish] = "1", [AutotaskProduct.NoteType] = "2" }), Ct);

        var bodies = _autotask.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/Notes", StringComparison.Ordinal)).Select(r => JsonNode.Parse(r.Body)!).ToList();
        Assert.Equal([(4, 3), (2, 2)], bodies.Select(b => ((int)b["publish"]!, (int)b["noteType"]!)));
        Assert.DoesNotContain(_autotask.Requests, r => r.Path.EndsWith("/entityInformation/fields", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TestConnection_NamesTheEntityThatFails()
    {
        var ok = """{"items":[],"pageDetails":{"nextPageUrl":null}}""";
        _autotask.Answer("GET", "/V1.0/ThresholdInformation", _ => (200, """{"externalRequestThreshold":10000,"requestThresholdTimeframe":60,"currentTimeframeRequestCount":12}"""));
        foreach (var entity in new[] { "Tickets", "TicketNotes", "Companies", "ConfigurationItems", "DeletedTicketLogs" })
        {
            _autotask.Answer("POST", $"/V1.0/{entity}/query", _ => (200, ok));
        }

        _autotask.Answer("POST", "/V1.0/Resources/query", _ => (403, """{"errors":["Access to Resources is denied."]}"""));
        var picklist = """{"fields":[{"name":"queueID","picklistValues":[{"value":"1","label":"Q","isActive":true}]},{"name":"status","picklistValues":[{"value":"1","label":"New","isActive":true}]},{"name":"priority","picklistValues":[{"value":"2","label":"Medium","isActive":true}]},{"name":"noteType","picklistValues":[{"value":"1","label":"Task Detail","isActive":true}]}]}""";
        _autotask.Answer("GET", "/V1.0/Tickets/entityInformation/fields", _ => (200, picklist));
        _autotask.Answer("GET", "/V1.0/TicketNotes/entityInformation/fields", _ => (200, picklist));

        var items = await Client().TestConnectionAsync(Ct);

        var failed = Assert.Single(items, i => !i.Passed);
        Assert.Equal("Resources: read", failed.Name);
        Assert.Contains("Resources", failed.Message, StringComparison.Ordinal);
        Assert.Equal(10, items.Count);
        Assert.Contains(items, i => i.Name == "Deleted ticket logs: read" && i.Passed);
    }

    [Fact]
    public async Task TestConnection_StopsAtTheZone_NamingTheUser_WhenAutotaskDoesNotKnowIt()
    {
        var client = _services.GetRequiredService<AutotaskClientFactory>().Create(
            new AutotaskCredentials("nobody@example.com", Secret, Code), new AutotaskClientOptions("autotask-test-unknown", _autotask.Server.BaseAddress));

        var items = await client.TestConnectionAsync(Ct);

        var zone = Assert.Single(items);
        Assert.False(zone.Passed);
        Assert.Contains("\"nobody@example.com\"", zone.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_autotask.Requests, r => r.Path.Contains("/atservicesrest/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Identity_IsTheZoneAndDatabaseIdTheLookupNamed_OnceTestConnectionHasRun()
    {
        var client = Client();
        var before = client.Identity;

        var items = await client.TestConnectionAsync(Ct);

        Assert.StartsWith("autotask-user|", before.Key, StringComparison.Ordinal);
        Assert.True(items[0].Passed, items[0].Message);
        Assert.StartsWith("autotask|", client.Identity.Key, StringComparison.Ordinal);
        Assert.EndsWith("/zone1/atservicesrest|5", client.Identity.Key, StringComparison.Ordinal);
        Assert.Equal("database 5 (Pre-release zone1)", client.Identity.DisplayName);
    }

    [Fact]
    public async Task TestConnection_StopsAtTheZone_WhenTheLookupNamesNoDatabase()
    {
        _autotask.ZoneAnswer = """{"zoneName":"Pre-release zone1","url":"http://127.0.0.1:1/zone1/atservicesrest","webUrl":"https://ww5.autotask.net"}""";

        var items = await Client().TestConnectionAsync(Ct);

        var zone = Assert.Single(items);
        Assert.False(zone.Passed);
        Assert.Contains("named no database id (ci)", zone.Message, StringComparison.Ordinal);
    }

    private static string Page(IEnumerable<int> ids, string? next) =>
        JsonSerializer.Serialize(new
        {
            items = ids.Select(id => new { id, title = $"T{id}", lastTrackedModificationDateTime = "2026-01-05T00:00:00Z" }),
            pageDetails = new { count = ids.Count(), requestCount = 500, prevPageUrl = (string?)null, nextPageUrl = next },
        });

    /// <summary>A loopback Autotask: zone discovery at the root, the API under <c>/{zone}/atservicesrest</c>, answers set per test.</summary>
    private sealed class FakeAutotask : IAsyncDisposable
    {
        private readonly ConcurrentDictionary<string, Func<Recorded, (int Status, string Body)>> _answers = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<Recorded> _requests = new();

        private FakeAutotask()
        {
        }

        public SandboxServer Server { get; private set; } = default!;

        /// <summary>The zone the lookup names; requests to any other zone answer 404, as a database that moved.</summary>
        public string Zone { get; set; } = "zone1";

        public string ZoneUrl => new Uri(Server.BaseAddress, $"{Zone}/atservicesrest").ToString();

        public IReadOnlyList<Recorded> Requests => [.. _requests];

        public static async Task<FakeAutotask> StartAsync()
        {
            var fake = new FakeAutotask();
            fake.Server = await SandboxServer.StartAsync(_ => { }, app => app.Run(fake.HandleAsync));
            return fake;
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();

        /// <summary>How the API answers <paramref name="method"/> on <paramref name="path"/> (below the zone's REST base).</summary>
        public void Answer(string method, string path, Func<Recorded, (int Status, string Body)> answer) => _answers[$"{method} {path}"] = answer;

        /// <summary>What the zone lookup answers the known user, when a test wants another answer than the usual one.</summary>
        public string? ZoneAnswer { get; set; }

        private async Task HandleAsync(HttpContext context)
        {
            var request = context.Request;
            var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
            var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var recorded = new Recorded(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", headers, body);
            var (status, text) = Route(recorded);
            recorded.Status = status;
            _requests.Enqueue(recorded);
            context.Response.StatusCode = status;
            if (text.Length > 0)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(text, context.RequestAborted);
            }
        }

        private (int, string) Route(Recorded request)
        {
            if (request.Path == "/V1.0/ZoneInformation")
            {
                if (request.Query != "?user=" + Uri.EscapeDataString(User))
                {
                    return (404, """{"errors":["Zone information could not be determined for the user."]}""");
                }

                return (200, ZoneAnswer ?? JsonSerializer.Serialize(new { zoneName = $"Pre-release {Zone}", url = ZoneUrl, webUrl = "https://ww5.autotask.net", ci = 5 }));
            }

            var prefix = $"/{Zone}/atservicesrest";
            if (!request.Path.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                return (404, "");
            }

            return _answers.TryGetValue($"{request.Method} {request.Path[prefix.Length..]}", out var answer) ? answer(request) : (404, "");
        }
    }

    private sealed record Recorded(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public int Status { get; set; }
    }
}

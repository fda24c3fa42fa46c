using System.Net;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Halo;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EasyConnect.Tests.Sync.Psa.Halo;

/// <summary>
/// The HaloPSA client over real HTTP to <see cref="HaloStub"/>, which answers as the Halo API documents: the client-credentials
/// grant, bearer tokens, offset pages with record_count, creates and updates as POSTed arrays, private actions.
/// </summary>
public sealed class HaloClientTests : IAsyncLifetime
{
    private readonly CapturedLog _log = new();
    private HaloStub _halo = default!;
    private ServiceProvider _services = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _halo = await HaloStub.StartAsync();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging(b => b.AddProvider(_log).SetMinimumLevel(LogLevel.Debug));
        services.AddEasyConnectHalo();
        services.Configure<HaloOptions>(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(2);
            o.TotalTimeout = TimeSpan.FromSeconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.ThrottleCoolOff = TimeSpan.FromMilliseconds(50);
            o.MaxRetries = 3;
            o.PageSize = 10;
        });
        _services = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _halo.DisposeAsync();
    }

    private Dictionary<string, string> Settings(string? secret = null, string tenant = HaloStub.Tenant, string? outcome = null) => new()
    {
        [HaloProduct.Address] = _halo.Address,
        [HaloProduct.Tenant] = tenant,
        [HaloProduct.ClientId] = HaloStub.ClientId,
        [HaloProduct.ClientSecret] = secret ?? HaloStub.ClientSecret,
        [HaloProduct.NoteOutcome] = outcome ?? "",
    };

    private IPsaClient Client(string key = "halo-test", string? secret = null, string tenant = HaloStub.Tenant, string? outcome = null) =>
        _services.GetRequiredService<HaloClientFactory>().Create(Settings(secret, tenant, outcome), key);

    private static async Task<List<IPsaRecord>> ReadAllAsync(IPsaClient client, PsaEntity entity, DateTimeOffset? after = null)
    {
        var rows = new List<IPsaRecord>();
        await foreach (var page in client.ReadAsync(entity, after, Ct))
        {
            rows.AddRange(page);
        }

        return rows;
    }

    [Fact]
    public async Task Token_IsAskedForWithTheFormAndTheTenant_AndSharedByTheClientsOfOneConnection()
    {
        _halo.AddTicket(7, "Printer");

        await Client().GetTicketAsync("7", Ct);
        await Client().GetTicketAsync("7", Ct);

        // Documented: POST {auth}/token, form-encoded client credentials with scope "all", ?tenant= for hosted instances.
        var token = Assert.Single(_halo.Requests, r => r.Path == "/auth/token");
        Assert.Equal("POST", token.Method);
        Assert.Equal(HaloStub.Tenant, token.Query["tenant"]);
        Assert.Contains("grant_type=client_credentials", token.Body, StringComparison.Ordinal);
        Assert.Contains("scope=all", token.Body, StringComparison.Ordinal);
        Assert.All(_halo.Api, r => Assert.Equal("Bearer token-1", r.Headers["Authorization"]));
        Assert.Equal(2, _halo.Api.Count(r => r.Path == "/api/Tickets/7" && r.Status == 200));
    }

    [Fact]
    public async Task Token_IsRenewedBeforeItExpires_WhenTheTimeProviderPassesTheMargin()
    {
        _halo.AddTicket(7, "Printer");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var factory = new HaloClientFactory(_services.GetRequiredService<IHttpMessageHandlerFactory>(), _services.GetRequiredService<IOptionsMonitor<HaloOptions>>(),
            _services.GetRequiredService<ApiBudgetGovernor>(), clock);
        var client = factory.Create(Settings(), "halo-clock");

        await client.GetTicketAsync("7", Ct);
        clock.Advance(TimeSpan.FromMinutes(54));
        await client.GetTicketAsync("7", Ct);
        var beforeMargin = _halo.TokensIssued;
        // 3600 s tokens, renewed 5 minutes before they lapse.
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await client.GetTicketAsync("7", Ct);

        Assert.Equal(1, beforeMargin);
        Assert.Equal(2, _halo.TokensIssued);
        Assert.Equal("Bearer token-2", _halo.Api.Last().Headers["Authorization"]);
    }

    [Fact]
    public async Task Call_GetsOneNewTokenAndIsSentOnceMore_WhenHaloAnswers401()
    {
        _halo.AddTicket(7, "Printer");
        var client = Client();
        await client.GetTicketAsync("7", Ct);
        _halo.RevokeTokens();

        var ticket = await client.GetTicketAsync("7", Ct);

        Assert.Equal("Printer", ticket?.Summary);
        Assert.Equal(2, _halo.TokensIssued);
        Assert.Equal([200, 401, 200], _halo.Api.Select(r => r.Status));
    }

    [Fact]
    public async Task Call_FailsAsAuthentication_WithoutATokenLoop_WhenHaloRefusesTheNewTokenToo()
    {
        _halo.AddTicket(7, "Printer");
        _halo.Override = r => r.Path.StartsWith("/api/", StringComparison.Ordinal) ? (401, "") : null;

        var e = await Assert.ThrowsAsync<PsaException>(() => Client().GetTicketAsync("7", Ct));

        Assert.Equal(RemoteErrorKind.AuthenticationFailed, e.Kind);
        Assert.Equal(2, _halo.Api.Count());
        Assert.Equal(2, _halo.TokensIssued);
    }

    [Fact]
    public async Task SignIn_FailsWithAPlainMessage_AndTheSecretIsNeverLoggedOrShown_WhenTheSecretIsWrong()
    {
        var e = await Assert.ThrowsAsync<PsaException>(() => Client(secret: "wrong-secret-123").GetTicketAsync("7", Ct));

        Assert.Equal(RemoteErrorKind.AuthenticationFailed, e.Kind);
        Assert.Contains("client ID or secret", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-123", e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-123", _log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(HaloStub.ClientSecret, _log.Text, StringComparison.Ordinal);
        Assert.Empty(_halo.Api);
    }

    [Fact]
    public async Task SignIn_Fails_WhenAHostedInstanceIsGivenNoTenant()
    {
        var e = await Assert.ThrowsAsync<PsaException>(() => Client(tenant: "").GetTicketAsync("7", Ct));

        Assert.Equal(RemoteErrorKind.AuthenticationFailed, e.Kind);
        Assert.Contains("tenant", e.Message, StringComparison.Ordinal);
        Assert.False(_halo.Requests.Single().Query.ContainsKey("tenant"));
    }

    [Fact]
    public async Task Read_PagesByOffsetOrderedById_AtMostThePageSize_UntilRecordCountIsReached()
    {
        for (var id = 1; id <= 25; id++)
        {
            _halo.AddTicket(id, $"T{id}", stamp: $"2026-03-01T10:{id:00}:00");
        }

        var rows = await ReadAllAsync(Client(), PsaEntity.Tickets, new DateTimeOffset(2026, 3, 1, 10, 5, 0, TimeSpan.Zero));

        Assert.Equal(Enumerable.Range(5, 21).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), rows.Select(r => r.Id));
        var pages = _halo.Api.Where(r => r.Path == "/api/Tickets").ToList();
        Assert.Equal(["1", "2", "3"], pages.Select(p => p.Query["page_no"]));
        Assert.All(pages, p => Assert.Equal(("true", "10", "id", "false", "2026-03-01T10:05:00.000Z"),
            (p.Query["pageinate"], p.Query["page_size"], p.Query["order"], p.Query["orderdesc"], p.Query["lastupdatefromdate"])));
    }

    [Fact]
    public async Task FullRead_IsOneRequest_WhenEverythingFitsOnePage()
    {
        for (var id = 1; id <= 7; id++)
        {
            _halo.AddTicket(id, $"T{id}");
        }

        var rows = await ReadAllAsync(Client(), PsaEntity.Tickets);

        Assert.Equal(["1", "2", "3", "4", "5", "6", "7"], rows.Select(r => r.Id));
        Assert.Single(_halo.Api, r => r.Path == "/api/Tickets");
    }

    [Fact]
    public async Task FullRead_SeesEveryRowStillThere_WhenARowOnAPageAlreadyReadIsDeletedDuringTheRead()
    {
        for (var id = 1; id <= 35; id++)
        {
            _halo.AddTicket(id, $"T{id}");
        }

        // After page 1 (rows 1-10) was read, row 3 goes: row 11 moves up onto page 1 and offset page 2 starts at row 12.
        var deleted = false;
        _halo.BeforePage = (path, page) =>
        {
            if (page == 2 && !deleted)
            {
                deleted = true;
                lock (_halo.Tickets)
                {
                    _halo.Tickets.Remove(3);
                }
            }
        };

        var seen = (await ReadAllAsync(Client(), PsaEntity.Tickets)).Select(r => r.Id).ToHashSet();

        Assert.True(deleted);
        Assert.Subset(seen, _halo.Tickets.Keys.Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet());
        Assert.Contains("11", seen);
    }

    [Fact]
    public async Task FullRead_SeesEveryRowStillThere_WhenADeletionAndACreationLeaveTheCountUnchanged()
    {
        for (var id = 1; id <= 35; id++)
        {
            _halo.AddTicket(id, $"T{id}");
        }

        var changed = false;
        _halo.BeforePage = (path, page) =>
        {
            if (page == 2 && !changed)
            {
                changed = true;
                _halo.Tickets.Remove(3);
                _halo.AddTicket(_halo.NextId(), "Created during the read");
            }
        };

        var seen = (await ReadAllAsync(Client(), PsaEntity.Tickets)).Select(r => r.Id).ToHashSet();

        Assert.True(changed);
        Assert.Subset(seen, _halo.Tickets.Keys.Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet());
    }

    [Fact]
    public async Task FullRead_IsNotReadTwice_WhenRowsAreOnlyCreatedDuringTheRead()
    {
        for (var id = 1; id <= 25; id++)
        {
            _halo.AddTicket(id, $"T{id}");
        }

        _halo.BeforePage = (path, page) =>
        {
            if (page == 2)
            {
                _halo.AddTicket(_halo.NextId(), "Created during the read");
            }
        };

        var rows = await ReadAllAsync(Client(), PsaEntity.Tickets);

        Assert.Equal(_halo.Tickets.Count, rows.Count);
        // The newest-first page that finds the highest id, then pages 1 to 3 by id once.
        Assert.Equal(4, _halo.Api.Count(r => r.Path == "/api/Tickets"));
    }

    [Fact]
    public async Task IncrementalRead_SeesEveryChangedRow_WhenARowIsDeletedFromAPageAlreadyRead()
    {
        for (var id = 1; id <= 25; id++)
        {
            _halo.AddTicket(id, $"T{id}", stamp: "2026-03-02T00:00:00");
        }

        var deleted = false;
        _halo.BeforePage = (path, page) =>
        {
            if (page == 2 && !deleted)
            {
                deleted = true;
                _halo.Tickets.Remove(2);
            }
        };

        var seen = (await ReadAllAsync(Client(), PsaEntity.Tickets, new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero))).Select(r => r.Id).ToHashSet();

        Assert.Contains("11", seen);
        Assert.Subset(seen, _halo.Tickets.Keys.Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet());
    }

    [Fact]
    public async Task FullRead_Fails_AndSoDeletesNothing_WhenRowsKeepMovingInTwoReadsRunning()
    {
        for (var id = 1; id <= 35; id++)
        {
            _halo.AddTicket(id, $"T{id}");
        }

        _halo.BeforePage = (path, page) =>
        {
            if (page == 2)
            {
                _halo.Tickets.Remove(_halo.Tickets.Keys.First());
            }
        };

        var e = await Assert.ThrowsAsync<PsaException>(() => ReadAllAsync(Client(), PsaEntity.Tickets));

        Assert.Equal(RemoteErrorKind.Unavailable, e.Kind);
        Assert.Contains("changed while EasyConnect read them", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_MapsLenientRows_WhenBooleansAndNumbersComeAsTextAndUnknownFieldsAbound()
    {
        _halo.Clients[12] = JsonNode.Parse("""{"id":"12","name":"Contoso","inactive":"False","ref":"CON","toplevel_id":"1","main_site_id":"70","whatever":[1,2]}""")!.AsObject();
        _halo.Sites[70] = JsonNode.Parse("""{"id":"70","client_id":"12","name":"Main","sla_id":"2","inactive":"false"}""")!.AsObject();
        _halo.Clients[13] = JsonNode.Parse("""{"id":13,"name":"Old Co","inactive":"True","last_update":"2026-01-02T03:04:05.67"}""")!.AsObject();
        _halo.Assets[40] = JsonNode.Parse("""
            {"id":40,"inventory_number":"CL-000001","key_field":"SN-1","client_id":"12","inactive":"false",
             "fields":[{"id":1,"name":"ClusterID","value":"CL-000001"}],"customfields":[{"id":9,"name":"CFRack","label":"Rack","value":"R2"}]}
            """)!.AsObject();
        var client = Client();

        var members = (await ReadAllAsync(client, PsaEntity.Members)).Cast<PsaMember>().ToList();
        var companies = (await ReadAllAsync(client, PsaEntity.Companies)).Cast<PsaCompany>().ToList();
        var asset = Assert.IsType<PsaConfiguration>(Assert.Single(await ReadAllAsync(client, PsaEntity.Configurations)));
        var boards = (await ReadAllAsync(client, PsaEntity.Boards)).Cast<PsaBoard>().ToList();
        var statuses = (await ReadAllAsync(client, PsaEntity.Statuses)).Cast<PsaStatus>().ToList();

        Assert.Equal(["ava.nguyen@msp.example"], members.Single(m => m.Id == "5").Emails);
        Assert.True(members.Single(m => m.Id == "6").Inactive);
        Assert.Equal(("CON", "Contoso", false), (companies[0].Identifier, companies[0].Name, companies[0].Inactive));
        Assert.True(companies[1].Inactive);
        Assert.Equal(("2", null), (companies[0].PriorityScopeId, companies[1].PriorityScopeId));
        Assert.Equal(("CL-000001", "SN-1", "12", true), (asset.Name, asset.SerialNumber, asset.CompanyId, asset.Active));
        Assert.Equal("CL-000001", asset.CustomFields["ClusterID"]);
        Assert.Equal("R2", asset.CustomFields["CFRack"]);
        Assert.Equal(["Service Desk", "Projects"], boards.Select(b => b.Id));
        Assert.True(boards[1].Inactive);
        Assert.True(statuses.Single(s => s.Name == "Closed").Closed);
        Assert.Equal(2, statuses.Single(s => s.Name == "In Progress").SortOrder);
        // Inactive clients and assets are asked for: the mirror keeps them marked, instead of taking them for deleted.
        Assert.All(_halo.Api.Where(r => r.Path is "/api/Client" or "/api/Asset"), r => Assert.Equal("true", r.Query["includeinactive"]));
    }

    [Fact]
    public async Task Priorities_AreScopedByTheirSla_AndATicketsPriorityIsTheOneWithinItsSla()
    {
        _halo.AddTicket(7, "Printer");
        _halo.Tickets[7]["sla_id"] = 2;
        _halo.Tickets[7]["priority_id"] = 1;
        var client = Client();

        var priorities = (await ReadAllAsync(client, PsaEntity.Priorities)).Cast<PsaPriority>().ToList();
        var ticket = await client.GetTicketAsync("7", Ct);
        await client.UpdateTicketAsync("7", new PsaTicketUpdate(PriorityId: "2:1"), Ct);

        Assert.Equal([("1:1", "1"), ("1:4", "1"), ("2:1", "2")], priorities.Select(p => (p.Id, p.ScopeId)));
        Assert.Equal("2:1", ticket?.PriorityId);
        var update = _halo.Api.Last(r => r.Method == "POST");
        Assert.Equal(1, JsonNode.Parse(update.Body)![0]!["priority_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task CreateTicket_PostsAnArrayWithoutId_AndKeepsThePortalIdInTheClientReferenceThatFindsItAgain()
    {
        var client = Client();

        var created = await client.CreateTicketAsync(new PsaTicketCreate("Printer jams", "It jams.\nEvery morning.", "Service Desk", "1", "1:4", "12", "zd-41"), Ct);
        _halo.AddTicket(_halo.NextId(), "Another", reference: "zd-410");
        var found = await client.FindTicketByExternalReferenceAsync("zd-41", Ct);

        var post = _halo.Api.Single(r => r.Method == "POST" && r.Path == "/api/Tickets");
        var body = JsonNode.Parse(post.Body)!.AsArray();
        Assert.Null(Assert.Single(body)!["id"]);
        Assert.Equal(("Service Desk", 12L, 4L, "zd-41"), (body[0]!["team"]!.GetValue<string>(), body[0]!["client_id"]!.GetValue<long>(),
            body[0]!["priority_id"]!.GetValue<long>(), body[0]!["client_reference"]!.GetValue<string>()));
        Assert.Equal(("Printer jams", "It jams.\nEvery morning.", "Service Desk", "12", "zd-41"),
            (created.Summary, created.Description, created.BoardId, created.CompanyId, created.ExternalReference));
        Assert.Equal(created.Id, found?.Id);
        Assert.Equal("zd-41", _halo.Api.Single(r => r.Query.ContainsKey("client_ref")).Query["client_ref"]);
    }

    [Fact]
    public async Task UpdateTicket_PostsAnArrayWithTheIdAndOnlyTheChangedFields()
    {
        _halo.AddTicket(7, "Printer");

        var updated = await Client().UpdateTicketAsync("7", new PsaTicketUpdate(Summary: "Printer on fire", StatusId: "2"), Ct);

        var body = JsonNode.Parse(_halo.Api.Single(r => r.Method == "POST").Body)!.AsArray();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"id":7,"summary":"Printer on fire","status_id":2}]"""), body), body.ToJsonString());
        Assert.Equal(("Printer on fire", "2"), (updated.Summary, updated.StatusId));
    }

    [Fact]
    public async Task CreateNote_PostsAPrivateActionWithTheConnectionsOutcome_AndSendsNoEmail()
    {
        _halo.AddTicket(7, "Printer");

        var note = await Client(outcome: "Internal Note").CreateNoteAsync("7", new PsaNoteCreate("Tried <b>rebooting</b> & it works", PsaNoteVisibility.Internal, "5"), Ct);

        var action = JsonNode.Parse(_halo.Api.Single(r => r.Method == "POST" && r.Path == "/api/Actions").Body)![0]!;
        Assert.Equal((7L, true, false, "Internal Note", 5L), (action["ticket_id"]!.GetValue<long>(), action["hiddenfromuser"]!.GetValue<bool>(),
            action["sendemail"]!.GetValue<bool>(), action["outcome"]!.GetValue<string>(), action["who_agentid"]!.GetValue<long>()));
        Assert.Equal("Tried &lt;b&gt;rebooting&lt;/b&gt; &amp; it works", action["note_html"]!.GetValue<string>());
        Assert.Equal(("Tried <b>rebooting</b> & it works", PsaNoteVisibility.Internal, "5"), (note.Text, note.Visibility, note.MemberId));
    }

    [Fact]
    public async Task ReadConversation_GivesAgentsPrivateActionsAndOurNotes_ButNotSystemActionsNorTheApiAgentsOthers()
    {
        _halo.AddTicket(7, "Printer");
        var client = Client();
        var ours = await client.CreateNoteAsync("7", new PsaNoteCreate("From the portal", PsaNoteVisibility.Internal, null), Ct);
        _halo.Actions.Add(JsonNode.Parse("""{"id":501,"ticket_id":7,"who_agentid":5,"outcome":"Private Note","hiddenfromuser":"True","note_html":"<p>Checked the toner</p>","datetime":"2026-03-01T11:00:00"}""")!.AsObject());
        _halo.Actions.Add(JsonNode.Parse("""{"id":502,"ticket_id":7,"who_agentid":1,"outcome":"New Ticket","hiddenfromuser":true,"note":"Ticket logged via the API","datetime":"2026-03-01T09:00:00"}""")!.AsObject());
        _halo.Actions.Add(JsonNode.Parse("""{"id":503,"ticket_id":7,"who_agentid":0,"outcome":"Status Change","_system":true,"note":"Status changed","datetime":"2026-03-01T09:30:00"}""")!.AsObject());
        _halo.Actions.Add(JsonNode.Parse("""{"id":504,"ticket_id":7,"who_agentid":6,"outcome":"Email User","hiddenfromuser":false,"note":"We are on it","datetime":"2026-03-01T12:00:00"}""")!.AsObject());

        var conversation = await client.ReadConversationAsync("7", Ct);

        Assert.Equal("Details of Printer", conversation.Description?.Text);
        Assert.Equal(
            new (string, PsaNoteVisibility, string?)[] { ("501", PsaNoteVisibility.Internal, "5"), ("504", PsaNoteVisibility.External, "6"), (ours.Id, PsaNoteVisibility.Internal, "1") }.OrderBy(n => n.Item1, StringComparer.Ordinal),
            conversation.Notes.OrderBy(n => n.Id, StringComparer.Ordinal).Select(n => (n.Id, n.Visibility, n.MemberId)));
        Assert.Equal("Checked the toner", conversation.Notes.Single(n => n.Id == "501").Text);
        Assert.Equal("true", _halo.Api.Single(r => r.Path == "/api/Actions" && r.Method == "GET").Query["excludesys"]);
    }

    [Fact]
    public async Task NotesAndDetails_KeepTheirTextAndDoNotGrow_WhenTheyGoRoundSeveralTimes()
    {
        const string text = "Line one & <two>\n\n  indented  twice\nlast line";
        _halo.AddTicket(7, "Printer");
        var client = Client();
        var noteText = text;
        var description = text;

        for (var pass = 0; pass < 4; pass++)
        {
            var note = await client.CreateNoteAsync("7", new PsaNoteCreate(noteText, PsaNoteVisibility.Internal, null), Ct);
            noteText = (await client.ReadConversationAsync("7", Ct)).Notes.Single(n => n.Id == note.Id).Text;
            await client.UpdateTicketAsync("7", new PsaTicketUpdate(Description: description), Ct);
            description = (await client.GetTicketAsync("7", Ct))!.Description!;
        }

        Assert.Equal(text, noteText);
        Assert.Equal(text, description);
    }

    [Fact]
    public async Task AttachConfiguration_KeepsTheTicketsAssets_AndChangesNothing_WhenTheAssetIsThere()
    {
        _halo.AddTicket(7, "Printer");
        _halo.Tickets[7]["assets"] = JsonNode.Parse("""[{"id":40,"inventory_number":"CL-000001"}]""");
        var client = Client();

        await client.AttachConfigurationAsync("7", "41", Ct);
        await client.AttachConfigurationAsync("7", "41", Ct);

        var post = Assert.Single(_halo.Api, r => r.Method == "POST");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"id":7,"assets":[{"id":40},{"id":41}]}]"""), JsonNode.Parse(post.Body)), post.Body);
    }

    [Fact]
    public async Task Errors_AreWordedForTheAdmin_For403AndValidationAnd404()
    {
        _halo.AddTicket(7, "Printer");
        var client = Client();
        _halo.Override = r => r.Path == "/api/Asset" ? (403, "\"You do not have access to assets\"") : null;

        var forbidden = await Assert.ThrowsAsync<PsaException>(() => ReadAllAsync(client, PsaEntity.Configurations));
        var refused = await Assert.ThrowsAsync<PsaException>(() => client.UpdateTicketAsync("7", new PsaTicketUpdate(Summary: ""), Ct));
        var missing = await client.GetTicketAsync("404", Ct);

        Assert.Equal(RemoteErrorKind.PermissionMissing, forbidden.Kind);
        Assert.Contains("\"Assets: read\"", forbidden.Message, StringComparison.Ordinal);
        Assert.Contains("You do not have access to assets", forbidden.Message, StringComparison.Ordinal);
        Assert.Equal(RemoteErrorKind.ValidationFailed, refused.Kind);
        Assert.Contains("summary: Summary is required", refused.Message, StringComparison.Ordinal);
        Assert.Equal("summary", refused.Field);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Call_IsRetriedAfterTheCoolOff_WhenHaloAnswers429WithoutRetryAfter()
    {
        _halo.AddTicket(7, "Printer");
        var throttled = 0;
        _halo.Override = r => r.Path == "/api/Tickets/7" && Interlocked.Increment(ref throttled) == 1 ? (429, "\"Rate Limit Reached\"") : null;

        var ticket = await Client().GetTicketAsync("7", Ct);

        Assert.Equal("Printer", ticket?.Summary);
        Assert.Equal([429, 200], _halo.Api.Select(r => r.Status));
    }

    [Fact]
    public async Task ThrottleHandler_GivesA429WithoutRetryAfterTheCoolOff_AndLeavesHalosOwnAlone()
    {
        var options = _services.GetRequiredService<IOptionsMonitor<HaloOptions>>();
        using var bare = new HttpMessageInvoker(new HaloThrottleHandler(options) { InnerHandler = new Answer(null) });
        using var named = new HttpMessageInvoker(new HaloThrottleHandler(options) { InnerHandler = new Answer(TimeSpan.FromSeconds(7)) });

        using var first = await bare.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://halo.example/api/Tickets"), Ct);
        using var second = await named.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://halo.example/api/Tickets"), Ct);

        Assert.Equal(TimeSpan.FromMilliseconds(50), first.Headers.RetryAfter?.Delta);
        Assert.Equal(TimeSpan.FromSeconds(7), second.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task TestConnection_PassesEveryCheck_WhenTheApplicationMayDoEverything()
    {
        _halo.AddTicket(7, "Printer");

        var items = await Client().TestConnectionAsync(Ct);

        Assert.All(items, i => Assert.True(i.Passed, $"{i.Name}: {i.Message}"));
        Assert.Equal(["Authentication", "The agent the API application runs as", "Tickets: create and edit", "Tickets: read", "Actions: read",
            "Agents: read", "Clients: read", "Assets: read", "Sites: read (each client's SLA)", "Teams: read", "Statuses: read", "Priorities: read"], items.Select(i => i.Name));
        Assert.Contains("EasyConnect API", items[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnection_NamesWhatFails_WhenTheScopeLacksEditAndAssetsAreForbidden()
    {
        _halo.Scope = "read:tickets read:customers";
        _halo.Override = r => r.Path == "/api/Asset" ? (403, "") : null;

        var items = await Client().TestConnectionAsync(Ct);

        var failed = items.Where(i => !i.Passed).ToDictionary(i => i.Name, i => i.Message);
        Assert.Equal(["Tickets: create and edit", "Assets: read"], failed.Keys);
        Assert.Contains("edit:tickets", failed["Tickets: create and edit"], StringComparison.Ordinal);
        Assert.Contains("\"Assets: read\"", failed["Assets: read"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnection_StopsAtAuthentication_WhenTheSecretIsWrong()
    {
        var items = await Client(secret: "nope").TestConnectionAsync(Ct);

        var only = Assert.Single(items);
        Assert.False(only.Passed);
        Assert.Empty(_halo.Api);
    }

    [Fact]
    public void AddEasyConnectHalo_RegistersAFactoryForHalo_WithHalosBudget()
    {
        var factory = _services.GetServices<IPsaClientFactory>().Single();
        var limits = _services.GetRequiredService<ApiBudgetGovernor>().LimitsFor(PsaKind.Halo);

        Assert.Equal(PsaKind.Halo, factory.Kind);
        Assert.Equal(new HashSet<string> { HaloProduct.ClientId, HaloProduct.ClientSecret }, factory.SecretNames);
        Assert.Equal((300, TimeSpan.FromMinutes(5)), (limits.RequestsPerWindow, limits.Window));
    }

    private sealed class Answer(TimeSpan? retryAfter) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            if (retryAfter is { } delay)
            {
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delay);
            }

            return Task.FromResult(response);
        }
    }
}

using EasyConnect.Sync.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.ConnectWise;
using EasyConnect.Sync.Psa.ConnectWise.Dtos;

namespace EasyConnect.Tests.Sync.Psa.ConnectWise;

/// <summary>
/// How the ConnectWise client copes with what ConnectWise documents: string booleans and numbers, unreadable fields named,
/// forward-only paging without orderBy, redirects never followed, _info links never followed, exact PATCH paths.
/// </summary>
public sealed class ConnectWiseClientRulesTests : IAsyncLifetime
{
    private ConnectWiseSandboxHost _host = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await ConnectWiseSandboxHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Json_ReadsBooleansAndNumbersSentAsStrings_WhenDeserialisingDtos()
    {
        // Arrange
        const string status = """{"id":"7","name":"Closed","board":{"id":"2"},"sortOrder":"3","inactive":"False","closedStatus":"True","unknown":{"x":1}}""";
        const string board = """{"id":1,"name":"Desk","inactiveFlag":"1"}""";
        const string member = """{"id":4,"identifier":"ava","inactiveFlag":"false","_info":{"lastUpdated":"2026-01-01T00:00:00Z","image_href":"x"}}""";
        const string info = """{"CompanyName":"Acme","Codebase":"v2025_1/","VersionCode":"v2025.1","CompanyID":"acme","IsCloud":"True","SiteUrl":"na.myconnectwise.net"}""";

        // Act
        var s = JsonSerializer.Deserialize<CwBoardStatus>(status, EasyConnect.Sync.Http.VendorClients.Json)!;
        var b = JsonSerializer.Deserialize<CwBoard>(board, EasyConnect.Sync.Http.VendorClients.Json)!;
        var m = JsonSerializer.Deserialize<CwMember>(member, EasyConnect.Sync.Http.VendorClients.Json)!;
        var c = JsonSerializer.Deserialize<CwCompanyInfo>(info, EasyConnect.Sync.Http.VendorClients.Json)!;

        // Assert
        Assert.Equal((7, 2, 3, false, true), (s.Id, s.Board!.Id, s.SortOrder, s.Inactive, s.ClosedStatus));
        Assert.True(b.InactiveFlag);
        Assert.False(m.InactiveFlag);
        Assert.Equal("v2025_1/", c.Codebase);
    }

    [Fact]
    public async Task ReadAsync_ReadsFlagsNumbersAndAnswers_WhenConnectWiseSendsThemAsStringsOrNumbers()
    {
        // Arrange: a board whose flag and a status whose sort order come as strings, a configuration answer that is a number.
        _host.State.UpdateRecord("service/boards", 1, n => n["inactiveFlag"] = "True");
        _host.State.UpdateRecord("service/boards/statuses", 1, n => n["sortOrder"] = "5");
        _host.State.UpdateRecord("company/configurations", 1, n =>
        {
            n["questions"]![0]!["question"] = "Rack";
            n["questions"]![0]!["answer"] = 42;
        });
        var client = _host.Client();

        // Act
        var boards = (await ConnectWiseClientTests.ReadAll(client, PsaEntity.Boards, null)).Cast<PsaBoard>().ToList();
        var statuses = (await ConnectWiseClientTests.ReadAll(client, PsaEntity.Statuses, null)).Cast<PsaStatus>().ToList();
        var configurations = (await ConnectWiseClientTests.ReadAll(client, PsaEntity.Configurations, null)).Cast<PsaConfiguration>().ToList();

        // Assert
        Assert.True(boards.Single(b => b.Id == "1").Inactive);
        Assert.Equal(5, statuses.Single(s => s.Id == "1").SortOrder);
        Assert.Equal("42", configurations.Single(c => c.Id == "1").CustomFields["Rack"]);
    }

    [Fact]
    public async Task GetTicketAsync_NamesTheField_WhenANeededFieldIsUnreadable()
    {
        // Arrange: ConnectWise sends the ticket's id as an object.
        _host.State.UpdateRecord("service/tickets", 3, n => n["id"] = new JsonObject { ["value"] = 3 });
        var client = _host.Client();

        // Act
        var e = await Assert.ThrowsAsync<PsaException>(() => client.GetTicketAsync("3", Ct));

        // Assert
        Assert.Equal(RemoteErrorKind.Unavailable, e.Kind);
        Assert.Equal("id", e.Field);
        Assert.Contains("the field \"id\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NamesTheField_WhenAListedRecordHasAnUnreadableName()
    {
        // Arrange
        _host.State.UpdateRecord("service/priorities", 2, n => n["name"] = new JsonObject { ["text"] = "High" });
        var client = _host.Client();

        // Act
        var e = await Assert.ThrowsAsync<PsaException>(() => ConnectWiseClientTests.ReadAll(client, PsaEntity.Priorities, null));

        // Assert
        Assert.Contains("priority", e.Message, StringComparison.Ordinal);
        Assert.Contains("the field \"name\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PsaEntity.Members)]
    [InlineData(PsaEntity.Companies)]
    [InlineData(PsaEntity.Configurations)]
    [InlineData(PsaEntity.Boards)]
    [InlineData(PsaEntity.Statuses)]
    [InlineData(PsaEntity.Priorities)]
    [InlineData(PsaEntity.Tickets)]
    public async Task ReadAsync_PagesForwardOnlyWithoutOrderBy_WhenReadingInFull(PsaEntity entity)
    {
        // Arrange
        var client = _host.Client();
        await client.TestConnectionAsync(Ct);
        _host.Faults.ResetRequests();

        // Act
        var records = await ConnectWiseClientTests.ReadAll(client, entity, null);

        // Assert
        Assert.NotEmpty(records);
        Assert.DoesNotContain(_host.Faults.Requests, r => r.Path.Contains("pageId=", StringComparison.Ordinal) && r.Path.Contains("orderBy", StringComparison.Ordinal));
        Assert.All(_host.Faults.Requests, r => Assert.DoesNotContain("//", r.Path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_StopsAfterTheEmptyPage_WhenRowsAreAnExactMultipleOfPageSize()
    {
        // Arrange: the Link header names a next pageId on every page, so only a short page ends the read.
        await using var host = await ConnectWiseSandboxHost.StartAsync(s => s.Configurations = 300, c => c.PageSize = 100);
        var client = host.Client();
        await client.CountAsync(PsaEntity.Configurations, null, Ct);
        host.Faults.ResetRequests();

        // Act
        var records = await ConnectWiseClientTests.ReadAll(client, PsaEntity.Configurations, null);

        // Assert
        Assert.Equal(300, records.Select(r => r.Id).Distinct().Count());
        Assert.Equal(4, host.Requests("GET", "company/configurations").Count);
    }

    [Fact]
    public async Task ReadAsync_ReportsTheRedirect_AndFindsTheNewCodebaseOnTheNextCall_WhenConnectWiseMoved()
    {
        // Arrange: the client knows the codebase, then a hosted upgrade moves it.
        var client = _host.Client();
        await client.GetTicketAsync("1", Ct);
        _host.State.ChangeCodebase("v2025_2/");
        _host.Faults.ResetRequests();

        // Act
        var e = await Assert.ThrowsAsync<PsaException>(() => client.GetTicketAsync("1", Ct));
        var redirected = _host.Faults.Requests.Count;
        var ticket = await client.GetTicketAsync("1", Ct);

        // Assert
        Assert.Equal(302, e.StatusCode);
        Assert.Contains("redirect", e.Message, StringComparison.Ordinal);
        Assert.Contains("v2025_2/", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, redirected);
        Assert.Equal("1", ticket?.Id);
        Assert.Contains(_host.Faults.Requests, r => r.Path.Contains("/v2025_2/apis/3.0/service/tickets/1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpdateTicketAsync_KeepsTheDescriptionWithSpaces_WhenTheTextHasLineBreaks()
    {
        // Arrange
        var client = _host.Client();
        var before = await client.ReadConversationAsync("1", Ct);

        // Act
        await client.UpdateTicketAsync("1", new PsaTicketUpdate(Description: "Line one\nLine two"), Ct);

        // Assert: ConnectWise returns a line break as a space; the Discussion note is rewritten, not added.
        Assert.NotNull(before.Description);
        Assert.Equal("Line one Line two", (await client.ReadConversationAsync("1", Ct)).Description?.Text);
        Assert.Single(_host.State.NotesOf(1), n => n.Discussion);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Sandbox.Halo;

namespace EasyConnect.Tests.Sync.Sandbox.Halo;

/// <summary>
/// Deletions in the HaloPSA sandbox over real HTTP (<c>DELETE /api/{kind}/{id}</c>): a ticket stays, marked deleted, and leaves lists and
/// reads; agents, clients, assets, teams, statuses and priorities go outright; the scope holds; and an offset list's later pages shift
/// when a row of an earlier page is deleted between two page reads.
/// </summary>
public sealed class HaloSandboxDeleteTests : IAsyncLifetime
{
    private HaloSandboxHost _host = default!;
    private HttpClient _http = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HaloSandboxState State => _host.State;

    public async ValueTask InitializeAsync()
    {
        _host = await HaloSandboxHost.StartAsync(o => o.Tickets = 12);
        _http = await _host.ClientAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task DeleteTicket_LeavesItOutOfListsAndReads_KeepingItMarkedDeleted_AndA404Afterwards()
    {
        // Arrange: the ticket's agent has left since; an update of the ticket would be refused, its deletion is not.
        State.SetAgentDisabled(HaloSandboxState.Long(State.Find(HaloSandboxState.Tickets, 2003)!["agent_id"])!.Value, true);

        // Act
        using var deleted = await _http.DeleteAsync("Tickets/2003?reason=Duplicate", Ct);
        using var again = await _http.DeleteAsync("Tickets/2003", Ct);
        using var read = await _http.GetAsync("Tickets/2003", Ct);
        using var missing = await _http.DeleteAsync("Tickets/9999", Ct);
        var list = await Get("Tickets?pageinate=true&page_size=100&page_no=1");
        var withDeleted = await Get("Tickets?deleted=true");

        // Assert
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (again.StatusCode, read.StatusCode, missing.StatusCode));
        Assert.Equal(11, list["record_count"]!.GetValue<int>());
        Assert.DoesNotContain(2003L, Ids(list, "tickets"));
        Assert.True(Assert.Single(withDeleted["tickets"]!.AsArray(), t => t!["id"]!.GetValue<long>() == 2003)!["deleted"]!.GetValue<bool>());
        Assert.True(HaloSandboxState.Bool(State.Find(HaloSandboxState.Tickets, 2003)!["deleted"]));
    }

    [Theory]
    [InlineData(HaloSandboxState.Clients, "clients")]
    [InlineData(HaloSandboxState.Assets, "assets")]
    public async Task DeletePagedRecord_RemovesItFromListsAndReads_AndAnswers404ForAMissingOne(string kind, string rows)
    {
        // Arrange
        var id = State.Ids(kind)[1];
        var before = (await Get($"{kind}?pageinate=true&page_size=100&page_no=1&includeinactive=true"))["record_count"]!.GetValue<int>();

        // Act
        using var deleted = await _http.DeleteAsync($"{kind}/{id}", Ct);
        using var read = await _http.GetAsync($"{kind}/{id}", Ct);
        using var missing = await _http.DeleteAsync($"{kind}/{id}", Ct);
        var after = await Get($"{kind}?pageinate=true&page_size=100&page_no=1&includeinactive=true");

        // Assert
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (read.StatusCode, missing.StatusCode));
        Assert.Equal(before - 1, after["record_count"]!.GetValue<int>());
        Assert.DoesNotContain(id, Ids(after, rows));
    }

    [Fact]
    public async Task DeleteAgentTeamStatusAndPriority_RemovesThemFromTheirLists()
    {
        // Arrange
        var agent = State.Ids(HaloSandboxState.Agents)[3];
        var team = State.Ids(HaloSandboxState.Teams)[2];
        var status = State.Ids(HaloSandboxState.Statuses).First(s => s == 4);
        var priority = State.Ids(HaloSandboxState.Priorities)[^1];

        // Act
        using var responses = new Disposables(
            await _http.DeleteAsync($"Agent/{agent}", Ct), await _http.DeleteAsync($"Team/{team}", Ct),
            await _http.DeleteAsync($"Status/{status}", Ct), await _http.DeleteAsync($"Priority/{priority}", Ct));
        var agents = await _http.GetFromJsonAsync<JsonArray>("Agent?includedisabled=true&includeapiagents=true", Ct);
        var teams = await _http.GetFromJsonAsync<JsonArray>("Team?includedisabled=true", Ct);
        var statuses = await _http.GetFromJsonAsync<JsonArray>("Status", Ct);
        var priorities = await _http.GetFromJsonAsync<JsonArray>("Priority", Ct);

        // Assert
        Assert.All(responses.Items, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.DoesNotContain(agents!, a => a!["id"]!.GetValue<long>() == agent);
        Assert.DoesNotContain(teams!, t => t!["id"]!.GetValue<long>() == team);
        Assert.DoesNotContain(statuses!, s => s!["id"]!.GetValue<long>() == status);
        Assert.DoesNotContain(priorities!, p => p!["id"]!.ToString() == priority.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(State.Ids(HaloSandboxState.Agents).Count, agents!.Count);
    }

    [Fact]
    public async Task DeleteClient_IsRefused_WhenTheTokensScopeOnlyReadsCustomers()
    {
        // Arrange
        using var http = await _host.ClientAsync("read:customers");
        var id = State.Ids(HaloSandboxState.Clients)[0];

        // Act
        using var delete = await http.DeleteAsync($"Client/{id}", Ct);

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.NotNull(State.Find(HaloSandboxState.Clients, id));
    }

    [Fact]
    public async Task OffsetPages_ShiftUp_WhenARowOfAnEarlierPageIsDeletedBetweenTwoPageReads()
    {
        // Arrange: assets in id order, 10 a page; after page 1 is cut, its first asset is deleted.
        var ids = State.Ids(HaloSandboxState.Assets);
        State.AfterPage = page =>
        {
            if (page is { Kind: HaloSandboxState.Assets, PageNo: 1 })
            {
                State.Delete(HaloSandboxState.Assets, ids[0]);
            }
        };
        const string query = "Asset?pageinate=true&page_size=10&order=id&includeinactive=true&page_no=";

        // Act
        var first = await Get(query + "1");
        var second = await Get(query + "2");

        // Assert: the 11th asset moved up onto page 1, which was already read, so neither page holds it.
        Assert.Equal(ids.Take(10), Ids(first, "assets"));
        Assert.Equal(ids.Skip(11).Take(10), Ids(second, "assets"));
        Assert.Equal((ids.Count, ids.Count - 1), (first["record_count"]!.GetValue<int>(), second["record_count"]!.GetValue<int>()));
    }

    private async Task<JsonObject> Get(string path) => (await _http.GetFromJsonAsync<JsonObject>(path, Ct))!;

    private static List<long> Ids(JsonObject list, string name) => [.. list[name]!.AsArray().Select(t => t!["id"]!.GetValue<long>())];

    private sealed class Disposables(params HttpResponseMessage[] items) : IDisposable
    {
        public IReadOnlyList<HttpResponseMessage> Items { get; } = items;

        public void Dispose()
        {
            foreach (var item in Items)
            {
                item.Dispose();
            }
        }
    }
}

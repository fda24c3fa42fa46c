using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Halo;
using EasyConnect.Sync.Sandbox.Halo;
using EasyConnect.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Psa.Halo;

/// <summary>The HaloPSA client against the Halo sandbox (tenant-hosted, with its seeded data) over real HTTP: what the two agree on.</summary>
public sealed class HaloClientSandboxTests : IAsyncLifetime
{
    private const string Tenant = "acme-sandbox";
    private SandboxServer _server = default!;
    private ServiceProvider _services = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await SandboxServer.StartAsync(s => s.AddEasyConnectHaloSandbox(o => o.Tenant = Tenant), app => app.MapHaloSandbox());
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddEasyConnectHalo();
        services.Configure<HaloOptions>(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.TotalTimeout = TimeSpan.FromSeconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.PageSize = 7;
        });
        _services = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    private IPsaClient Client()
    {
        var options = _server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HaloSandboxOptions>>().Value;
        return _services.GetRequiredService<HaloClientFactory>().Create(new Dictionary<string, string>
        {
            [HaloProduct.Address] = new Uri(_server.BaseAddress, "sandbox/halo").AbsoluteUri,
            [HaloProduct.Tenant] = Tenant,
            [HaloProduct.ClientId] = options.ClientId,
            [HaloProduct.ClientSecret] = options.ClientSecret,
        }, "halo-sandbox");
    }

    private static async Task<List<IPsaRecord>> ReadAllAsync(IPsaClient client, PsaEntity entity)
    {
        var rows = new List<IPsaRecord>();
        await foreach (var page in client.ReadAsync(entity, null, Ct))
        {
            rows.AddRange(page);
        }

        return rows;
    }

    [Fact]
    public async Task TestConnection_PassesEveryCheck_AgainstTheSandbox()
    {
        var items = await Client().TestConnectionAsync(Ct);

        Assert.All(items, i => Assert.True(i.Passed, $"{i.Name}: {i.Message}"));
    }

    [Fact]
    public async Task Read_GivesEverySeededRow_ThroughSeveralOffsetPages()
    {
        var client = Client();

        var assets = await ReadAllAsync(client, PsaEntity.Configurations);
        var clients = await ReadAllAsync(client, PsaEntity.Companies);
        var priorities = (await ReadAllAsync(client, PsaEntity.Priorities)).Cast<PsaPriority>().ToList();

        Assert.Equal(await client.CountAsync(PsaEntity.Configurations, null, Ct), assets.Count);
        Assert.Equal(assets.Count, assets.Select(a => a.Id).Distinct().Count());
        Assert.True(assets.Count > 7);
        Assert.Equal(await client.CountAsync(PsaEntity.Companies, null, Ct), clients.Count);
        Assert.All(priorities, p => Assert.NotNull(p.ScopeId));
    }

    [Fact]
    public async Task ReadCompanies_CarriesEachClientsSla_FromItsMainSite()
    {
        // Arrange: the seed puts every third client's main site on the Gold SLA; one Standard client is moved to Gold.
        var state = _server.Services.GetRequiredService<HaloSandboxState>();
        var ids = state.Ids(HaloSandboxState.Clients);
        var gold = state.SlaOfClient(ids[2]);
        state.SetClientSla(ids[0], gold);

        // Act
        var companies = (await ReadAllAsync(Client(), PsaEntity.Companies)).Cast<PsaCompany>().ToDictionary(c => c.Id);

        // Assert
        Assert.Equal(ids.Count, companies.Count);
        Assert.All(ids, id => Assert.Equal(state.SlaOfClient(id).ToString(System.Globalization.CultureInfo.InvariantCulture), companies[id.ToString(System.Globalization.CultureInfo.InvariantCulture)].PriorityScopeId));
        Assert.Equal(2, companies.Values.Select(c => c.PriorityScopeId).Distinct().Count());
        Assert.Equal(gold.ToString(System.Globalization.CultureInfo.InvariantCulture), companies[ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture)].PriorityScopeId);
    }

    [Fact]
    public async Task TicketAndNote_GoInAndComeBack_AndATimedOutCreateIsFoundByItsReference()
    {
        var client = Client();
        var company = (await ReadAllAsync(client, PsaEntity.Companies)).First().Id;
        var board = (await ReadAllAsync(client, PsaEntity.Boards)).Cast<PsaBoard>().First(b => !b.Inactive).Id;

        var created = await client.CreateTicketAsync(new PsaTicketCreate("Printer jams", "It jams.\nEvery morning.", board, null, null, company, "zd-9001"), Ct);
        var note = await client.CreateNoteAsync(created.Id, new PsaNoteCreate("Tried a reboot & it works", PsaNoteVisibility.Internal, null), Ct);
        var found = await client.FindTicketByExternalReferenceAsync("zd-9001", Ct);
        var conversation = await client.ReadConversationAsync(created.Id, Ct);

        Assert.Equal(created.Id, found?.Id);
        Assert.Equal("It jams.\nEvery morning.", conversation.Description?.Text);
        var read = Assert.Single(conversation.Notes, n => n.Id == note.Id);
        Assert.Equal(("Tried a reboot & it works", PsaNoteVisibility.Internal), (read.Text, read.Visibility));
    }

    [Fact]
    public async Task CreateTicketAsync_CarriesTheAssetInOneRequest_WhenTheCreateNamesOne()
    {
        var client = Client();
        var state = _server.Services.GetRequiredService<HaloSandboxState>();
        var asset = state.All(HaloSandboxState.Assets)[0];
        var (assetId, company) = (asset["id"]!.ToJsonString(), asset["client_id"]!.ToJsonString());
        var board = (await ReadAllAsync(client, PsaEntity.Boards)).Cast<PsaBoard>().First(b => !b.Inactive).Id;
        var before = state.Faults.RequestsReceived;

        var created = await client.CreateTicketAsync(new PsaTicketCreate("Printer jams", "It jams.", board, null, null, company, "zd-9002", assetId), Ct);

        Assert.Equal(1, state.Faults.RequestsReceived - before);
        Assert.Equal(assetId, created.ConfigurationId);
        var stored = new HaloPsaSandbox(state, new Uri(_server.BaseAddress, "sandbox/halo/")).FindTicket(created.Id);
        Assert.Equal([assetId], stored?.ConfigurationIds);
    }
}

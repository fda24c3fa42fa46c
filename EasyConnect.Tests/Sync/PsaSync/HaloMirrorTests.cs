using System.Globalization;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Halo;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Sandbox.Halo;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Sandbox.Halo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.PsaSync;

/// <summary>
/// The mirror of a HaloPSA connection: the Halo client over real HTTP to the Halo sandbox, into a real PostgreSQL. Halo pages by offset
/// (at most 100 rows a page), so the sandbox's assets span three pages and a change between two page reads really moves rows.
/// </summary>
public sealed class HaloMirrorTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int Assets = 250;
    private HaloSandboxHost _sandbox = default!;
    private ServiceProvider _clients = default!;
    private MirrorHarness _mirror = default!;
    private Guid _connection;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HaloSandboxState State => _sandbox.State;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await HaloSandboxHost.StartAsync(o =>
        {
            o.Assets = Assets;
            // More than a page of tickets too, so a ticket deleted during a full read moves the later ones.
            o.Tickets = 130;
            // The tests count requests, not Halo's rolling window (HaloSandboxAccessTests covers the 429).
            o.RateLimit = 1_000_000;
        });
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddEasyConnectHalo();
        services.Configure<HaloOptions>(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.TotalTimeout = TimeSpan.FromSeconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.MaxRetries = 2;
        });
        _clients = services.BuildServiceProvider();
        var database = await postgres.CreateDatabaseAsync("halomirror");
        _mirror = new MirrorHarness(database, new SandboxClients(this));
        _connection = await MirrorHarness.AddConnectionAsync(database, "halo|" + State.Options.ClientId, kind: PsaKind.Halo);
    }

    public async ValueTask DisposeAsync()
    {
        await _mirror.DisposeAsync();
        await _clients.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private sealed class SandboxClients(HaloMirrorTests test) : IPsaClientProvider
    {
        public Task<IPsaClient> GetClientAsync(Guid connectionId, CancellationToken cancellationToken) =>
            Task.FromResult(test._clients.GetRequiredService<HaloClientFactory>().Create(
                HaloCredentials.FromSettings(test._sandbox.Sandbox.ConnectionSettings), new HaloClientOptions("halo-mirror-" + connectionId)));
    }

    [Fact]
    public async Task FullRun_MirrorsEveryEntity_TeamsAsBoardsAndPrioritiesPerSla_AndDeletesWhatHaloNoLongerHas()
    {
        // Act
        var first = await _mirror.FullAsync(_connection);

        // Assert
        Assert.Equal(SyncRunStatus.Succeeded, first.Status);
        await using var db = _mirror.Db();
        Assert.Equal(Ids(HaloSandboxState.Agents, a => HaloSandboxState.Bool(a["isapiagent"]) != true), await PsaIds(db.PsaMembers));
        Assert.Equal(Ids(HaloSandboxState.Clients), await PsaIds(db.PsaCompanies));
        Assert.Equal(Ids(HaloSandboxState.Assets), await PsaIds(db.PsaConfigurations));
        Assert.Equal(Ids(HaloSandboxState.Tickets), await PsaIds(db.PsaTickets));
        Assert.Equal(Ids(HaloSandboxState.Statuses), await PsaIds(db.PsaStatuses));
        // A ticket names its team, so a board's id is the team's name; the inactive team is kept, marked inactive.
        var boards = await db.PsaBoards.Where(b => b.ConnectionId == _connection).ToDictionaryAsync(b => b.PsaId, b => b.Inactive, Ct);
        Assert.Equal(State.All(HaloSandboxState.Teams).Select(t => HaloSandboxState.Text(t["name"])!).Order(), boards.Keys.Order());
        Assert.True(boards["Old Helpdesk"]);
        Assert.All(await db.PsaTickets.Where(t => t.ConnectionId == _connection).ToListAsync(Ct), t => Assert.True(boards.ContainsKey(t.BoardId!)));
        // A priority is an SLA's own: its id names the SLA and the priority within it, its scope is the SLA.
        var priorities = await db.PsaPriorities.Where(p => p.ConnectionId == _connection).Select(p => new { p.PsaId, p.ScopeId }).ToListAsync(Ct);
        var policies = State.All(HaloSandboxState.Priorities)
            .Select(p => new { PsaId = $"{HaloSandboxState.Text(p["slaid"])}:{HaloSandboxState.Text(p["priorityid"])}", ScopeId = HaloSandboxState.Text(p["slaid"]) }).ToList();
        Assert.Equal(policies.OrderBy(p => p.PsaId), priorities.OrderBy(p => p.PsaId));
        Assert.Equal(2, priorities.Select(p => p.ScopeId).Distinct().Count());

        // Arrange: a ticket, an asset, a client without tickets or assets, and an agent are deleted in Halo.
        var ticket = State.Ids(HaloSandboxState.Tickets)[4];
        var asset = State.Ids(HaloSandboxState.Assets)[120];
        var client = State.AddClient("Short-lived Bakery");
        await _mirror.FullAsync(_connection, null, PsaEntity.Companies);
        var agent = State.Ids(HaloSandboxState.Agents)[^1];
        State.DeleteTicket(ticket);
        State.Delete(HaloSandboxState.Assets, asset);
        State.Delete(HaloSandboxState.Clients, client);
        State.Delete(HaloSandboxState.Agents, agent);

        // Act
        var second = await _mirror.FullAsync(_connection);

        // Assert
        Assert.Equal(SyncRunStatus.Succeeded, second.Status);
        Assert.Equal((1, 1, 1, 1), (second.For(PsaEntity.Tickets).Deleted, second.For(PsaEntity.Configurations).Deleted,
            second.For(PsaEntity.Companies).Deleted, second.For(PsaEntity.Members).Deleted));
        Assert.Equal(Ids(HaloSandboxState.Tickets), await PsaIds(db.PsaTickets));
        Assert.Equal(Ids(HaloSandboxState.Assets), await PsaIds(db.PsaConfigurations));
        Assert.Equal(Ids(HaloSandboxState.Clients), await PsaIds(db.PsaCompanies));
        Assert.DoesNotContain(Id(agent), await PsaIds(db.PsaMembers));
    }

    [Fact]
    public async Task FullRun_HoldsBackTheDeletion_WhenMostAssetsAreGone_UntilAnAdminConfirmsIt()
    {
        // Arrange
        await _mirror.FullAsync(_connection);
        foreach (var id in State.Ids(HaloSandboxState.Assets).Take(200))
        {
            State.Delete(HaloSandboxState.Assets, id);
        }

        // Act
        var held = await _mirror.FullAsync(_connection);

        // Assert
        Assert.Equal(SyncRunStatus.NeedsConfirmation, held.Status);
        Assert.Equal((0, 200), (held.For(PsaEntity.Configurations).Deleted, held.For(PsaEntity.Configurations).WouldDelete));
        await using var db = _mirror.Db();
        Assert.Equal(Assets, await db.PsaConfigurations.CountAsync(c => c.ConnectionId == _connection, Ct));

        var confirmed = await _mirror.FullAsync(_connection, held.RunId);
        Assert.Equal(SyncRunStatus.Succeeded, confirmed.Status);
        Assert.Equal(200, confirmed.For(PsaEntity.Configurations).Deleted);
        Assert.Equal(Ids(HaloSandboxState.Assets), await PsaIds(db.PsaConfigurations));
    }

    [Fact]
    public async Task IncrementalRun_WritesOnlyWhatChangedPerWatermark_AndRereadsTheWholeLists()
    {
        // Arrange
        await _mirror.FullAsync(_connection);
        var client = State.Ids(HaloSandboxState.Clients)[3];
        var asset = State.Ids(HaloSandboxState.Assets)[205];
        var ticket = State.Ids(HaloSandboxState.Tickets)[1];
        State.Change(HaloSandboxState.Clients, client, c => c["name"] = "Renamed Dental");
        State.Change(HaloSandboxState.Assets, asset, a => a["key_field"] = "RENAMED-SERVER");
        State.UpdateTicketAs(_sandbox.Sandbox.TechnicianId, ticket, new JsonObject { ["summary"] = "Printer on fire" });
        var hired = State.AddAgent("Nora", "Lind", "nora.lind@msp.example");
        State.Faults.ResetRequests();

        // Act
        var run = await _mirror.IncrementalAsync(_connection);

        // Assert
        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        // Halo's lastupdatefromdate includes its bound, so the row at the cursor comes again, and is not written again.
        Assert.All(new[] { PsaEntity.Companies, PsaEntity.Configurations, PsaEntity.Tickets }, e =>
        {
            Assert.Equal((e, 1), (e, run.For(e).Upserted));
            Assert.InRange(run.For(e).Read, 1, 2);
        });
        // Agents, teams, statuses and priorities carry no usable stamp: read whole, only the new agent is written.
        Assert.Equal((State.Ids(HaloSandboxState.Agents).Count - 1, 1), (run.For(PsaEntity.Members).Read, run.For(PsaEntity.Members).Upserted));
        Assert.All(new[] { PsaEntity.Boards, PsaEntity.Statuses, PsaEntity.Priorities }, e => Assert.Equal((e, 0, 0), (e, run.For(e).Upserted, run.For(e).Deleted)));
        var reads = ApiReads();
        Assert.Single(reads, p => p.StartsWith("/api/Client?", StringComparison.Ordinal));
        Assert.Single(reads, p => p.StartsWith("/api/Asset?", StringComparison.Ordinal));
        Assert.Single(reads, p => p.StartsWith("/api/Tickets?", StringComparison.Ordinal));
        await using var db = _mirror.Db();
        Assert.Equal("Printer on fire", (await db.PsaTickets.SingleAsync(t => t.ConnectionId == _connection && t.PsaId == Id(ticket), Ct)).Summary);
        Assert.Equal("Renamed Dental", (await db.PsaCompanies.SingleAsync(c => c.ConnectionId == _connection && c.PsaId == Id(client), Ct)).Name);
        Assert.Contains("RENAMED-SERVER", (await db.PsaConfigurations.SingleAsync(c => c.ConnectionId == _connection && c.PsaId == Id(asset), Ct)).Raw, StringComparison.Ordinal);
        Assert.True(await db.PsaMembers.AnyAsync(m => m.ConnectionId == _connection && m.PsaId == Id(hired), Ct));
    }

    [Fact]
    public async Task IncrementalRun_WritesNothingAndReadsOnePagePerEntity_WhenNothingChangedInHalo()
    {
        // Arrange
        await _mirror.FullAsync(_connection);
        await _mirror.IncrementalAsync(_connection);
        State.Faults.ResetRequests();

        // Act
        var quiet = await _mirror.IncrementalAsync(_connection);

        // Assert
        Assert.Equal(SyncRunStatus.Succeeded, quiet.Status);
        Assert.All(quiet.Entities, e => Assert.Equal((e.Entity, 0, 0, 0), (e.Entity, e.Upserted, e.Deleted, e.WouldDelete)));
        Assert.Equal(7, quiet.Entities.Count);
        var reads = ApiReads();
        Assert.True(reads.Count <= quiet.Entities.Count, $"{reads.Count} requests for {quiet.Entities.Count} entities: {string.Join(", ", reads)}");
    }

    [Fact]
    public async Task FullRun_MissesNoAssetAndDeletesNoneThatExists_WhenAssetsAreDeletedCreatedAndChangedBetweenPageReads()
    {
        // Arrange: a first full run, then, during the next one, right after Halo answered the first ascending page of assets, a
        // technician deletes an asset of that page, adds one and renames one further on.
        await _mirror.FullAsync(_connection);
        var before = State.Ids(HaloSandboxState.Assets);
        var pages = new List<HaloSandboxPage>();
        long? added = null;
        State.AfterPage = page =>
        {
            if (page.Kind != HaloSandboxState.Assets)
            {
                return;
            }

            lock (pages)
            {
                pages.Add(page);
                if (added is null && page is { PageNo: 1, Descending: false, PageSize: 100 })
                {
                    State.Delete(HaloSandboxState.Assets, before[5]);
                    added = State.AddAsset("NEW-DURING-READ", State.Ids(HaloSandboxState.Clients)[0], "CL-009999");
                    State.Change(HaloSandboxState.Assets, before[180], a => a["key_field"] = "RENAMED-DURING-READ");
                }
            }
        };

        // Act
        var run = await _mirror.FullAsync(_connection, null, PsaEntity.Configurations);

        // Assert: the pages really shifted: the first pass's ascending pages never listed the asset that moved up onto page 1.
        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        var firstPass = pages.SkipWhile(p => p.Descending || p.PageSize != 100).TakeWhile(p => !p.Descending).SelectMany(p => p.Ids).ToHashSet();
        Assert.DoesNotContain(before[100], firstPass);
        Assert.NotNull(State.Find(HaloSandboxState.Assets, before[100]));
        // The mirror holds every asset Halo has (the new one too), and deleted none that exists.
        await using var db = _mirror.Db();
        var mirrored = await PsaIds(db.PsaConfigurations);
        Assert.Empty(Ids(HaloSandboxState.Assets).Except(mirrored));
        Assert.Empty(mirrored.Except(Ids(HaloSandboxState.Assets)).Except([Id(before[5])]));
        Assert.Contains(Id(added!.Value), mirrored);
        Assert.Contains("RENAMED-DURING-READ", (await db.PsaConfigurations.SingleAsync(c => c.ConnectionId == _connection && c.PsaId == Id(before[180]), Ct)).Raw, StringComparison.Ordinal);

        // The asset deleted during the read goes at the next full run.
        State.AfterPage = null;
        var next = await _mirror.FullAsync(_connection, null, PsaEntity.Configurations);
        Assert.Equal(1, next.For(PsaEntity.Configurations).Deleted);
        Assert.Equal(Ids(HaloSandboxState.Assets), await PsaIds(db.PsaConfigurations));
    }

    [Fact]
    public async Task FullRun_MissesNoTicketAndDeletesNoneThatExists_WhenATicketIsDeletedAndOneLoggedBetweenPageReads()
    {
        // Arrange: during the second full run, right after the first ascending page of tickets, a technician deletes a ticket of
        // that page (Halo keeps it, marked deleted, out of the list), a new ticket is logged and another renamed.
        await _mirror.FullAsync(_connection);
        var before = State.Ids(HaloSandboxState.Tickets);
        var pages = new List<HaloSandboxPage>();
        long? added = null;
        State.AfterPage = page =>
        {
            if (page.Kind != HaloSandboxState.Tickets)
            {
                return;
            }

            lock (pages)
            {
                pages.Add(page);
                if (added is null && page is { PageNo: 1, Descending: false, PageSize: 100 })
                {
                    State.DeleteTicket(before[10]);
                    added = HaloSandboxState.Long(State.UpsertTicket(
                        new JsonObject { ["summary"] = "Logged during the read", ["client_id"] = State.Ids(HaloSandboxState.Clients)[0] }, State.ApiAgentId)["id"]);
                    State.UpdateTicketAs(_sandbox.Sandbox.TechnicianId, before[120], new JsonObject { ["summary"] = "Renamed during the read" });
                }
            }
        };

        // Act
        var run = await _mirror.FullAsync(_connection, null, PsaEntity.Tickets);

        // Assert: the ticket after the first page moved up onto it unseen, and the mirror still has it and every other live ticket.
        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        var firstPass = pages.SkipWhile(p => p.Descending || p.PageSize != 100).TakeWhile(p => !p.Descending).SelectMany(p => p.Ids).ToHashSet();
        Assert.DoesNotContain(before[100], firstPass);
        await using var db = _mirror.Db();
        var mirrored = await PsaIds(db.PsaTickets);
        Assert.Empty(Ids(HaloSandboxState.Tickets).Except(mirrored));
        Assert.Empty(mirrored.Except(Ids(HaloSandboxState.Tickets)).Except([Id(before[10])]));
        Assert.Contains(Id(added!.Value), mirrored);
        Assert.Equal("Renamed during the read", (await db.PsaTickets.SingleAsync(t => t.ConnectionId == _connection && t.PsaId == Id(before[120]), Ct)).Summary);
    }

    [Fact]
    public async Task FullRun_FailsAndDeletesNothing_WhenAssetsKeepMovingBetweenPageReadsInBothPasses()
    {
        // Arrange: every ascending first page of assets is followed by a deletion on it, so no pass settles.
        await _mirror.FullAsync(_connection);
        State.AfterPage = page =>
        {
            if (page is { Kind: HaloSandboxState.Assets, PageNo: 1, Descending: false, PageSize: 100 })
            {
                State.Delete(HaloSandboxState.Assets, page.Ids[0]);
            }
        };

        // Act
        var run = await _mirror.FullAsync(_connection, null, PsaEntity.Configurations);

        // Assert: two assets are really gone, yet nothing is deleted: a read that could not settle never sweeps.
        Assert.Equal(SyncRunStatus.Failed, run.Status);
        Assert.Contains("changed while EasyConnect read them", run.For(PsaEntity.Configurations).Error, StringComparison.Ordinal);
        Assert.Equal(0, run.For(PsaEntity.Configurations).Deleted);
        Assert.Equal(Assets - 2, State.Ids(HaloSandboxState.Assets).Count);
        await using var db = _mirror.Db();
        Assert.Equal(Assets, await db.PsaConfigurations.CountAsync(c => c.ConnectionId == _connection, Ct));
    }

    private List<string> ApiReads() =>
        [.. State.Faults.Requests.Where(r => r.Method == "GET" && r.Path.Contains("/api/", StringComparison.Ordinal))
            .Select(r => r.Path[r.Path.IndexOf("/api/", StringComparison.Ordinal)..])];

    private List<string> Ids(string kind, Func<JsonObject, bool>? where = null) =>
        [.. State.All(kind, t => HaloSandboxState.Bool(t["deleted"]) != true && (where is null || where(t))).Select(r => HaloSandboxState.Text(r["id"])!).Order(StringComparer.Ordinal)];

    private async Task<List<string>> PsaIds<T>(DbSet<T> rows) where T : MirroredRow =>
        [.. (await rows.Where(r => r.ConnectionId == _connection).Select(r => r.PsaId).ToListAsync(Ct)).Order(StringComparer.Ordinal)];

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}

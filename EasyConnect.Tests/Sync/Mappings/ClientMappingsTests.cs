using EasyConnect.Sync.Mappings;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Tickets;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.Mappings;

/// <summary>Client mapping against both sandboxes over real HTTP and a real PostgreSQL: what the page lists, and what a manual choice does to the ticket sync.</summary>
public sealed class ClientMappingsTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task SetOverrideAsync_RefusesWithPlainMessageAndSavesNothing_WhenClusterIdIsLongerThanItsColumn()
    {
        var error = await _h.ClientMappings.SetOverrideAsync(_h.ConnectionId, new string('x', 5_000), "9", "tech@msp.example", Ct);

        Assert.Equal("The ClusterID can be at most 200 characters.", error);
        await using var db = _h.Db();
        Assert.Equal(0, await db.ClientMappingOverrides.CountAsync(Ct));
    }

    [Fact]
    public async Task SetOverrideAsync_ReleasesTheHeldTicketOnTheNextRun_WhenItsClusterIdMatchedNothing()
    {
        var ticket = _h.Portal.State.AddTicket("New firewall", "Please set it up.", clusterId: "CL-UNKNOWN");
        await _h.RunAsync();
        Assert.Equal(HoldKind.UnknownClusterId, (await _h.LinkAsync(ticket.Id)).HeldKind);

        var error = await _h.ClientMappings.SetOverrideAsync(_h.ConnectionId, "CL-UNKNOWN", "9", "tech@msp.example", Ct);
        var result = await _h.RunAsync();

        Assert.Null(error);
        Assert.Equal(1, result.Counts.Created);
        var psa = _h.PsaTicketOf(ticket.Id);
        Assert.Equal("9", psa.CompanyId);
        Assert.Equal(["9"], psa.ConfigurationIds);
        var link = await _h.LinkAsync(ticket.Id);
        Assert.Null(link.HeldReason);
        Assert.Single(await _h.LedgerAsync(link.Id), e => e.Result == LedgerResult.Released);
        await using var db = _h.Db();
        var audit = Assert.Single(await db.AuditEntries.Where(a => a.Action == "Client mapping set").ToListAsync(Ct));
        Assert.Equal("tech@msp.example", audit.Actor);
        Assert.Contains("CL-UNKNOWN", audit.Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetOverrideAsync_WinsOverTheMatchByField_ForANewTicket()
    {
        await _h.ClientMappings.SetOverrideAsync(_h.ConnectionId, "CL-000007", "9", "tech@msp.example", Ct);
        var ticket = _h.Portal.State.AddTicket("Printer", "Out of toner.", clusterId: "CL-000007");

        await _h.RunAsync();

        var psa = _h.PsaTicketOf(ticket.Id);
        Assert.Equal("9", psa.CompanyId);
        Assert.Equal(["9"], psa.ConfigurationIds);
    }

    [Fact]
    public async Task ListAsync_ShowsTheMatchedConfigurationAndTheHeldTicketsOfAnUnmatchedClusterId()
    {
        _h.Portal.State.AddTicket("Printer", "Out of toner.", clusterId: "CL-000007");
        var held = _h.Portal.State.AddTicket("New firewall", "Please set it up.", clusterId: "CL-UNKNOWN");
        await _h.RunAsync();

        var (all, total) = await _h.ClientMappings.ListAsync(_h.ConnectionId, unmatchedOnly: false, search: null, 0, 25, Ct);
        var (unmatched, _) = await _h.ClientMappings.ListAsync(_h.ConnectionId, unmatchedOnly: true, search: null, 0, 25, Ct);

        Assert.Equal(2, total);
        Assert.Equal("CL-UNKNOWN", all[0].ClusterId);
        Assert.Equal(1, all[0].HeldCount);
        var heldRef = Assert.Single(all[0].Held);
        Assert.Equal((await _h.LinkAsync(held.Id)).Id, heldRef.LinkId);
        Assert.Null(all[0].ConfigurationId);
        var ok = all[1];
        Assert.Equal(("CL-000007", "7", 0), (ok.ClusterId, ok.ConfigurationId, ok.HeldCount));
        await using var db = _h.Db();
        var company = await db.PsaCompanies.Where(c => c.ConnectionId == _h.ConnectionId && c.PsaId == "7").Select(c => c.Name).SingleAsync(Ct);
        Assert.Equal(company, ok.CompanyName);
        Assert.Equal("CL-UNKNOWN", Assert.Single(unmatched).ClusterId);
    }

    [Fact]
    public async Task SetOverrideAsync_Refuses_WhenTheConfigurationIsNotInTheMirror()
    {
        var error = await _h.ClientMappings.SetOverrideAsync(_h.ConnectionId, "CL-UNKNOWN", "999999", "tech@msp.example", Ct);

        Assert.NotNull(error);
        Assert.Null(await _h.ClientMappings.OverrideOfAsync(_h.ConnectionId, "CL-UNKNOWN", Ct));
    }

    [Fact]
    public async Task RemoveOverrideAsync_HoldsTheClusterIdAgainForNewTickets_AndIsAudited()
    {
        await _h.ClientMappings.SetOverrideAsync(_h.ConnectionId, "CL-UNKNOWN", "9", "tech@msp.example", Ct);

        Assert.True(await _h.ClientMappings.RemoveOverrideAsync(_h.ConnectionId, "CL-UNKNOWN", "admin@msp.example", Ct));
        var ticket = _h.Portal.State.AddTicket("Another", "Text.", clusterId: "CL-UNKNOWN");
        await _h.RunAsync();

        Assert.Equal(HoldKind.UnknownClusterId, (await _h.LinkAsync(ticket.Id)).HeldKind);
        await using var db = _h.Db();
        Assert.Single(await db.AuditEntries.Where(a => a.Action == "Client mapping removed" && a.Actor == "admin@msp.example").ToListAsync(Ct));
    }

    [Fact]
    public async Task ClientMappingData_DeletesOnlyThatConnectionsChoices_WhenItsDataIsCleanedUp()
    {
        await _h.ClientMappings.SetOverrideAsync(_h.ConnectionId, "CL-UNKNOWN", "9", "tech@msp.example", Ct);
        var other = Guid.NewGuid();
        await using (var db = _h.Db())
        {
            db.ClientMappingOverrides.Add(new ClientMappingOverride { ConnectionId = other, ClusterId = "CL-UNKNOWN", ConfigurationPsaId = "9", MappedAt = DateTimeOffset.UtcNow, MappedBy = "tests" });
            await db.SaveChangesAsync(Ct);
        }

        var owner = new ClientMappingData(new DbFactory(_h));
        Assert.Equal(1, await owner.CountAsync(_h.ConnectionId, Ct));
        Assert.Equal(1, await owner.DeleteBatchAsync(_h.ConnectionId, 100, Ct));

        Assert.Equal(0, await owner.CountAsync(_h.ConnectionId, Ct));
        Assert.Equal(1, await owner.CountAsync(other, Ct));
        Assert.Null(await _h.ClientMappings.OverrideOfAsync(_h.ConnectionId, "CL-UNKNOWN", Ct));
    }

    private sealed class DbFactory(TicketHarness harness) : IDbContextFactory<EasyConnect.Sync.Persistence.EasyConnectDbContext>
    {
        public EasyConnect.Sync.Persistence.EasyConnectDbContext CreateDbContext() => harness.Db();
    }
}

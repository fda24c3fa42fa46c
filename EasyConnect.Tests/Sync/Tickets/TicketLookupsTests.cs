using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>How a ClusterID finds its configuration and company when some of the matching configurations are inactive.</summary>
public sealed class TicketLookupsTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_HoldsTheTicketAndSaysWhy_WhenOnlyAnInactiveConfigurationMatches()
    {
        // Arrange
        await MarkInactiveAsync("7");
        var ticket = _h.Portal.State.AddTicket("Printer", "Out of toner.", clusterId: "CL-000007");

        // Act
        await _h.RunAsync();

        // Assert
        var link = await _h.LinkAsync(ticket.Id);
        Assert.Equal(HoldKind.UnknownClusterId, link.HeldKind);
        Assert.Contains("only the inactive ConnectWise configuration", link.HeldReason, StringComparison.Ordinal);
        Assert.Contains("Client mapping page", link.HeldReason, StringComparison.Ordinal);
        Assert.Null(link.PsaTicketId);
        Assert.Contains(await _h.LedgerAsync(link.Id), e => e.Detail.Contains("inactive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_UsesTheInactiveConfiguration_OnceItIsConfirmedOnTheClientMappingPage()
    {
        // Arrange
        await MarkInactiveAsync("7");
        var ticket = _h.Portal.State.AddTicket("Printer", "Out of toner.", clusterId: "CL-000007");
        await _h.RunAsync();

        // Act
        Assert.Null(await _h.ClientMappings.SetOverrideAsync(_h.ConnectionId, "CL-000007", "7", "tech@msp.example", Ct));
        await _h.RunAsync();

        // Assert
        var psa = _h.PsaTicketOf(ticket.Id);
        Assert.Equal([7], psa.ConfigurationIds);
        Assert.Null((await _h.LinkAsync(ticket.Id)).HeldReason);
    }

    [Fact]
    public async Task RunAsync_PrefersTheActiveConfiguration_WhenAnActiveAndAnInactiveShareTheClusterId()
    {
        // Arrange: the device moved to another company; its old configuration was made inactive.
        var company = _h.Psa.State.AddCompany("New Owner Ltd");
        var replacement = _h.Psa.State.AddConfiguration("Printer (new owner)", company, "CL-000007");
        await _h.MirrorAsync();
        await MarkInactiveAsync("7");
        var ticket = _h.Portal.State.AddTicket("Printer", "Out of toner.", clusterId: "CL-000007");

        // Act
        await _h.RunAsync();

        // Assert
        var psa = _h.PsaTicketOf(ticket.Id);
        Assert.Equal(company, psa.CompanyId);
        Assert.Equal([replacement], psa.ConfigurationIds);
    }

    private async Task MarkInactiveAsync(string configurationId)
    {
        await using var db = _h.Db();
        var changed = await db.PsaConfigurations.Where(c => c.ConnectionId == _h.ConnectionId && c.PsaId == configurationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Active, false), Ct);
        Assert.Equal(1, changed);
    }
}

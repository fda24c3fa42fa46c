using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>How a ClusterID finds its configuration and company when some of the matching configurations are inactive.</summary>
public abstract class TicketLookupsSuite(PostgresServer postgres, TicketSuitePsa psa) : TicketSuite(postgres, psa)
{
    [Fact]
    public async Task RunAsync_HoldsTheTicketAndSaysWhy_WhenOnlyAnInactiveConfigurationMatches()
    {
        // Arrange
        await MarkInactiveAsync(H.ConfigurationOf("CL-000007"));
        var ticket = Portal.AddTicket("Printer", "Out of toner.", clusterId: "CL-000007");

        // Act
        await H.RunAsync();

        // Assert
        var link = await H.LinkAsync(ticket.Id);
        Assert.Equal(HoldKind.UnknownClusterId, link.HeldKind);
        Assert.Contains($"only the inactive {Psa.ProductName} {ConfigurationNoun}", link.HeldReason, StringComparison.Ordinal);
        Assert.Contains("Client mapping page", link.HeldReason, StringComparison.Ordinal);
        Assert.Null(link.PsaTicketId);
        Assert.Contains(await H.LedgerAsync(link.Id), e => e.Detail.Contains("inactive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_UsesTheInactiveConfiguration_OnceItIsConfirmedOnTheClientMappingPage()
    {
        // Arrange
        var configuration = H.ConfigurationOf("CL-000007");
        await MarkInactiveAsync(configuration);
        var ticket = Portal.AddTicket("Printer", "Out of toner.", clusterId: "CL-000007");
        await H.RunAsync();

        // Act
        Assert.Null(await H.ClientMappings.SetOverrideAsync(H.ConnectionId, "CL-000007", configuration, "tech@msp.example", Ct));
        await H.RunAsync();

        // Assert
        var psa = H.PsaTicketOf(ticket.Id);
        Assert.Equal([configuration], psa.ConfigurationIds);
        Assert.Null((await H.LinkAsync(ticket.Id)).HeldReason);
    }

    [Fact]
    public async Task RunAsync_PrefersTheActiveConfiguration_WhenAnActiveAndAnInactiveShareTheClusterId()
    {
        // Arrange: the device moved to another company; its old configuration was made inactive.
        var old = H.ConfigurationOf("CL-000007");
        var company = Psa.AddCompany("New Owner Ltd");
        var replacement = Psa.AddConfiguration("Printer (new owner)", company, "CL-000007");
        await H.MirrorAsync();
        await MarkInactiveAsync(old);
        var ticket = Portal.AddTicket("Printer", "Out of toner.", clusterId: "CL-000007");

        // Act
        await H.RunAsync();

        // Assert
        var psa = H.PsaTicketOf(ticket.Id);
        Assert.Equal(company, psa.CompanyId);
        Assert.Equal([replacement], psa.ConfigurationIds);
    }

    private async Task MarkInactiveAsync(string configurationId)
    {
        await using var db = H.Db();
        var changed = await db.PsaConfigurations.Where(c => c.ConnectionId == H.ConnectionId && c.PsaId == configurationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Active, false), Ct);
        Assert.Equal(1, changed);
    }
}

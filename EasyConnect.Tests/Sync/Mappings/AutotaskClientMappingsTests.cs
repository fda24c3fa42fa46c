using EasyConnect.Sync.Sandbox.Autotask;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Tickets;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.Mappings;

/// <summary>
/// Client mapping for an Autotask connection, over the Autotask sandbox and the real Autotask client on loopback and a real PostgreSQL:
/// a ClusterID reaches a configuration item and its company through the reference title, the serial number or a user-defined field.
/// </summary>
public sealed class AutotaskClientMappingsTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AutotaskSandboxState Autotask => ((AutotaskPsaSandbox)_h.Psa).State;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres, psaKind: TicketSuitePsa.Autotask);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ListAsync_ShowsTheConfigurationItemAndCompanyOfAClusterId_AndListsAnUnknownOneAsUnmatched()
    {
        // Arrange
        _h.Portal.State.AddTicket("Printer", "Out of toner.", clusterId: "CL-000007");
        var held = _h.Portal.State.AddTicket("New firewall", "Please set it up.", clusterId: "CL-UNKNOWN");
        await _h.RunAsync();

        // Act
        var (all, total) = await _h.ClientMappings.ListAsync(_h.ConnectionId, unmatchedOnly: false, search: null, 0, 25, Ct);
        var (unmatched, _) = await _h.ClientMappings.ListAsync(_h.ConnectionId, unmatchedOnly: true, search: null, 0, 25, Ct);

        // Assert
        Assert.Equal(2, total);
        var unknown = all[0];
        Assert.Equal(("CL-UNKNOWN", 1), (unknown.ClusterId, unknown.HeldCount));
        Assert.Null(unknown.ConfigurationId);
        Assert.Equal((await _h.LinkAsync(held.Id)).Id, Assert.Single(unknown.Held).LinkId);
        Assert.Contains("matches no Autotask configuration item", (await _h.LinkAsync(held.Id)).HeldReason, StringComparison.Ordinal);
        var known = all[1];
        Assert.Equal(("CL-000007", _h.ConfigurationOf("CL-000007"), "Device-0007", 0), (known.ClusterId, known.ConfigurationId, known.ConfigurationName, known.HeldCount));
        Assert.Equal(await CompanyNameAsync(_h.CompanyOf("CL-000007")), known.CompanyName);
        Assert.Equal("CL-UNKNOWN", Assert.Single(unmatched).ClusterId);
    }

    [Fact]
    public async Task RunAsync_MatchesTheReferenceTitle_ButNotTheSerialNumberAnUntitledItemIsShownBy()
    {
        // Arrange: an item without a reference title, which Autotask (and the mirror) shows by its serial number.
        var company = Autotask.Ids(AutotaskSandboxState.Companies)[3];
        var untitled = Autotask.AddConfigurationItem(null, company, "CL-X1", serialNumber: "SRV-1001");
        await _h.MirrorAsync();
        await _h.ConfirmSettingsAsync(s => s.ClusterIdMatch = ClusterIdMatch.Name);
        var byTitle = _h.Portal.State.AddTicket("Server down", "It is down.", clusterId: "Device-0007");
        var bySerial = _h.Portal.State.AddTicket("Server slow", "It is slow.", clusterId: "SRV-1001");

        // Act
        await _h.RunAsync();
        var heldBySerial = await _h.LinkAsync(bySerial.Id);
        await _h.ConfirmSettingsAsync(s => s.ClusterIdMatch = ClusterIdMatch.SerialNumber);
        await _h.RunAsync();

        // Assert
        var titled = _h.PsaTicketOf(byTitle.Id);
        Assert.Equal(_h.CompanyOf("CL-000007"), titled.CompanyId);
        Assert.Equal([_h.ConfigurationOf("CL-000007")], titled.ConfigurationIds);
        Assert.Equal(HoldKind.UnknownClusterId, heldBySerial.HeldKind);
        Assert.Contains("compared with the configuration item's reference title", heldBySerial.HeldReason, StringComparison.Ordinal);
        var serial = _h.PsaTicketOf(bySerial.Id);
        Assert.Equal(Text(company), serial.CompanyId);
        Assert.Equal([Text(untitled)], serial.ConfigurationIds);
    }

    [Fact]
    public async Task RunAsync_MatchesAUserDefinedFieldNamedInAdvancedSettings()
    {
        // Arrange
        var company = Autotask.Ids(AutotaskSandboxState.Companies)[5];
        var item = Autotask.AddConfigurationItem("Core switch", company, "CL-X2", userDefinedFields: new Dictionary<string, string> { ["Asset Tag"] = "AT-777" });
        await _h.MirrorAsync();
        await _h.ConfirmSettingsAsync(s => (s.ClusterIdMatch, s.ClusterIdCustomField) = (ClusterIdMatch.CustomField, "Asset Tag"));
        var ticket = _h.Portal.State.AddTicket("Switch loops", "Ports flapping.", clusterId: "AT-777");

        // Act
        await _h.RunAsync();

        // Assert
        var psa = _h.PsaTicketOf(ticket.Id);
        Assert.Equal(Text(company), psa.CompanyId);
        Assert.Equal([Text(item)], psa.ConfigurationIds);
    }

    private static string Text(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> CompanyNameAsync(string companyId)
    {
        await using var db = _h.Db();
        return await db.PsaCompanies.Where(c => c.ConnectionId == _h.ConnectionId && c.PsaId == companyId).Select(c => c.Name).SingleAsync(Ct);
    }
}

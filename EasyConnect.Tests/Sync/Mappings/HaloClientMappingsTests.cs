using System.Globalization;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Sandbox.Halo;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Tickets;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.Mappings;

/// <summary>
/// Client mapping for a HaloPSA connection, over the Halo sandbox and the real Halo client on loopback and a real PostgreSQL: a ClusterID
/// reaches an asset and its client through the asset's inventory number, its key field or a custom field named by its name or label.
/// </summary>
public sealed class HaloClientMappingsTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HaloSandboxState Halo => ((HaloPsaSandbox)_h.Psa).State;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres, psaKind: TicketSuitePsa.Halo);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public void ClusterIdFields_AreTheAssetsInventoryNumberKeyFieldAndCustomField_WithoutATagNumber()
    {
        var fields = PsaProducts.Get(PsaKind.Halo).ClusterIdFields;

        Assert.Equal(("inventory number", "key field", null, "custom field"), (fields.Name, fields.SerialNumber, fields.TagNumber, fields.CustomField));
    }

    [Fact]
    public async Task ListAsync_ShowsTheAssetAndClientOfAClusterId_AndListsAnUnknownOneAsUnmatched()
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
        var link = await _h.LinkAsync(held.Id);
        Assert.Equal(link.Id, Assert.Single(unknown.Held).LinkId);
        Assert.Contains("matches no HaloPSA asset (compared with the asset's custom field", link.HeldReason, StringComparison.Ordinal);
        var known = all[1];
        Assert.Equal(("CL-000007", _h.ConfigurationOf("CL-000007"), "INV00007", 0), (known.ClusterId, known.ConfigurationId, known.ConfigurationName, known.HeldCount));
        Assert.Equal(await ClientNameAsync(_h.CompanyOf("CL-000007")), known.CompanyName);
        Assert.Equal("CL-UNKNOWN", Assert.Single(unmatched).ClusterId);
    }

    [Fact]
    public async Task RunAsync_MatchesTheInventoryNumber_ButNotTheKeyFieldAnAssetWithoutOneIsShownBy()
    {
        // Arrange: an asset without an inventory number, which Halo (and the mirror) shows by its key field.
        var client = Halo.Ids(HaloSandboxState.Clients)[3];
        var bare = Halo.AddAsset("SRV-1001", client, "CL-X1", inventoryNumber: "");
        await _h.MirrorAsync();
        await _h.ConfirmSettingsAsync(s => s.ClusterIdMatch = ClusterIdMatch.Name);
        var byInventory = _h.Portal.State.AddTicket("Server down", "It is down.", clusterId: "INV00007");
        var byKey = _h.Portal.State.AddTicket("Server slow", "It is slow.", clusterId: "SRV-1001");

        // Act
        await _h.RunAsync();
        var heldByKey = await _h.LinkAsync(byKey.Id);
        await _h.ConfirmSettingsAsync(s => s.ClusterIdMatch = ClusterIdMatch.SerialNumber);
        await _h.RunAsync();

        // Assert
        var inventoried = _h.PsaTicketOf(byInventory.Id);
        Assert.Equal(_h.CompanyOf("CL-000007"), inventoried.CompanyId);
        Assert.Equal([_h.ConfigurationOf("CL-000007")], inventoried.ConfigurationIds);
        Assert.Equal(HoldKind.UnknownClusterId, heldByKey.HeldKind);
        Assert.Contains("compared with the asset's inventory number", heldByKey.HeldReason, StringComparison.Ordinal);
        var keyed = _h.PsaTicketOf(byKey.Id);
        Assert.Equal(Text(client), keyed.CompanyId);
        Assert.Equal([Text(bare)], keyed.ConfigurationIds);
    }

    [Theory]
    [InlineData(HaloSandboxState.ClusterIdFieldLabel)]
    [InlineData(HaloSandboxState.ClusterIdFieldName)]
    public async Task RunAsync_MatchesTheCustomFieldNamedInAdvancedSettings_ByItsLabelOrItsName(string field)
    {
        // Arrange
        var client = Halo.Ids(HaloSandboxState.Clients)[5];
        var asset = Halo.AddAsset("CORE-SWITCH", client, "CL-X2");
        await _h.MirrorAsync();
        await _h.ConfirmSettingsAsync(s => (s.ClusterIdMatch, s.ClusterIdCustomField) = (ClusterIdMatch.CustomField, field));
        var ticket = _h.Portal.State.AddTicket("Switch loops", "Ports flapping.", clusterId: "CL-X2");

        // Act
        await _h.RunAsync();

        // Assert
        var psa = _h.PsaTicketOf(ticket.Id);
        Assert.Equal(Text(client), psa.CompanyId);
        Assert.Equal([Text(asset)], psa.ConfigurationIds);
    }

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    private async Task<string> ClientNameAsync(string companyId)
    {
        await using var db = _h.Db();
        return await db.PsaCompanies.Where(c => c.ConnectionId == _h.ConnectionId && c.PsaId == companyId).Select(c => c.Name).SingleAsync(Ct);
    }
}

using System.Globalization;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Mappings;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Mappings;

/// <summary>
/// The user mapping of a HaloPSA connection, end to end: agents come from the Halo sandbox through the first full sync of a connection
/// made with "Use the sandbox", and an EasyConnect user is matched on the agent's email, for auto-map and for a manual choice.
/// </summary>
public sealed class HaloUserMappingTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;
    private PsaConnection _connection = default!;
    private long _agent;
    private long _disabledTwin;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private UserMappings Mappings => _app.Services.GetRequiredService<UserMappings>();

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres, HaloSandboxDraft.Settings);
        var halo = HaloSandboxDraft.State(_app);
        // The technician signs in to EasyConnect with the address Halo has in another case.
        _agent = halo.AddAgent("Nora", "Field", "Nora.Field@MSP.example");
        // A former colleague's agent, disabled, that still carries the same address.
        _disabledTwin = halo.AddAgent("Nora", "Field (old)", "nora.field@msp.example");
        halo.SetAgentDisabled(_disabledTwin, disabled: true);
        await _app.CreateUserAsync("nora.field@msp.example", Roles.Technician);
        var connected = await _app.Services.GetRequiredService<PsaConnections>().ConnectAsync(HaloSandboxDraft.For(_app), TestUsers.Admin, Ct);
        Assert.True(connected.Succeeded, connected.Error);
        _connection = connected.Connection!;
        await _app.WaitForFullSyncAsync(_connection.Id);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void ColumnTitle_SaysHaloUserMapping_ForAHaloConnection() =>
        Assert.Equal("Halo User Mapping", UserMappings.ColumnTitle(_connection.Kind));

    [Fact]
    public async Task ApplyAutoMapAsync_MapsAUserToTheEnabledAgentWithTheUsersEmail_IgnoringCaseAndTheDisabledTwin()
    {
        var preview = await Mappings.PreviewAutoMapAsync(_connection.Id, Ct);
        var mapped = await Mappings.ApplyAutoMapAsync(_connection.Id, TestUsers.Admin, Ct);

        var proposal = Assert.Single(preview.Proposals, p => p.Email == "nora.field@msp.example");
        Assert.Equal(Id(_agent), proposal.MemberId);
        Assert.Equal("Nora Field", proposal.MemberName);
        Assert.True(mapped >= 1);
        var row = Assert.Single((await Mappings.ListAsync(_connection.Id, UserMappingFilter.All, "nora", 0, 10, Ct)).Items);
        Assert.Equal((Id(_agent), MappingMethod.Email, false), (row.MemberId, row.Method, row.MemberInactive));
    }

    [Fact]
    public async Task SearchMembersAsync_FindsAgentsByTheirEmail_EnabledFirst_ForAManualChoice()
    {
        var found = await Mappings.SearchMembersAsync(_connection.Id, "NORA.FIELD@msp", 20, Ct);

        Assert.Equal([(Id(_agent), false), (Id(_disabledTwin), true)], found.Select(m => (m.Id, m.Inactive)));
        Assert.Equal("nora.field@msp.example", found[0].Email, ignoreCase: true);
    }

    [Fact]
    public async Task SearchMembersAsync_FindsTheSeededAgentsByTheirMailDomain()
    {
        var found = await Mappings.SearchMembersAsync(_connection.Id, "@msp.example", 50, Ct);

        Assert.Contains(found, m => m.Name == "Ava Nguyen" && m.Email == "ava.nguyen@msp.example");
        Assert.Contains(found, m => m.Name == "Liam Smith");
    }

    [Fact]
    public async Task MapAsync_MapsTheUserToTheAgentChosenByHand()
    {
        var users = (await Mappings.ListAsync(_connection.Id, UserMappingFilter.All, "nora", 0, 10, Ct)).Items;
        var chosen = Assert.Single(await Mappings.SearchMembersAsync(_connection.Id, "Field (old)", 5, Ct));

        var error = await Mappings.MapAsync(_connection.Id, Assert.Single(users).UserId, chosen.Id, TestUsers.Admin, Ct);

        Assert.Null(error);
        var row = Assert.Single((await Mappings.ListAsync(_connection.Id, UserMappingFilter.All, "nora", 0, 10, Ct)).Items);
        Assert.Equal((Id(_disabledTwin), MappingMethod.Manual, true), (row.MemberId, row.Method, row.MemberInactive));
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}

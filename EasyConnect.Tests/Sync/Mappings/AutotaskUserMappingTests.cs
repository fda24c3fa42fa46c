using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Mappings;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Mappings;

/// <summary>
/// The user mapping of an Autotask connection, end to end: resources come from the Autotask sandbox through the first full sync,
/// and an EasyConnect user is matched on any of a resource's three emails (email, email2, email3).
/// </summary>
public sealed class AutotaskUserMappingTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;
    private PsaConnection _connection = default!;
    private long _resource;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private UserMappings Mappings => _app.Services.GetRequiredService<UserMappings>();

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres, AutotaskSandboxDraft.Settings);
        // A resource whose third address is the one the technician signs in to EasyConnect with.
        _resource = AutotaskSandboxDraft.State(_app).AddResource("Nora", "Field", "nora.field@msp.example.com", "nora@personal.example.com", "Nora.Field@Helpdesk.example");
        await _app.CreateUserAsync("nora.field@helpdesk.example", Roles.Technician);
        var connected = await _app.Services.GetRequiredService<PsaConnections>().ConnectAsync(AutotaskSandboxDraft.For(_app), TestUsers.Admin, Ct);
        Assert.True(connected.Succeeded, connected.Error);
        _connection = connected.Connection!;
        await _app.WaitForFullSyncAsync(_connection.Id);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void ColumnTitle_SaysAutotaskUserMapping_ForAnAutotaskConnection() =>
        Assert.Equal("Autotask User Mapping", UserMappings.ColumnTitle(_connection.Kind));

    [Fact]
    public async Task ApplyAutoMapAsync_MapsAUserToTheResource_WhoseThirdEmailIsTheUsersIgnoringCase()
    {
        var preview = await Mappings.PreviewAutoMapAsync(_connection.Id, Ct);
        var mapped = await Mappings.ApplyAutoMapAsync(_connection.Id, TestUsers.Admin, Ct);

        var proposal = Assert.Single(preview.Proposals, p => p.Email == "nora.field@helpdesk.example");
        Assert.Equal(_resource.ToString(System.Globalization.CultureInfo.InvariantCulture), proposal.MemberId);
        Assert.Equal("Nora Field", proposal.MemberName);
        Assert.True(mapped >= 1);
        var row = Assert.Single((await Mappings.ListAsync(_connection.Id, UserMappingFilter.All, "nora", 0, 10, Ct)).Items);
        Assert.Equal((proposal.MemberId, MappingMethod.Email), (row.MemberId, row.Method));
    }

    [Fact]
    public async Task SearchMembersAsync_FindsAResourceByItsSecondOrThirdEmail_ForAManualChoice()
    {
        var bySecond = await Mappings.SearchMembersAsync(_connection.Id, "personal.example.com", 50, Ct);
        var byThird = await Mappings.SearchMembersAsync(_connection.Id, "helpdesk.example", 20, Ct);

        Assert.Contains(bySecond, m => m.Name == "Nora Field");
        Assert.Equal(["Nora Field"], byThird.Select(m => m.Name));
    }
}

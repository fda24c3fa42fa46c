using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Mappings;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Mappings;

public sealed class UserMappingsTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly Guid _connection = Guid.NewGuid();
    private readonly Guid _otherConnection = Guid.NewGuid();
    private EasyConnectApp _app = default!;
    private UserMappings _mappings = default!;

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres);
        _mappings = _app.Services.GetRequiredService<UserMappings>();
        await _app.CreateUserAsync("Ann.Tech@MSP.example", Roles.Technician);
        await _app.CreateUserAsync("bob@msp.example", Roles.Technician);
        await _app.CreateUserAsync("carol@msp.example", Roles.Support);
        await _app.CreateUserAsync("dave@msp.example", Roles.Support);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        foreach (var id in new[] { _connection, _otherConnection })
        {
            db.PsaConnections.Add(new PsaConnection { Id = id, Kind = PsaKind.ConnectWise, InstanceKey = id.ToString(), DisplayName = "x", State = id == _connection ? ConnectionState.Active : ConnectionState.Archived, CreatedBy = "t" });
        }

        db.PsaMembers.AddRange(
            Member(_connection, "10", "Ann", "Tech", "ann@old-domain.example", "ann.tech@msp.example"),
            Member(_connection, "11", "Bob", "Builder", "BOB@msp.example"),
            Member(_connection, "12", "Carol", "One", "carol@msp.example"),
            Member(_connection, "13", "Carol", "Two", "carol@msp.example"),
            Member(_connection, "14", "Old", "Timer", "old@msp.example", inactive: true),
            Member(_otherConnection, "10", "Dave", "Elsewhere", "dave@msp.example"));
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task PreviewAutoMapAsync_MatchesAnyEmailOfAMemberIgnoringCase_AndChangesNothing()
    {
        var preview = await _mappings.PreviewAutoMapAsync(_connection, Ct);

        Assert.Equal(["Ann.Tech@MSP.example → 10", "bob@msp.example → 11"], preview.Proposals.Select(p => $"{p.Email} → {p.MemberId}"));
        Assert.Equal(["carol@msp.example"], preview.Ambiguous);
        Assert.Equal(4, (await _mappings.ListAsync(_connection, UserMappingFilter.Unmapped, null, 0, 10, Ct)).Total);
    }

    [Fact]
    public async Task ApplyAutoMapAsync_MapsOnlyWithinTheConnection()
    {
        var mapped = await _mappings.ApplyAutoMapAsync(_connection, TestUsers.Admin, Ct);

        var unmapped = (await _mappings.ListAsync(_connection, UserMappingFilter.Unmapped, null, 0, 10, Ct)).Items.Select(r => r.Email);
        Assert.Equal(2, mapped);
        Assert.Equal(["carol@msp.example", "dave@msp.example"], unmapped);
        Assert.Equal(4, (await _mappings.ListAsync(_otherConnection, UserMappingFilter.Unmapped, null, 0, 10, Ct)).Total);
    }

    [Fact]
    public async Task MapAsync_RefusesWithReason_WhenMemberIsMappedToAnotherUser()
    {
        await _mappings.ApplyAutoMapAsync(_connection, TestUsers.Admin, Ct);
        var carol = await RowAsync("carol@msp.example");

        var error = await _mappings.MapAsync(_connection, carol.UserId, "11", TestUsers.Technician, Ct);

        Assert.NotNull(error);
        Assert.Contains("already mapped to bob@msp.example", error, StringComparison.Ordinal);
        Assert.Null((await RowAsync("carol@msp.example")).MemberId);
    }

    [Fact]
    public async Task MapAsync_ChoosesByHand_AndInactiveFilterFindsIt()
    {
        var dave = await RowAsync("dave@msp.example");

        var error = await _mappings.MapAsync(_connection, dave.UserId, "14", TestUsers.Technician, Ct);

        var inactive = (await _mappings.ListAsync(_connection, UserMappingFilter.InactiveMember, null, 0, 10, Ct)).Items;
        Assert.Null(error);
        var row = Assert.Single(inactive);
        Assert.Equal(("dave@msp.example", "Old Timer", MappingMethod.Manual), (row.Email, row.MemberName, row.Method!.Value));
        Assert.Equal("14", await _mappings.MemberOfAsync(_connection, "DAVE@msp.example", Ct));
    }

    [Fact]
    public async Task SearchMembersAsync_FindsByNameOrEmail_ActiveFirst()
    {
        var byName = await _mappings.SearchMembersAsync(_connection, "carol", 10, Ct);
        var byEmail = await _mappings.SearchMembersAsync(_connection, "old@", 10, Ct);

        Assert.Equal(["12", "13"], byName.Select(m => m.Id).Order());
        Assert.True(Assert.Single(byEmail).Inactive);
    }

    private async Task<UserMappingRow> RowAsync(string email) => Assert.Single((await _mappings.ListAsync(_connection, UserMappingFilter.All, email, 0, 10, Ct)).Items);

    private static MirroredMember Member(Guid connection, string id, string first, string last, params string[] emails) => Member(connection, id, first, last, false, emails);

    private static MirroredMember Member(Guid connection, string id, string first, string last, string email, bool inactive) => Member(connection, id, first, last, inactive, [email]);

    private static MirroredMember Member(Guid connection, string id, string first, string last, bool inactive, string[] emails) => new()
    {
        ConnectionId = connection, PsaId = id, Identifier = first.ToLowerInvariant() + id, FirstName = first, LastName = last,
        PrimaryEmail = emails[0], Emails = [.. emails], Inactive = inactive, LastModified = DateTimeOffset.UtcNow, SyncedAt = DateTimeOffset.UtcNow,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Connections;

/// <summary>
/// Moving from one PSA product to another (ConnectWise → Autotask, ConnectWise → HaloPSA) goes through the instance-change workflow,
/// as a change of ConnectWise site does. The new side is the real Autotask or Halo client against the app's own sandbox.
/// </summary>
public sealed class ProductChangeTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string ConnectWiseKey = "cw.example.com|acme";
    private readonly Guid _connectWise = Guid.NewGuid();
    private EasyConnectApp _app = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres, AutotaskSandboxDraft.Settings);
        await SeedConnectWiseAsync(_app, ConnectWiseKey);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private ConnectionDraft Autotask => AutotaskSandboxDraft.For(_app);

    [Fact]
    public void Products_OffersConnectWiseAutotaskAndHaloAsConnectable()
    {
        var offers = _app.Services.GetRequiredService<PsaConnections>().Products();

        Assert.Equal([PsaKind.ConnectWise, PsaKind.Autotask, PsaKind.Halo], offers.Select(o => o.Product.Kind));
        Assert.Equal([true, true, true], offers.Select(o => o.Connectable));
    }

    [Fact]
    public async Task ConnectAsync_RefusesAnotherProduct_WhileTheConnectWiseInstanceIsActive()
    {
        var connections = _app.Services.GetRequiredService<PsaConnections>();

        var result = await connections.ConnectAsync(Autotask, TestUsers.Admin, Ct);

        Assert.False(result.Succeeded);
        Assert.StartsWith("Nothing was saved: this is another PSA, Autotask (database 1234567 (America East 5)), not the connected ConnectWise instance",
            result.Error, StringComparison.Ordinal);
        Assert.Contains("use Change instance", result.Error, StringComparison.Ordinal);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        Assert.Equal([PsaKind.ConnectWise], await db.PsaConnections.Select(c => c.Kind).ToListAsync(Ct));
    }

    [Fact]
    public async Task ConnectAsync_RefusesAnotherProduct_EvenWhenItsInstanceKeyReadsTheSame()
    {
        await using var app = await EasyConnectApp.StartAsync(postgres, AutotaskSandboxDraft.Settings);
        await SeedConnectWiseAsync(app, AutotaskSandboxDraft.InstanceKey(app));

        var result = await app.Services.GetRequiredService<PsaConnections>().ConnectAsync(AutotaskSandboxDraft.For(app), TestUsers.Admin, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains("another PSA, Autotask", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_ConnectsTheOtherProduct_OnceTheOldInstanceIsDisconnectedAndArchived()
    {
        var connections = _app.Services.GetRequiredService<PsaConnections>();

        // Step 1: disconnect. Step 3 is refused until step 2 has dealt with the old product's data.
        Assert.True(await connections.DisconnectAsync(TestUsers.Admin, Ct));
        var early = await connections.ConnectAsync(Autotask, TestUsers.Admin, Ct);
        Assert.True(await connections.ArchiveAsync(_connectWise, TestUsers.Admin, Ct));
        var connected = await connections.ConnectAsync(Autotask, TestUsers.Admin, Ct);

        Assert.False(early.Succeeded);
        Assert.Contains("Clean it up or archive it first", early.Error, StringComparison.Ordinal);
        Assert.True(connected.Succeeded, connected.Error);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var all = await db.PsaConnections.AsNoTracking().ToDictionaryAsync(c => c.Kind, Ct);
        Assert.Equal(ConnectionState.Archived, all[PsaKind.ConnectWise].State);
        Assert.Null(all[PsaKind.ConnectWise].ProtectedSecrets);
        var autotask = all[PsaKind.Autotask];
        Assert.Equal(ConnectionState.Active, autotask.State);
        Assert.Equal(AutotaskSandboxDraft.InstanceKey(_app), autotask.InstanceKey);
        // Secrets as Autotask's description names them: never among the plain settings.
        Assert.Equal([AutotaskProduct.UserName, AutotaskProduct.ZoneLookup], autotask.Settings.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(AutotaskSandboxDraft.Secret, autotask.ProtectedSecrets, StringComparison.Ordinal);
        var audit = await db.AuditEntries.AsNoTracking().Where(e => e.Action == "PSA connected").Select(e => e.Details).SingleAsync(Ct);
        Assert.DoesNotContain(AutotaskSandboxDraft.Secret, audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_RefusesHalo_WhileTheConnectWiseInstanceIsActive()
    {
        var connections = _app.Services.GetRequiredService<PsaConnections>();

        var result = await connections.ConnectAsync(HaloSandboxDraft.For(_app), TestUsers.Admin, Ct);

        Assert.False(result.Succeeded);
        Assert.StartsWith("Nothing was saved: this is another PSA, HaloPSA (", result.Error, StringComparison.Ordinal);
        Assert.Contains("not the connected ConnectWise instance", result.Error, StringComparison.Ordinal);
        Assert.Contains("use Change instance", result.Error, StringComparison.Ordinal);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        Assert.Equal([PsaKind.ConnectWise], await db.PsaConnections.Select(c => c.Kind).ToListAsync(Ct));
    }

    [Fact]
    public async Task ConnectAsync_ConnectsHalo_OnceTheConnectWiseInstanceIsDisconnectedAndArchived()
    {
        var connections = _app.Services.GetRequiredService<PsaConnections>();

        Assert.True(await connections.DisconnectAsync(TestUsers.Admin, Ct));
        var early = await connections.ConnectAsync(HaloSandboxDraft.For(_app), TestUsers.Admin, Ct);
        Assert.True(await connections.ArchiveAsync(_connectWise, TestUsers.Admin, Ct));
        var connected = await connections.ConnectAsync(HaloSandboxDraft.For(_app), TestUsers.Admin, Ct);

        Assert.False(early.Succeeded);
        Assert.Contains("Clean it up or archive it first", early.Error, StringComparison.Ordinal);
        Assert.True(connected.Succeeded, connected.Error);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var all = await db.PsaConnections.AsNoTracking().ToDictionaryAsync(c => c.Kind, Ct);
        Assert.Equal(ConnectionState.Archived, all[PsaKind.ConnectWise].State);
        var halo = all[PsaKind.Halo];
        Assert.Equal(ConnectionState.Active, halo.State);
        Assert.Equal(HaloSandboxDraft.InstanceKey(_app), halo.InstanceKey);
        var secret = HaloSandboxDraft.State(_app).Options.ClientSecret;
        Assert.DoesNotContain(secret, halo.ProtectedSecrets, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await db.AuditEntries.AsNoTracking().Where(e => e.Action == "PSA connected").Select(e => e.Details).SingleAsync(Ct), StringComparison.Ordinal);
    }

    private async Task SeedConnectWiseAsync(EasyConnectApp app, string key)
    {
        await using var db = PostgresServer.CreateContext(app.ConnectionString);
        db.PsaConnections.Add(new PsaConnection
        {
            Id = _connectWise, Kind = PsaKind.ConnectWise, InstanceKey = key, DisplayName = "cw.example.com — acme",
            State = ConnectionState.Active, CreatedAt = DateTimeOffset.UtcNow.AddDays(-30), CreatedBy = "tests", ProtectedSecrets = "x",
        });
        await db.SaveChangesAsync(Ct);
    }
}

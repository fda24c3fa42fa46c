using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Halo;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Connections;

/// <summary>
/// Connecting HaloPSA as the Integration page does, with the values "Use the sandbox" fills, against the app's own Halo sandbox: the
/// checks of Test connection, one per endpoint the sync uses, and the instance as its address and tenant, which decides whether a
/// second Connect updates the keys of the same instance or must go through the instance-change workflow.
/// </summary>
public sealed class HaloConnectionTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PsaConnections Connections => _app.Services.GetRequiredService<PsaConnections>();

    public async ValueTask InitializeAsync() => _app = await EasyConnectApp.StartAsync(postgres, HaloSandboxDraft.Settings);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void Products_OffersHaloAsConnectable()
    {
        var offer = Assert.Single(Connections.Products(), o => o.Product.Kind == PsaKind.Halo);

        Assert.True(offer.Connectable);
    }

    [Fact]
    public void UseTheSandbox_FillsEveryConnectionField()
    {
        var values = HaloSandboxDraft.Values(_app);

        Assert.Equal(HaloProduct.Description.ConnectionFields.Select(f => f.Name), values.Keys);
        Assert.All(values, v => Assert.False(string.IsNullOrWhiteSpace(v.Value), v.Key));
        Assert.Equal(new Uri(_app.BaseAddress, "sandbox/halo"), new Uri(values[HaloProduct.Address]));
        Assert.Equal(HaloSandboxDraft.State(_app).Options.Tenant, values[HaloProduct.Tenant]);
    }

    [Fact]
    public async Task TestAsync_PassesACheckPerEndpointTheSyncUses_AndNamesTheInstance_WithTheSandboxValues()
    {
        var result = await Connections.TestAsync(HaloSandboxDraft.For(_app), Ct);

        Assert.True(result.Succeeded, string.Join("; ", result.Items.Where(i => !i.Passed).Select(i => $"{i.Name}: {i.Message}")));
        Assert.Equal(
            ["Authentication", "The agent the API application runs as", "Tickets: create and edit", "Tickets: read", "Actions: read",
             "Agents: read", "Clients: read", "Assets: read", "Sites: read (each client's SLA)", "Teams: read", "Statuses: read", "Priorities: read"],
            result.Items.Select(i => i.Name));
        Assert.Equal(HaloSandboxDraft.InstanceKey(_app), result.Identity!.Key);
        Assert.EndsWith("— sandbox", result.Identity.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestAsync_NamesTheCheckThatFails_WhenTheSecretIsWrong()
    {
        var draft = HaloSandboxDraft.Values(_app);
        draft[HaloProduct.ClientSecret] = "not-the-secret";

        var result = await Connections.TestAsync(new ConnectionDraft(PsaKind.Halo, draft), Ct);

        var failed = Assert.Single(result.Items, i => !i.Passed);
        Assert.Equal("Authentication", failed.Name);
        Assert.DoesNotContain("not-the-secret", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestAsync_StopsAtAuthentication_WhenTheTenantIsNotTheInstances()
    {
        var draft = HaloSandboxDraft.Values(_app);
        draft[HaloProduct.Tenant] = "someone-else";

        var result = await Connections.TestAsync(new ConnectionDraft(PsaKind.Halo, draft), Ct);

        Assert.False(result.Succeeded);
        var only = Assert.Single(result.Items);
        Assert.Equal("Authentication", only.Name);
        Assert.False(only.Passed);
    }

    [Theory]
    [InlineData("/api/Asset", "Assets: read")]
    [InlineData("/api/Site", "Sites: read (each client's SLA)")]
    [InlineData("/api/Priority", "Priorities: read")]
    [InlineData("/api/Team", "Teams: read")]
    [InlineData("/api/Status", "Statuses: read")]
    [InlineData("/api/Agent?", "Agents: read")]
    public async Task TestAsync_NamesTheEndpointThatFails_AndPassesTheOthers(string path, string check)
    {
        HaloSandboxDraft.State(_app).Faults.FailNext(SandboxFaultKind.ServerError, 1,
            (_, p) => p.StartsWith(HaloProduct.SandboxPath + path, StringComparison.OrdinalIgnoreCase));

        var result = await Connections.TestAsync(HaloSandboxDraft.For(_app), Ct);

        Assert.False(result.Succeeded);
        Assert.Equal([check], result.Items.Where(i => !i.Passed).Select(i => i.Name));
    }

    [Fact]
    public async Task ConnectAsync_StoresTheAddressAndTenantAsTheInstance_AndKeepsTheClientSecretOutOfTheSettings()
    {
        var result = await Connections.ConnectAsync(HaloSandboxDraft.For(_app), TestUsers.Admin, Ct);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(HaloSandboxDraft.InstanceKey(_app), result.Connection!.InstanceKey);
        Assert.EndsWith("/sandbox/halo|sandbox", result.Connection.InstanceKey, StringComparison.Ordinal);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var stored = await db.PsaConnections.AsNoTracking().SingleAsync(Ct);
        Assert.Equal([HaloProduct.Address, HaloProduct.NoteOutcome, HaloProduct.Tenant], stored.Settings.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(HaloSandboxDraft.State(_app).Options.ClientSecret, stored.ProtectedSecrets, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_UpdatesTheKeysOfTheSameInstance_WhenItsAddressIsWrittenAnotherWay()
    {
        var first = await Connections.ConnectAsync(HaloSandboxDraft.For(_app), TestUsers.Admin, Ct);
        var draft = HaloSandboxDraft.Values(_app);
        draft[HaloProduct.Address] = "  " + draft[HaloProduct.Address] + "/ ";
        draft[HaloProduct.NoteOutcome] = "Note";

        var second = await Connections.ConnectAsync(new ConnectionDraft(PsaKind.Halo, draft), TestUsers.Admin, Ct);

        Assert.True(second.Succeeded, second.Error);
        Assert.Equal(first.Connection!.Id, second.Connection!.Id);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var only = await db.PsaConnections.AsNoTracking().SingleAsync(Ct);
        Assert.Equal("Note", only.Settings[HaloProduct.NoteOutcome]);
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "PSA credentials updated", Ct));
    }

    [Fact]
    public async Task ConnectAsync_RefusesAnotherTenantWithAnExplanation_WhileTheHaloInstanceIsActive()
    {
        var first = await Connections.ConnectAsync(HaloSandboxDraft.For(_app), TestUsers.Admin, Ct);
        // The sandbox now answers for another tenant, as another Halo-hosted instance at the same address would.
        HaloSandboxDraft.State(_app).Options.Tenant = "branch-two";

        var other = await Connections.ConnectAsync(HaloSandboxDraft.For(_app), TestUsers.Admin, Ct);

        Assert.True(first.Succeeded, first.Error);
        Assert.False(other.Succeeded);
        Assert.StartsWith("Nothing was saved: this is a different HaloPSA instance (", other.Error, StringComparison.Ordinal);
        Assert.Contains("— branch-two), not the connected HaloPSA instance (", other.Error, StringComparison.Ordinal);
        Assert.Contains("use Change instance", other.Error, StringComparison.Ordinal);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var only = await db.PsaConnections.AsNoTracking().SingleAsync(Ct);
        Assert.Equal(HaloSandboxDraft.InstanceKey(_app, "sandbox"), only.InstanceKey);
    }

    [Fact]
    public async Task ConnectAsync_ConnectsAnotherTenant_ThroughTheInstanceChangeWorkflow()
    {
        var first = await Connections.ConnectAsync(HaloSandboxDraft.For(_app), TestUsers.Admin, Ct);
        HaloSandboxDraft.State(_app).Options.Tenant = "branch-two";

        Assert.True(await Connections.DisconnectAsync(TestUsers.Admin, Ct));
        var early = await Connections.ConnectAsync(HaloSandboxDraft.For(_app), TestUsers.Admin, Ct);
        Assert.True(await Connections.ArchiveAsync(first.Connection!.Id, TestUsers.Admin, Ct));
        var moved = await Connections.ConnectAsync(HaloSandboxDraft.For(_app), TestUsers.Admin, Ct);

        Assert.False(early.Succeeded);
        Assert.Contains("Clean it up or archive it first", early.Error, StringComparison.Ordinal);
        Assert.True(moved.Succeeded, moved.Error);
        Assert.NotEqual(first.Connection.Id, moved.Connection!.Id);
        Assert.Equal(HaloSandboxDraft.InstanceKey(_app, "branch-two"), moved.Connection.InstanceKey);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var states = await db.PsaConnections.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.State, Ct);
        Assert.Equal(ConnectionState.Archived, states[first.Connection.Id]);
        Assert.Equal(ConnectionState.Active, states[moved.Connection.Id]);
    }
}

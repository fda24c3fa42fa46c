using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Connections;

/// <summary>
/// Connecting Autotask as the Integration page does, with the values "Use the sandbox" fills, against the app's own sandbox: the
/// checks of Test connection, and the instance as the zone lookup names it (zone and database id), which decides whether a second
/// Connect updates the keys of the same instance or must go through the instance-change workflow.
/// </summary>
public sealed class AutotaskConnectionTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PsaConnections Connections => _app.Services.GetRequiredService<PsaConnections>();

    public async ValueTask InitializeAsync() => _app = await EasyConnectApp.StartAsync(postgres, AutotaskSandboxDraft.Settings);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void UseTheSandbox_FillsEveryConnectionField()
    {
        var values = AutotaskSandboxDraft.Values(_app);

        Assert.Equal(AutotaskProduct.Description.ConnectionFields.Select(f => f.Name), values.Keys);
        Assert.All(values, v => Assert.False(string.IsNullOrWhiteSpace(v.Value), v.Key));
        Assert.Equal(new Uri(_app.BaseAddress, "sandbox/autotask/ATServicesRest/"), new Uri(values[AutotaskProduct.ZoneLookup]));
    }

    [Fact]
    public async Task TestAsync_PassesEveryCheckTheSyncNeeds_AndNamesTheDatabase_WithTheSandboxValues()
    {
        var result = await Connections.TestAsync(AutotaskSandboxDraft.For(_app), Ct);

        Assert.True(result.Succeeded, string.Join("; ", result.Items.Where(i => !i.Passed).Select(i => $"{i.Name}: {i.Message}")));
        Assert.Equal(
            ["Find the Autotask zone", "Authentication", "Tickets: read", "Ticket notes: read", "Companies: read", "Configuration items: read",
             "Resources: read", "Deleted ticket logs: read", "Ticket queues, statuses and priorities", "Ticket note types"],
            result.Items.Select(i => i.Name));
        Assert.Contains("database 1234567 (America East 5)", result.Items[0].Message, StringComparison.Ordinal);
        Assert.Equal(AutotaskSandboxDraft.InstanceKey(_app), result.Identity!.Key);
    }

    [Fact]
    public async Task TestAsync_NamesTheCheckThatFails_WhenTheSecretIsWrong()
    {
        var draft = AutotaskSandboxDraft.Values(_app);
        draft[AutotaskProduct.Secret] = "not-the-secret";

        var result = await Connections.TestAsync(new ConnectionDraft(PsaKind.Autotask, draft), Ct);

        var failed = Assert.Single(result.Items, i => !i.Passed);
        Assert.Equal("Authentication", failed.Name);
        Assert.DoesNotContain("not-the-secret", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_StoresTheZoneAndDatabaseIdAsTheInstance()
    {
        var result = await Connections.ConnectAsync(AutotaskSandboxDraft.For(_app), TestUsers.Admin, Ct);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(AutotaskSandboxDraft.InstanceKey(_app), result.Connection!.InstanceKey);
        Assert.Equal("database 1234567 (America East 5)", result.Connection.DisplayName);
        Assert.StartsWith("autotask|", result.Connection.InstanceKey, StringComparison.Ordinal);
        Assert.EndsWith("/sandbox/autotask/webservices5/atservicesrest|1234567", result.Connection.InstanceKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_UpdatesTheKeysOfTheSameInstance_WhenAnotherApiUserOfTheSameDatabaseConnects()
    {
        var first = await Connections.ConnectAsync(AutotaskSandboxDraft.For(_app), TestUsers.Admin, Ct);
        var draft = AutotaskSandboxDraft.Values(_app);
        draft[AutotaskProduct.UserName] = "second-api@sandbox.example.com";

        var second = await Connections.ConnectAsync(new ConnectionDraft(PsaKind.Autotask, draft), TestUsers.Admin, Ct);

        Assert.True(second.Succeeded, second.Error);
        Assert.Equal(first.Connection!.Id, second.Connection!.Id);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var only = await db.PsaConnections.AsNoTracking().SingleAsync(Ct);
        Assert.Equal("second-api@sandbox.example.com", only.Settings[AutotaskProduct.UserName]);
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "PSA credentials updated", Ct));
    }

    [Fact]
    public async Task ConnectAsync_RefusesAnotherDatabaseWithAnExplanation_WhileTheAutotaskInstanceIsActive()
    {
        var first = await Connections.ConnectAsync(AutotaskSandboxDraft.For(_app), TestUsers.Admin, Ct);
        // The same API user name now leads to another database, as after a move of the user or a sandbox database refresh.
        AutotaskSandboxDraft.State(_app).Options.DatabaseId = 7_654_321;

        var other = await Connections.ConnectAsync(AutotaskSandboxDraft.For(_app), TestUsers.Admin, Ct);

        Assert.True(first.Succeeded, first.Error);
        Assert.False(other.Succeeded);
        Assert.StartsWith("Nothing was saved: this is a different Autotask instance (database 7654321 (America East 5)), not the connected Autotask instance (database 1234567 (America East 5)).",
            other.Error, StringComparison.Ordinal);
        Assert.Contains("use Change instance", other.Error, StringComparison.Ordinal);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var only = await db.PsaConnections.AsNoTracking().SingleAsync(Ct);
        Assert.Equal(AutotaskSandboxDraft.InstanceKey(_app, 1_234_567), only.InstanceKey);
    }

    [Fact]
    public async Task ConnectAsync_ConnectsAnotherDatabase_ThroughTheInstanceChangeWorkflow()
    {
        var first = await Connections.ConnectAsync(AutotaskSandboxDraft.For(_app), TestUsers.Admin, Ct);
        AutotaskSandboxDraft.State(_app).Options.DatabaseId = 7_654_321;

        Assert.True(await Connections.DisconnectAsync(TestUsers.Admin, Ct));
        var early = await Connections.ConnectAsync(AutotaskSandboxDraft.For(_app), TestUsers.Admin, Ct);
        Assert.True(await Connections.ArchiveAsync(first.Connection!.Id, TestUsers.Admin, Ct));
        var moved = await Connections.ConnectAsync(AutotaskSandboxDraft.For(_app), TestUsers.Admin, Ct);

        Assert.False(early.Succeeded);
        Assert.Contains("Clean it up or archive it first", early.Error, StringComparison.Ordinal);
        Assert.True(moved.Succeeded, moved.Error);
        Assert.NotEqual(first.Connection.Id, moved.Connection!.Id);
        Assert.Equal(AutotaskSandboxDraft.InstanceKey(_app, 7_654_321), moved.Connection.InstanceKey);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var states = await db.PsaConnections.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.State, Ct);
        Assert.Equal(ConnectionState.Archived, states[first.Connection.Id]);
        Assert.Equal(ConnectionState.Active, states[moved.Connection.Id]);
    }
}

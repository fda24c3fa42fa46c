using System.Globalization;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Sandbox.Autotask;
using EasyConnect.Sync.Settings;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Psa.Autotask;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.PsaSync;

/// <summary>The mirror of an Autotask connection: the Autotask client over real HTTP to the Autotask sandbox, into a real PostgreSQL.</summary>
public sealed class AutotaskMirrorTests(PostgresServer postgres) : IAsyncLifetime
{
    private AutotaskSandboxHost _sandbox = default!;
    private ServiceProvider _clients = default!;
    private MirrorHarness _mirror = default!;
    private Guid _connection;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AutotaskSandboxState State => _sandbox.State;

    public async ValueTask InitializeAsync() => await StartAsync(null);

    private async Task StartAsync(Action<AutotaskSandboxOptions>? sandbox)
    {
        _sandbox = await AutotaskSandboxHost.StartAsync(sandbox);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddEasyConnectAutotask();
        _clients = services.BuildServiceProvider();
        var database = await postgres.CreateDatabaseAsync("atmirror");
        _mirror = new MirrorHarness(database, new SandboxClients(this));
        _connection = await MirrorHarness.AddConnectionAsync(database, "autotask|" + State.Options.UserName, kind: PsaKind.Autotask);
    }

    /// <summary>Starts again over a sandbox seeded with other options.</summary>
    private async Task RestartAsync(Action<AutotaskSandboxOptions> sandbox)
    {
        await DisposeAsync();
        await StartAsync(sandbox);
    }

    public async ValueTask DisposeAsync()
    {
        await _mirror.DisposeAsync();
        await _clients.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private sealed class SandboxClients(AutotaskMirrorTests test) : IPsaClientProvider
    {
        public Task<IPsaClient> GetClientAsync(Guid connectionId, CancellationToken cancellationToken)
        {
            var options = test.State.Options;
            return Task.FromResult(test._clients.GetRequiredService<AutotaskClientFactory>().Create(
                new AutotaskCredentials(options.UserName, options.Secret, options.IntegrationCode),
                new AutotaskClientOptions("autotask-mirror-" + connectionId, test._sandbox.DiscoveryRoot)));
        }
    }

    [Fact]
    public async Task FullRun_MirrorsEveryEntity_AndDeletesATicketAutotaskNoLongerHas()
    {
        // Act
        var first = await _mirror.FullAsync(_connection);

        // Assert
        Assert.Equal(SyncRunStatus.Succeeded, first.Status);
        await using var db = _mirror.Db();
        Assert.Equal(State.Ids(AutotaskSandboxState.Resources).Count, await db.PsaMembers.CountAsync(m => m.ConnectionId == _connection, Ct));
        Assert.Equal(State.Ids(AutotaskSandboxState.Companies).Count, await db.PsaCompanies.CountAsync(c => c.ConnectionId == _connection, Ct));
        Assert.Equal(State.Ids(AutotaskSandboxState.ConfigurationItems).Count, await db.PsaConfigurations.CountAsync(c => c.ConnectionId == _connection, Ct));
        Assert.Equal(State.Ids(AutotaskSandboxState.Tickets).Count, await db.PsaTickets.CountAsync(t => t.ConnectionId == _connection, Ct));
        Assert.Equal(ActivePicklist("queueID"), await db.PsaBoards.CountAsync(b => b.ConnectionId == _connection, Ct));
        Assert.Equal(ActivePicklist("status"), await db.PsaStatuses.CountAsync(s => s.ConnectionId == _connection, Ct));
        Assert.Equal(ActivePicklist("priority"), await db.PsaPriorities.CountAsync(p => p.ConnectionId == _connection, Ct));

        // Arrange: a technician deletes a ticket in the Autotask UI.
        var gone = State.Ids(AutotaskSandboxState.Tickets)[0];
        State.DeleteTicketAs(State.ApiResourceId, gone);

        // Act
        var second = await _mirror.FullAsync(_connection);

        // Assert
        Assert.Equal(SyncRunStatus.Succeeded, second.Status);
        Assert.Equal(1, second.For(PsaEntity.Tickets).Deleted);
        Assert.False(await db.PsaTickets.AnyAsync(t => t.ConnectionId == _connection && t.PsaId == Id(gone), Ct));
        Assert.Equal(State.Ids(AutotaskSandboxState.Tickets).Count, await db.PsaTickets.CountAsync(t => t.ConnectionId == _connection, Ct));
    }

    [Fact]
    public async Task FullRun_HoldsBackTheDeletion_WhenMostTicketsAreGone_UntilAnAdminConfirmsIt()
    {
        // Arrange
        await RestartAsync(o => o.Tickets = 30);
        await _mirror.FullAsync(_connection);
        foreach (var id in State.Ids(AutotaskSandboxState.Tickets).Take(20))
        {
            State.DeleteTicketAs(State.ApiResourceId, id);
        }

        // Act
        var held = await _mirror.FullAsync(_connection);

        // Assert
        Assert.Equal(SyncRunStatus.NeedsConfirmation, held.Status);
        Assert.Equal((0, 20), (held.For(PsaEntity.Tickets).Deleted, held.For(PsaEntity.Tickets).WouldDelete));
        await using var db = _mirror.Db();
        Assert.Equal(30, await db.PsaTickets.CountAsync(t => t.ConnectionId == _connection, Ct));

        var confirmed = await _mirror.FullAsync(_connection, held.RunId);
        Assert.Equal(20, confirmed.For(PsaEntity.Tickets).Deleted);
        Assert.Equal(10, await db.PsaTickets.CountAsync(t => t.ConnectionId == _connection, Ct));
    }

    [Fact]
    public async Task IncrementalRun_ReadsOnlyWhatChangedPerWatermark_RemovesALoggedDeletion_AndRereadsResources()
    {
        // Arrange
        await _mirror.FullAsync(_connection);
        var company = State.Ids(AutotaskSandboxState.Companies)[3];
        var item = State.Ids(AutotaskSandboxState.ConfigurationItems)[5];
        var tickets = State.Ids(AutotaskSandboxState.Tickets);
        State.Update(AutotaskSandboxState.Companies, new JsonObject { ["id"] = company, ["companyName"] = "Renamed Dental" }, null);
        State.Update(AutotaskSandboxState.ConfigurationItems, new JsonObject { ["id"] = item, ["referenceTitle"] = "Renamed server" }, null);
        State.UpdateTicketAs(State.ApiResourceId, tickets[1], new JsonObject { ["title"] = "Printer on fire" });
        State.DeleteTicketAs(State.ApiResourceId, tickets[2]);
        var hired = State.Create(AutotaskSandboxState.Resources, new JsonObject
        {
            ["firstName"] = "Nora", ["lastName"] = "Lind", ["userName"] = "nora.lind", ["email"] = "nora.lind@msp.example.com", ["isActive"] = true,
        }, State.ApiResourceId, null);
        State.Faults.ResetRequests();

        // Act
        var run = await _mirror.IncrementalAsync(_connection);

        // Assert
        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.Equal((1, 1), (run.For(PsaEntity.Companies).Read, run.For(PsaEntity.Companies).Upserted));
        Assert.Equal((1, 1), (run.For(PsaEntity.Configurations).Read, run.For(PsaEntity.Configurations).Upserted));
        Assert.Equal((1, 1, 1), (run.For(PsaEntity.Tickets).Read, run.For(PsaEntity.Tickets).Upserted, run.For(PsaEntity.Tickets).Deleted));
        // Resources carry no stamp: all of them are read again, and only the new one is written.
        Assert.Equal((State.Ids(AutotaskSandboxState.Resources).Count, 1), (run.For(PsaEntity.Members).Read, run.For(PsaEntity.Members).Upserted));
        var requests = State.Faults.Requests.Select(r => r.Path).ToList();
        Assert.Single(requests, p => p.Contains("/Companies/query", StringComparison.Ordinal));
        Assert.Single(requests, p => p.Contains("/ConfigurationItems/query", StringComparison.Ordinal));
        Assert.Single(requests, p => p.Contains("/Tickets/query", StringComparison.Ordinal));
        Assert.Single(requests, p => p.Contains("/DeletedTicketLogs/query", StringComparison.Ordinal));
        Assert.Contains(requests, p => p.Contains("/Resources/query", StringComparison.Ordinal));
        Assert.DoesNotContain(requests, p => p.Contains("/count", StringComparison.Ordinal));
        await using var db = _mirror.Db();
        Assert.False(await db.PsaTickets.AnyAsync(t => t.ConnectionId == _connection && t.PsaId == Id(tickets[2]), Ct));
        Assert.Equal("Printer on fire", (await db.PsaTickets.SingleAsync(t => t.ConnectionId == _connection && t.PsaId == Id(tickets[1]), Ct)).Summary);
        Assert.True(await db.PsaMembers.AnyAsync(m => m.ConnectionId == _connection && m.PsaId == Id(hired), Ct));
        Assert.Contains("Renamed Dental", (await db.PsaCompanies.SingleAsync(c => c.ConnectionId == _connection && c.PsaId == Id(company), Ct)).Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncrementalRun_RemovesALoggedDeletion_WhileTheTicketSyncFeedsTheMirrorsTickets()
    {
        // Arrange: the ticket sync is on and has just fed the mirror's tickets (the full run moved their cursor now).
        await _mirror.FullAsync(_connection);
        await using var db = _mirror.Db();
        db.AdvancedSettings.Add(new AdvancedSettings { ConnectionId = _connection, SyncEnabled = true });
        await db.SaveChangesAsync(Ct);
        var gone = State.Ids(AutotaskSandboxState.Tickets)[0];
        State.DeleteTicketAs(State.ApiResourceId, gone);
        // The ticket sync's feed then reads changed tickets, not the deletion log, and moves the cursor well past the deletion.
        await db.SyncCursors.Where(c => c.ConnectionId == _connection && c.Entity == PsaEntity.Tickets)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.UpdatedAt, DateTimeOffset.UtcNow.AddMinutes(10))
                .SetProperty(x => x.LastModified, DateTimeOffset.UtcNow.AddMinutes(10)), Ct);
        State.Faults.ResetRequests();

        // Act
        var run = await _mirror.IncrementalAsync(_connection, PsaEntity.Tickets);

        // Assert: the changed tickets are left to the ticket sync, the deletion log is still read.
        Assert.Equal((0, 1), (run.For(PsaEntity.Tickets).Read, run.For(PsaEntity.Tickets).Deleted));
        Assert.DoesNotContain(State.Faults.Requests, r => r.Path.Contains("/Tickets/query", StringComparison.Ordinal));
        Assert.False(await db.PsaTickets.AnyAsync(t => t.ConnectionId == _connection && t.PsaId == Id(gone), Ct));
    }

    [Fact]
    public async Task IncrementalRun_WritesNothing_WhenNothingChangedInAutotask()
    {
        // Arrange
        await _mirror.FullAsync(_connection);
        await _mirror.IncrementalAsync(_connection);
        State.Faults.ResetRequests();

        // Act
        var quiet = await _mirror.IncrementalAsync(_connection);

        // Assert
        Assert.Equal(SyncRunStatus.Succeeded, quiet.Status);
        Assert.All(quiet.Entities, e => Assert.Equal((e.Entity, 0, 0, 0), (e.Entity, e.Upserted, e.Deleted, e.WouldDelete)));
        Assert.All(new[] { PsaEntity.Companies, PsaEntity.Configurations, PsaEntity.Tickets }, e => Assert.Equal(0, quiet.For(e).Read));
    }

    private int ActivePicklist(string field) => State.Picklist(AutotaskSandboxState.Tickets, field).Count(v => v.IsActive);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}

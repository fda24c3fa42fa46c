using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.PsaSync;

/// <summary>The run history the Sync runs page lists, after an instance change left an old connection's runs behind.</summary>
public sealed class SyncRunsTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;
    private readonly Guid _old = Guid.NewGuid();
    private readonly Guid _new = Guid.NewGuid();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres);
        var now = DateTimeOffset.UtcNow;
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        db.PsaConnections.AddRange(
            new PsaConnection
            {
                Id = _old, Kind = PsaKind.ConnectWise, InstanceKey = "old|acme", DisplayName = "old.example / acme",
                State = ConnectionState.Removed, CreatedAt = now.AddDays(-300), CreatedBy = "tests", RetiredAt = now.AddHours(-2),
            },
            new PsaConnection
            {
                Id = _new, Kind = PsaKind.ConnectWise, InstanceKey = "new|acme", DisplayName = "new.example / acme",
                State = ConnectionState.Active, CreatedAt = now.AddHours(-1), CreatedBy = "tests",
            });
        db.SyncRuns.AddRange(
            Run(_old, now.AddHours(-3)),
            Run(_old, now.AddHours(-2.5)),
            Run(_new, now.AddMinutes(-30)));
        await db.SaveChangesAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ListAsync_ReturnsOnlyTheActiveConnectionsRuns_ByDefault()
    {
        var runs = _app.Services.GetRequiredService<SyncRuns>();

        var page = await runs.ListAsync(new SyncRunQuery(), Ct);

        var run = Assert.Single(page.Items);
        Assert.Equal(1, page.Total);
        Assert.Equal(_new, run.ConnectionId);
        Assert.Equal("new.example / acme", page.Instances[run.ConnectionId]);
    }

    [Fact]
    public async Task ListAsync_ReturnsEveryConnectionsRunsWithTheirInstanceNames_WhenAllInstances()
    {
        var runs = _app.Services.GetRequiredService<SyncRuns>();

        var page = await runs.ListAsync(new SyncRunQuery(AllInstances: true), Ct);

        Assert.Equal(3, page.Total);
        Assert.Equal([_new, _old, _old], page.Items.Select(r => r.ConnectionId));
        Assert.Equal(
            ["new.example / acme", "old.example / acme", "old.example / acme"],
            page.Items.Select(r => page.Instances[r.ConnectionId]));
    }

    private static SyncRun Run(Guid connectionId, DateTimeOffset startedAt) => new()
    {
        Id = Guid.NewGuid(), ConnectionId = connectionId, Kind = SyncRunKind.Incremental, Trigger = SyncTrigger.Scheduled,
        StartedAt = startedAt, FinishedAt = startedAt.AddSeconds(5), Status = SyncRunStatus.Succeeded,
    };
}

using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EasyConnect.Tests.Sync.Runs;

/// <summary>The Overview's health figures, read from a real database's run history and tickets.</summary>
public sealed class RunHealthReaderTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly Guid _connection = Guid.NewGuid();
    private readonly Guid _old = Guid.NewGuid();
    private EasyConnectApp _app = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres, new Dictionary<string, string?> { ["EasyConnect:Jobs:RunServer"] = "false" },
            services => services.AddSingleton<TimeProvider>(_clock));
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        db.PsaConnections.AddRange(
            new PsaConnection { Id = _connection, Kind = PsaKind.ConnectWise, InstanceKey = "a", DisplayName = "na.myconnectwise.net / acme", State = ConnectionState.Active, CreatedBy = "t" },
            new PsaConnection { Id = _old, Kind = PsaKind.ConnectWise, InstanceKey = "b", DisplayName = "old", State = ConnectionState.Archived, CreatedBy = "t" });
        var now = _clock.GetUtcNow();
        db.SyncRuns.AddRange(
            Run(_connection, SyncRunKind.Tickets, SyncRunStatus.Succeeded, now.AddDays(-2), seconds: 4, tickets: 5, notes: 12),
            Run(_connection, SyncRunKind.Tickets, SyncRunStatus.Succeeded, now.AddDays(-2).AddMinutes(5), seconds: 2, tickets: 1, notes: 3),
            Run(_connection, SyncRunKind.Tickets, SyncRunStatus.Failed, now.AddHours(-1), seconds: 1, tickets: 0, notes: 0),
            Run(_connection, SyncRunKind.Tickets, SyncRunStatus.Skipped, now.AddMinutes(-1), seconds: 0, tickets: 0, notes: 0),
            Run(_connection, SyncRunKind.Incremental, SyncRunStatus.Succeeded, now.AddMinutes(-10), seconds: 3, tickets: 0, notes: 0),
            Run(_connection, SyncRunKind.Full, SyncRunStatus.Failed, now.AddDays(-9), seconds: 60, tickets: 0, notes: 0),
            Run(_old, SyncRunKind.Tickets, SyncRunStatus.Failed, now.AddHours(-2), seconds: 1, tickets: 50, notes: 50));
        var portal = Guid.NewGuid();
        db.TicketLinks.AddRange(
            new TicketLink { ConnectionId = _connection, PortalConnectionId = portal, PortalTicketId = "1", PortalSubject = "a", PortalStatus = "open", HeldReason = "No map." },
            new TicketLink { ConnectionId = _connection, PortalConnectionId = portal, PortalTicketId = "2", PortalSubject = "b", PortalStatus = "open" },
            new TicketLink { ConnectionId = _old, PortalConnectionId = portal, PortalTicketId = "3", PortalSubject = "c", PortalStatus = "open", HeldReason = "Old." });
        await db.SaveChangesAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ReadAsync_SummarisesTheActiveConnection_WhenItHasRunHistory()
    {
        var health = await _app.Services.GetRequiredService<IRunHealthReader>().ReadAsync(Ct);

        Assert.Equal("na.myconnectwise.net / acme", health.Connection);
        Assert.Equal(1, health.HeldTickets);
        Assert.Equal(1, health.FailedLast24Hours);
        Assert.Collection(health.Jobs,
            t => Assert.Equal((SyncRunKind.Tickets, SyncRunStatus.Failed), (t.Kind, t.Status)),
            i => Assert.Equal((SyncRunKind.Incremental, SyncRunStatus.Succeeded), (i.Kind, i.Status)),
            f => Assert.Equal((SyncRunKind.Full, SyncRunStatus.Failed), (f.Kind, f.Status)));
        Assert.Equal(7, health.Days.Count);
        Assert.Equal(new DateOnly(2026, 12, 2), health.Days[^1].Day);
        var twoDaysAgo = health.Days[^3];
        Assert.Equal((6, 15, 0), (twoDaysAgo.Tickets, twoDaysAgo.Notes, twoDaysAgo.Failures));
        Assert.Equal(3.0, twoDaysAgo.AverageSeconds[SyncRunKind.Tickets]);
        Assert.Equal(1, health.Days[^1].Failures);
        Assert.Equal(0, health.Days.Sum(d => d.AverageSeconds.GetValueOrDefault(SyncRunKind.Full)));
    }

    private static SyncRun Run(Guid connection, SyncRunKind kind, SyncRunStatus status, DateTimeOffset started, int seconds, int tickets, int notes)
    {
        var run = new SyncRun
        {
            Id = Guid.NewGuid(), ConnectionId = connection, Kind = kind, Trigger = SyncTrigger.Scheduled, Status = status, StartedAt = started,
            FinishedAt = started.AddSeconds(seconds),
        };
        run.Entities = [new SyncRunEntityCounts(PsaEntity.Tickets, tickets, tickets, Notes: notes)];
        return run;
    }
}

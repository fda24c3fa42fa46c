using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>What the Tickets pages read and do, in the real app on its own database (no job server, so queued jobs stay queued).</summary>
public sealed class LinkedTicketsTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly Guid _connection = Guid.NewGuid();
    private readonly Guid _old = Guid.NewGuid();
    private EasyConnectApp _app = default!;
    private LinkedTickets _tickets = default!;
    private long _held;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres, new Dictionary<string, string?> { ["EasyConnect:Jobs:RunServer"] = "false" });
        _tickets = _app.Services.GetRequiredService<LinkedTickets>();
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        db.PsaConnections.Add(new PsaConnection { Id = _connection, Kind = PsaKind.ConnectWise, InstanceKey = "a", DisplayName = "a", State = ConnectionState.Active, CreatedBy = "t" });
        db.PsaConnections.Add(new PsaConnection { Id = _old, Kind = PsaKind.ConnectWise, InstanceKey = "b", DisplayName = "b", State = ConnectionState.Archived, CreatedBy = "t" });
        db.AdvancedSettings.Add(new AdvancedSettings { ConnectionId = _connection, SyncEnabled = true });
        db.PsaCompanies.Add(new MirroredCompany { ConnectionId = _connection, PsaId = "5", Name = "Contoso Dental", Identifier = "ContosoDental" });
        db.PsaStatuses.Add(new MirroredStatus { ConnectionId = _connection, PsaId = "2", Name = "In Progress", ScopeId = "1" });
        var portal = Guid.NewGuid();
        TicketLink Link(string portalId, string subject, DateTimeOffset created) => new()
        {
            ConnectionId = _connection, PortalConnectionId = portal, PortalTicketId = portalId, PortalSubject = subject, PortalStatus = "open", CreatedAt = created,
        };
        var now = DateTimeOffset.UtcNow;
        var synced = Link("101", "Synced fine", now.AddMinutes(-4));
        synced.PsaTicketId = "9001";
        synced.PsaSummary = "Synced fine";
        synced.PsaCompanyId = "5";
        synced.PsaStatusId = "2";
        var held = Link("102", "Unknown cluster", now.AddMinutes(-3));
        held.HeldReason = "The ClusterID \"CL-9\" matches no ConnectWise configuration.";
        held.HeldKind = HoldKind.UnknownClusterId;
        var conflicted = Link("103", "Both changed", now.AddMinutes(-2));
        conflicted.ConflictAt = now;
        var failed = Link("104", "Retry me", now.AddMinutes(-1));
        failed.LastError = "ConnectWise had a server error (500).";
        db.TicketLinks.AddRange(synced, held, conflicted, failed);
        db.TicketLinks.Add(new TicketLink { ConnectionId = _old, PortalConnectionId = portal, PortalTicketId = "101", PortalSubject = "Old instance", PortalStatus = "open" });
        await db.SaveChangesAsync(Ct);
        _held = held.Id;
        db.TicketLedger.Add(new TicketLedgerEntry { ConnectionId = _connection, TicketLinkId = held.Id, At = now, Subject = "Ticket", Result = LedgerResult.Held, Detail = held.HeldReason });
        await db.SaveChangesAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData(TicketFilter.All, "104,103,102,101")]
    [InlineData(TicketFilter.Held, "102")]
    [InlineData(TicketFilter.Conflicted, "103")]
    [InlineData(TicketFilter.Failed, "104")]
    public async Task ListAsync_ShowsTheActiveConnectionsTickets_NewestFirst_Filtered(TicketFilter filter, string expected)
    {
        var (items, total) = await _tickets.ListAsync(new TicketQuery(filter), Ct);

        Assert.Equal(expected, string.Join(',', items.Select(i => i.PortalTicketId)));
        Assert.Equal(items.Count, total);
    }

    [Fact]
    public async Task ListAsync_PagesOnTheServer_SearchesAndNamesPsaValuesFromTheMirror()
    {
        var page = await _tickets.ListAsync(new TicketQuery(Skip: 1, Take: 2), Ct);
        var found = await _tickets.ListAsync(new TicketQuery(Search: "#9001"), Ct);
        var bySubject = await _tickets.ListAsync(new TicketQuery(Search: "cluster"), Ct);

        Assert.Equal(["103", "102"], page.Items.Select(i => i.PortalTicketId));
        Assert.Equal(4, page.Total);
        var row = Assert.Single(found.Items);
        Assert.Equal(("Contoso Dental", "In Progress"), (row.Company, row.Status));
        Assert.Equal("102", Assert.Single(bySubject.Items).PortalTicketId);
    }

    [Fact]
    public async Task GetAsync_GivesTheTicketWithItsLedger()
    {
        var details = await _tickets.GetAsync(_held, Ct);

        Assert.NotNull(details);
        Assert.Equal(LedgerResult.Held, Assert.Single(details.Ledger).Result);
        Assert.Null(await _tickets.GetAsync(999_999, Ct));
    }

    [Fact]
    public async Task GetByPortalTicketAsync_FindsTheActiveConnectionsTicket_ByItsPortalNumber()
    {
        var details = await _tickets.GetByPortalTicketAsync("102", Ct);
        var synced = await _tickets.GetByPortalTicketAsync("#101", Ct);
        var missing = await _tickets.GetByPortalTicketAsync("999", Ct);

        Assert.Equal(_held, details?.Link.Id);
        Assert.Equal(LedgerResult.Held, Assert.Single(details!.Ledger).Result);
        // 101 exists for the archived connection too; the active connection's ticket is the one shown.
        Assert.Equal("9001", synced?.Link.PsaTicketId);
        Assert.Null(missing);
    }

    [Fact]
    public async Task ResyncAsync_MarksTheTicketAndQueuesItsSync()
    {
        var storage = _app.Services.GetRequiredService<JobStorage>();
        var before = storage.GetMonitoringApi().EnqueuedCount("default");

        var result = await _tickets.ResyncAsync(_held, TestUsers.Support, Ct);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(before + 1, storage.GetMonitoringApi().EnqueuedCount("default"));
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        Assert.True((await db.TicketLinks.SingleAsync(l => l.Id == _held, Ct)).PortalDirty);
    }

    [Fact]
    public async Task SyncNowAndResync_AreRefusedWithAReason_WhenTheSyncIsSwitchedOff()
    {
        await using (var db = PostgresServer.CreateContext(_app.ConnectionString))
        {
            await db.AdvancedSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.SyncEnabled, false), Ct);
        }

        var now = await _tickets.SyncNowAsync(TestUsers.Admin, Ct);
        var resync = await _tickets.ResyncAsync(_held, TestUsers.Admin, Ct);

        Assert.False(now.Succeeded);
        Assert.Contains("switched off", now.Message, StringComparison.Ordinal);
        Assert.False(resync.Succeeded);
    }

    [Fact]
    public async Task ReachFurtherBackAsync_DropsThePortalCursorKeepsThePsaCursorAndQueuesARun_WhenTheDayIsEarlier()
    {
        // Arrange
        var readsFrom = DateTimeOffset.UtcNow.AddDays(-1);
        var psaAfter = DateTimeOffset.UtcNow.AddMinutes(-5);
        await using (var db = PostgresServer.CreateContext(_app.ConnectionString))
        {
            db.TicketSyncCursors.Add(new TicketSyncCursor { ConnectionId = _connection, PortalCursor = "abc", PortalReadsFrom = readsFrom, PsaModifiedAfter = psaAfter, UpdatedAt = readsFrom });
            await db.SaveChangesAsync(Ct);
        }

        var storage = _app.Services.GetRequiredService<JobStorage>();
        var before = storage.GetMonitoringApi().EnqueuedCount("default");
        var before30 = (await _tickets.PortalReachAsync(Ct)).ReadsFrom;
        var from = DateTimeOffset.UtcNow.AddDays(-30);

        // Act
        var result = await _tickets.ReachFurtherBackAsync(from, TestUsers.Admin, Ct);

        // Assert
        Assert.True(result.Succeeded, result.Message);
        Assert.Contains("last 30 days", result.Message, StringComparison.Ordinal);
        Assert.Equal(before + 1, storage.GetMonitoringApi().EnqueuedCount("default"));
        Assert.Equal(readsFrom, before30!.Value, TimeSpan.FromMilliseconds(1));
        var reach = await _tickets.PortalReachAsync(Ct);
        Assert.True(reach.Pending);
        Assert.Equal(from, reach.ReadsFrom!.Value, TimeSpan.FromMilliseconds(1));
        await using var check = PostgresServer.CreateContext(_app.ConnectionString);
        var row = await check.TicketSyncCursors.SingleAsync(c => c.ConnectionId == _connection, Ct);
        Assert.Null(row.PortalCursor);
        Assert.Equal(psaAfter, row.PsaModifiedAfter!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Single(await check.AuditEntries.Where(a => a.Action == "Ticket sync reach changed" && a.Actor == TestUsers.Admin).ToListAsync(Ct));
    }

    [Fact]
    public async Task ReachFurtherBackAsync_RefusesWithAReason_WhenTheDayIsNotEarlierOrNotInThePast()
    {
        // Arrange
        await using (var db = PostgresServer.CreateContext(_app.ConnectionString))
        {
            db.TicketSyncCursors.Add(new TicketSyncCursor { ConnectionId = _connection, PortalCursor = "abc", PortalReadsFrom = DateTimeOffset.UtcNow.AddDays(-10), UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
        }

        // Act
        var later = await _tickets.ReachFurtherBackAsync(DateTimeOffset.UtcNow.AddDays(-7), TestUsers.Admin, Ct);
        var future = await _tickets.ReachFurtherBackAsync(DateTimeOffset.UtcNow.AddDays(1), TestUsers.Admin, Ct);

        // Assert
        Assert.False(later.Succeeded);
        Assert.Contains("earlier day", later.Message, StringComparison.Ordinal);
        Assert.False(future.Succeeded);
        Assert.Contains("Choose a day between", future.Message, StringComparison.Ordinal);
        Assert.False((await _tickets.PortalReachAsync(Ct)).Pending);
    }

    [Fact]
    public async Task LastRunAsync_GivesTheLatestTicketRunStartedAfterTheClick_WithItsStatus()
    {
        // Arrange
        var click = DateTimeOffset.UtcNow;
        var before = await _tickets.LastRunAsync(click, Ct);
        var mine = TicketRun(_connection, click.AddSeconds(1), SyncRunStatus.Running, "tech@example.com");
        await AddRunsAsync(
            TicketRun(_connection, click.AddMinutes(-5), SyncRunStatus.Succeeded, null),
            mine,
            TicketRun(_old, click.AddSeconds(2), SyncRunStatus.Succeeded, null),
            new SyncRun { Id = Guid.NewGuid(), ConnectionId = _connection, Kind = SyncRunKind.Incremental, StartedAt = click.AddSeconds(3), Status = SyncRunStatus.Succeeded });

        // Act
        var running = await _tickets.LastRunAsync(click, Ct);
        await FinishAsync(mine.Id, SyncRunStatus.Succeeded);
        var finished = await _tickets.LastRunAsync(click, Ct);

        // Assert
        Assert.Null(before);
        Assert.Equal((mine.Id, SyncRunStatus.Running, "tech@example.com"), (running!.RunId, running.Status, running.StartedBy));
        Assert.Null(running.AlreadyRunning);
        Assert.Equal((mine.Id, SyncRunStatus.Succeeded), (finished!.RunId, finished.Status));
        Assert.Null(finished.AlreadyRunning);
    }

    [Fact]
    public async Task LastRunAsync_LeadsFromASkippedRunToTheRunningOne_UntilThatOneEnds()
    {
        // Arrange: another server's scheduled run started just before the click and holds the lock, so the queued run is skipped.
        var click = DateTimeOffset.UtcNow;
        var other = TicketRun(_connection, click.AddSeconds(-1), SyncRunStatus.Running, null);
        other.Trigger = SyncTrigger.Scheduled;
        var skipped = TicketRun(_connection, click.AddSeconds(1), SyncRunStatus.Skipped, "tech@example.com");
        await AddRunsAsync(other, skipped);

        // Act
        var whileRunning = await _tickets.LastRunAsync(click, Ct);
        await FinishAsync(other.Id, SyncRunStatus.Succeeded);
        var afterwards = await _tickets.LastRunAsync(click, Ct);

        // Assert
        Assert.Equal((skipped.Id, SyncRunStatus.Skipped), (whileRunning!.RunId, whileRunning.Status));
        var running = whileRunning.AlreadyRunning!;
        Assert.Equal((other.Id, SyncRunStatus.Running, "the schedule"), (running.RunId, running.Status, running.StartedBy));
        Assert.Equal(other.StartedAt, running.StartedAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal((skipped.Id, SyncRunStatus.Skipped), (afterwards!.RunId, afterwards.Status));
        Assert.Null(afterwards.AlreadyRunning);
    }

    private static SyncRun TicketRun(Guid connectionId, DateTimeOffset startedAt, SyncRunStatus status, string? startedBy) => new()
    {
        Id = Guid.NewGuid(), ConnectionId = connectionId, Kind = SyncRunKind.Tickets, Trigger = SyncTrigger.Manual, StartedBy = startedBy,
        StartedAt = startedAt, FinishedAt = status == SyncRunStatus.Running ? null : startedAt, Status = status,
    };

    private async Task AddRunsAsync(params SyncRun[] runs)
    {
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        db.SyncRuns.AddRange(runs);
        await db.SaveChangesAsync(Ct);
    }

    private async Task FinishAsync(Guid runId, SyncRunStatus status)
    {
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        await db.SyncRuns.Where(r => r.Id == runId)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, status).SetProperty(r => r.FinishedAt, DateTimeOffset.UtcNow), Ct);
    }
}

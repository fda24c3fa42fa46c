using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Notifications;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Tickets;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EasyConnect.Tests.Sync.Connections;

/// <summary>Step 2 of an instance change: the background clean-up of an old connection's rows.</summary>
public sealed class ConnectionCleanupTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;
    private readonly Guid _old = Guid.NewGuid();
    private readonly Guid _other = Guid.NewGuid();

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres, services: s => s.AddSingleton<IConnectionDataOwner, RowsOwner>());
        await ExecuteAsync("CREATE TABLE test_rows (connection_id uuid NOT NULL, n int NOT NULL)");
        await ExecuteAsync($"INSERT INTO test_rows SELECT '{_old}', g FROM generate_series(1, 12345) g");
        await ExecuteAsync($"INSERT INTO test_rows SELECT '{_other}', g FROM generate_series(1, 10) g");
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        db.PsaConnections.Add(new PsaConnection
        {
            Id = _old, Kind = PsaKind.ConnectWise, InstanceKey = "old|acme", DisplayName = "old.example / acme",
            State = ConnectionState.Disconnected, CreatedAt = DateTimeOffset.UtcNow.AddDays(-300), CreatedBy = "tests",
        });
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task StartCleanupAsync_DeletesOnlyThatConnectionsRowsAndNotifiesAdmins()
    {
        var connections = _app.Services.GetRequiredService<PsaConnections>();

        var started = await connections.StartCleanupAsync(_old, TestUsers.Admin, Ct);
        var finished = await WaitForStateAsync(ConnectionState.Removed);

        Assert.True(started);
        Assert.Equal(12345, finished.CleanupRowsTotal);
        Assert.Equal(12345, finished.CleanupRowsDeleted);
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM test_rows WHERE connection_id = '{_old}'"));
        Assert.Equal(10L, await ScalarAsync($"SELECT count(*) FROM test_rows WHERE connection_id = '{_other}'"));
        var notes = await _app.Services.GetRequiredService<NotificationCenter>().ListOpenAsync([Roles.Admin], Ct);
        Assert.Contains(notes, n => n.Message.Contains("old.example / acme", StringComparison.Ordinal) && n.Message.Contains("12,345", StringComparison.Ordinal));
        var audit = (await _app.Services.GetRequiredService<AuditLog>().ListAsync(0, 10, null, Ct)).Items;
        Assert.Contains(audit, e => e.Action == "Clean-up of old PSA data started" && e.Actor == TestUsers.Admin);
    }

    [Fact]
    public async Task RunAsync_ReportsProgressThatRisesToExactlyTheTotalAndNeverPastIt_WhenCursorsAndNotesAreDeletedToo()
    {
        // Rows of the mirror's cursors and of the ticket sync's links and notes, beside the plain rows.
        await using (var db = PostgresServer.CreateContext(_app.ConnectionString))
        {
            foreach (var entity in new[] { PsaEntity.Boards, PsaEntity.Members, PsaEntity.Tickets })
            {
                db.SyncCursors.Add(new SyncCursor { ConnectionId = _old, Entity = entity, LastModified = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
            }

            var link = new TicketLink { ConnectionId = _old, PortalConnectionId = Guid.NewGuid(), PortalTicketId = "7", PortalStatus = "open" };
            db.TicketLinks.Add(link);
            await db.SaveChangesAsync(Ct);
            db.NoteLinks.AddRange(
                new NoteLink { ConnectionId = _old, TicketLinkId = link.Id, PortalCommentId = "1", Excerpt = "one", CreatedAt = DateTimeOffset.UtcNow },
                new NoteLink { ConnectionId = _old, TicketLinkId = link.Id, PortalCommentId = "2", Excerpt = "two", CreatedAt = DateTimeOffset.UtcNow });
            await db.PsaConnections.Where(c => c.Id == _old).ExecuteUpdateAsync(u => u.SetProperty(c => c.State, ConnectionState.CleaningUp), Ct);
            await db.SaveChangesAsync(Ct);
        }

        var reports = new List<ConnectionCleanupProgress>();

        var deleted = await _app.Services.GetRequiredService<ConnectionCleanup>().RunAsync(_old, new SynchronousProgress(reports.Add), Ct);

        const long expected = 12345 + 3 + 1 + 2;
        Assert.Equal(expected, deleted);
        Assert.True(reports.Count > 2);
        Assert.All(reports, r => Assert.Equal(expected, r.Total));
        Assert.All(reports, r => Assert.InRange(r.Deleted, 0, r.Total));
        Assert.Equal(reports.Select(r => r.Deleted).Order(), reports.Select(r => r.Deleted));
        Assert.Equal(0, reports[0].Deleted);
        Assert.Equal(expected, reports[^1].Deleted);
        await using var check = PostgresServer.CreateContext(_app.ConnectionString);
        var finished = await check.PsaConnections.AsNoTracking().SingleAsync(c => c.Id == _old, Ct);
        Assert.Equal((expected, expected), (finished.CleanupRowsDeleted, finished.CleanupRowsTotal));
    }

    [Fact]
    public async Task ArchiveAsync_KeepsRowsAndRefusesLaterCleanup()
    {
        var connections = _app.Services.GetRequiredService<PsaConnections>();

        var archived = await connections.ArchiveAsync(_old, TestUsers.Admin, Ct);
        var cleanup = await connections.StartCleanupAsync(_old, TestUsers.Admin, Ct);

        Assert.True(archived);
        Assert.False(cleanup);
        Assert.Equal(12345L, await ScalarAsync($"SELECT count(*) FROM test_rows WHERE connection_id = '{_old}'"));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<PsaConnection> WaitForStateAsync(ConnectionState state)
    {
        for (var i = 0; i < 1200; i++)
        {
            await using var db = PostgresServer.CreateContext(_app.ConnectionString);
            var c = await db.PsaConnections.AsNoTracking().SingleAsync(x => x.Id == _old, Ct);
            if (c.State == state)
            {
                return c;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail($"The connection never reached {state}.");
        return null!;
    }

    private Task ExecuteAsync(string sql) => ScalarAsync(sql);

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_app.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed class SynchronousProgress(Action<ConnectionCleanupProgress> report) : IProgress<ConnectionCleanupProgress>
    {
        public void Report(ConnectionCleanupProgress value) => report(value);
    }

    /// <summary>A data owner over a plain table, the way the mirror and the ticket links own theirs.</summary>
    private sealed class RowsOwner(IDbContextFactory<EasyConnect.Sync.Persistence.EasyConnectDbContext> dbFactory) : IConnectionDataOwner
    {
        public string Name => "test rows";

        public async Task<long> CountAsync(Guid connectionId, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Database.SqlQuery<long>($"SELECT count(*) AS \"Value\" FROM test_rows WHERE connection_id = {connectionId}").SingleAsync(cancellationToken);
        }

        public async Task<long> DeleteBatchAsync(Guid connectionId, int batchSize, CancellationToken cancellationToken)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await db.Database.ExecuteSqlAsync(
                $"DELETE FROM test_rows WHERE ctid IN (SELECT ctid FROM test_rows WHERE connection_id = {connectionId} LIMIT {batchSize})", cancellationToken);
        }
    }
}

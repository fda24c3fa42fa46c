using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Settings;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.PsaSync;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace EasyConnect.Tests.Sync.Persistence;

/// <summary>The PsaScopes migration on a database holding the schema and data of the release before it.</summary>
public sealed class PsaScopesMigrationTests(PostgresServer postgres) : IAsyncLifetime
{
    // The last migration before statuses and priorities had scopes.
    private const string Before = "20261201230818_SignInSettings";
    private const string Scopes = "PsaScopes";

    private static readonly string[] PortalStatuses = ["new", "open", "pending", "hold", "solved", "closed"];

    private readonly Guid _connection = Guid.NewGuid();
    private MirrorSandbox _sandbox = default!;
    private string _database = "";
    private string _board = "";
    private IReadOnlyList<PsaStatus> _statuses = [];
    private IReadOnlyList<PsaPriority> _priorities = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await MirrorSandbox.StartAsync(configurations: 5);
        _database = await postgres.CreateEmptyDatabaseAsync();
        await using (var db = PostgresServer.CreateContext(_database))
        {
            await db.GetService<IMigrator>().MigrateAsync(Before, Ct);
        }

        // What a mirror holds today: the sandbox's statuses with their board, its priorities.
        var client = await _sandbox.GetClientAsync(_connection, Ct);
        _statuses = await ReadAllAsync<PsaStatus>(client, PsaEntity.Statuses);
        _priorities = await ReadAllAsync<PsaPriority>(client, PsaEntity.Priorities);
        _board = _statuses.GroupBy(s => s.ScopeId!).First(g => g.Count() >= PortalStatuses.Length).Key;
    }

    public async ValueTask DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task Migrate_KeepsMirroredStatusBoardsAndConfirmedMaps_WhenTheDatabaseHoldsTodaysData()
    {
        var boardStatuses = _statuses.Where(s => s.ScopeId == _board).Take(PortalStatuses.Length).ToList();
        var statusMap = PortalStatuses.Zip(boardStatuses, (portal, status) => (portal, status.Id)).ToDictionary(p => p.portal, p => p.Id);
        var priorityMap = new[] { "low", "normal", "high", "urgent" }.Zip(_priorities, (portal, priority) => (portal, priority.Id)).ToDictionary(p => p.portal, p => p.Id);
        await InsertTodaysDataAsync(statusMap, priorityMap);

        await using (var db = PostgresServer.CreateContext(_database))
        {
            await db.Database.MigrateAsync(Ct);
        }

        await using var after = PostgresServer.CreateContext(_database);
        var mirrored = await after.PsaStatuses.AsNoTracking().Where(s => s.ConnectionId == _connection).ToDictionaryAsync(s => s.PsaId, s => s.ScopeId, Ct);
        Assert.Equal(_statuses.ToDictionary(s => s.Id, s => s.ScopeId), mirrored);
        Assert.Equal(_priorities.Count, await after.PsaPriorities.CountAsync(p => p.ConnectionId == _connection && p.ScopeId == null, Ct));
        var settings = await after.AdvancedSettings.AsNoTracking().SingleAsync(s => s.ConnectionId == _connection, Ct);
        Assert.Equal(_board, settings.StatusScopeId);
        Assert.Null(settings.PriorityScopeId);
        Assert.Equal(statusMap, settings.StatusMap);
        Assert.Equal(statusMap, settings.StatusMapFor(_board));
        Assert.Equal(priorityMap, settings.PriorityMap);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), settings.ConfirmedAt);
        Assert.Empty(AdvancedSettingsStore.Unmapped(settings));
    }

    [Fact]
    public async Task MirrorRun_SucceedsAndKeepsTheMappedStatusesInTheirBoard_AfterTheMigration()
    {
        var statusMap = PortalStatuses.Zip(_statuses.Where(s => s.ScopeId == _board), (portal, status) => (portal, status.Id)).ToDictionary(p => p.portal, p => p.Id);
        await InsertTodaysDataAsync(statusMap, new Dictionary<string, string> { ["normal"] = _priorities[0].Id });
        await using (var db = PostgresServer.CreateContext(_database))
        {
            await db.Database.MigrateAsync(Ct);
        }

        await using var mirror = new MirrorHarness(_database, _sandbox);
        var result = await mirror.FullAsync(_connection);

        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        await using var after = PostgresServer.CreateContext(_database);
        var settings = await after.AdvancedSettings.AsNoTracking().SingleAsync(s => s.ConnectionId == _connection, Ct);
        var inScope = await after.PsaStatuses.AsNoTracking()
            .Where(s => s.ConnectionId == _connection && s.ScopeId == settings.StatusScopeId).Select(s => s.PsaId).ToListAsync(Ct);
        Assert.All(settings.StatusMap.Values, id => Assert.Contains(id, inScope));
    }

    [Fact]
    public async Task MigrateDown_GivesBackTheFlatMaps_WhenThePsaScopesMigrationIsUndone()
    {
        var statusMap = new Dictionary<string, string> { ["new"] = _statuses[0].Id };
        var priorityMap = new Dictionary<string, string> { ["urgent"] = _priorities[0].Id };
        await InsertTodaysDataAsync(statusMap, priorityMap);
        await using var db = PostgresServer.CreateContext(_database);
        await db.GetService<IMigrator>().MigrateAsync(Scopes, Ct);

        await db.GetService<IMigrator>().MigrateAsync(Before, Ct);

        Assert.Equal("{\"new\": \"" + _statuses[0].Id + "\"}", await ScalarAsync("SELECT status_map_json::text FROM advanced_settings"));
        Assert.Equal("{\"urgent\": \"" + _priorities[0].Id + "\"}", await ScalarAsync("SELECT priority_map_json::text FROM advanced_settings"));
        Assert.Equal(_statuses[0].ScopeId, await ScalarAsync($"SELECT board_id FROM psa_statuses WHERE psa_id = '{_statuses[0].Id}'"));
    }

    /// <summary>Today's rows, written with today's columns: a ConnectWise connection, its mirrored statuses and priorities, confirmed flat maps.</summary>
    private async Task InsertTodaysDataAsync(Dictionary<string, string> statusMap, Dictionary<string, string> priorityMap)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command("""
            INSERT INTO psa_connections (id, kind, instance_key, display_name, state, settings_json, created_at, created_by, cleanup_rows_total, cleanup_rows_deleted)
            VALUES ($1, 'ConnectWise', 'sandbox|easyconnect', 'sandbox — easyconnect', 'Active', '{}', now(), 'tests', 0, 0)
            """, _connection));
        foreach (var s in _statuses)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO psa_statuses (connection_id, psa_id, board_id, name, closed, inactive, sort, last_modified, raw, seen_run_id, synced_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '{}', $9, now())
                """, _connection, s.Id, s.ScopeId!, s.Name, s.Closed, s.Inactive, s.SortOrder, s.LastModified, Guid.Empty));
        }

        foreach (var p in _priorities)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO psa_priorities (connection_id, psa_id, name, sort, last_modified, raw, seen_run_id, synced_at)
                VALUES ($1, $2, $3, $4, $5, '{}', $6, now())
                """, _connection, p.Id, p.Name, p.SortOrder, p.LastModified, Guid.Empty));
        }

        batch.BatchCommands.Add(Command("""
            INSERT INTO advanced_settings (connection_id, default_board_id, priority_map_json, status_map_json, cluster_id_match, cluster_id_custom_field,
                                           ticket_sync_minutes, sync_enabled, confirmed_at, confirmed_by)
            VALUES ($1, $2, $3::jsonb, $4::jsonb, 'CustomField', 'ClusterID', 5, true, '2026-11-30T09:00:00Z', 'admin@msp.example')
            """, _connection, _board, System.Text.Json.JsonSerializer.Serialize(priorityMap), System.Text.Json.JsonSerializer.Serialize(statusMap)));
        await batch.ExecuteNonQueryAsync(Ct);

        static NpgsqlBatchCommand Command(string sql, params object[] values)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            return command;
        }
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync(Ct);
    }

    private static async Task<IReadOnlyList<T>> ReadAllAsync<T>(IPsaClient client, PsaEntity entity)
    {
        var all = new List<T>();
        await foreach (var page in client.ReadAsync(entity, null, Ct))
        {
            all.AddRange(page.Cast<T>());
        }

        return all;
    }
}

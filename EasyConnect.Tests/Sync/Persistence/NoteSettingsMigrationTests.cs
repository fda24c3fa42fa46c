using EasyConnect.Sync.Settings;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace EasyConnect.Tests.Sync.Persistence;

/// <summary>
/// The NoteSettingsAndUnnamedConfigurations migration on a database holding the schema and data of the release before it: mirrored
/// Autotask configuration items without a reference title become unnamed, everything else keeps its name, and saved settings get empty
/// note settings.
/// </summary>
public sealed class NoteSettingsMigrationTests(PostgresServer postgres) : IAsyncLifetime
{
    // The last migration before note settings and unnamed configurations.
    private const string Before = "20261202023708_TicketOwnWrites";

    private readonly Guid _autotask = Guid.NewGuid();
    private readonly Guid _connectWise = Guid.NewGuid();
    private string _database = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await postgres.CreateEmptyDatabaseAsync();
        await using var db = PostgresServer.CreateContext(_database);
        await db.GetService<IMigrator>().MigrateAsync(Before, Ct);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Migrate_MarksOnlyAutotaskItemsWithoutAReferenceTitleUnnamed_AndKeepsEveryRowAndSetting()
    {
        // Arrange
        await InsertTodaysDataAsync();

        // Act
        await using (var db = PostgresServer.CreateContext(_database))
        {
            await db.Database.MigrateAsync(Ct);
        }

        // Assert
        await using var after = PostgresServer.CreateContext(_database);
        var rows = await after.PsaConfigurations.AsNoTracking().OrderBy(c => c.PsaId).Select(c => new { c.ConnectionId, c.PsaId, c.Name, c.SerialNumber, c.Unnamed }).ToListAsync(Ct);
        Assert.Equal(
            [("1", "Server-01", false), ("2", "SN-2", true), ("3", "SN-3", true), ("4", "NAS", false), ("5", "SN-5", false)],
            rows.Select(r => (r.PsaId, r.Name, r.Unnamed)));
        Assert.Equal([_autotask, _autotask, _autotask, _connectWise, _connectWise], rows.Select(r => r.ConnectionId));
        var settings = await after.AdvancedSettings.AsNoTracking().SingleAsync(s => s.ConnectionId == _autotask, Ct);
        Assert.Empty(settings.NoteOptions);
        Assert.Equal((ClusterIdMatch.Name, "x"), (settings.ClusterIdMatch, settings.ClusterIdCustomField));
        Assert.Equal(new Dictionary<string, string> { ["new"] = "1" }, settings.StatusMap);
    }

    [Fact]
    public async Task MigrateDown_DropsTheNewColumns_AndKeepsTheRows()
    {
        // Arrange
        await InsertTodaysDataAsync();
        await using var db = PostgresServer.CreateContext(_database);
        await db.Database.MigrateAsync(Ct);

        // Act
        await db.GetService<IMigrator>().MigrateAsync(Before, Ct);

        // Assert
        Assert.Equal(5L, await ScalarAsync("SELECT count(*) FROM psa_configurations"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE column_name IN ('unnamed', 'note_options_json')"));
    }

    /// <summary>Today's rows, written with today's columns: an Autotask and a ConnectWise connection, their mirrored configurations, saved settings.</summary>
    private async Task InsertTodaysDataAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        await using var batch = new NpgsqlBatch(connection);
        // One connection is active at a time: the ConnectWise one is the instance used before.
        foreach (var (id, kind, state) in new[] { (_autotask, "Autotask", "Active"), (_connectWise, "ConnectWise", "Archived") })
        {
            batch.BatchCommands.Add(Command($$"""
                INSERT INTO psa_connections (id, kind, instance_key, display_name, state, settings_json, created_at, created_by, cleanup_rows_total, cleanup_rows_deleted)
                VALUES ($1, '{{kind}}', '{{kind.ToLowerInvariant()}}|tests', '{{kind}} tests', '{{state}}', '{}', now(), 'tests', 0, 0)
                """, id));
        }

        // Autotask: a titled item, one whose title is missing and one whose title is blank (both shown by serial number).
        // ConnectWise: its names are its own, even one that equals its serial number.
        var rows = new (Guid Connection, string Id, string Name, string Raw)[]
        {
            (_autotask, "1", "Server-01", """{"id":1,"referenceTitle":"Server-01","serialNumber":"SN-1"}"""),
            (_autotask, "2", "SN-2", """{"id":2,"serialNumber":"SN-2"}"""),
            (_autotask, "3", "SN-3", """{"id":3,"referenceTitle":"  ","serialNumber":"SN-3"}"""),
            (_connectWise, "4", "NAS", """{"id":4,"name":"NAS","serialNumber":"SN-4"}"""),
            (_connectWise, "5", "SN-5", """{"id":5,"name":"SN-5","serialNumber":"SN-5"}"""),
        };
        foreach (var (connectionId, id, name, raw) in rows)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO psa_configurations (connection_id, psa_id, name, company_id, serial_number, tag_number, custom_fields, active, last_modified, raw, seen_run_id, synced_at)
                VALUES ($1, $2, $3, '7', $4, NULL, '{"ClusterID":"CL-1"}', true, now(), $5::jsonb, $6, now())
                """, connectionId, id, name, "SN-" + id, raw, Guid.Empty));
        }

        batch.BatchCommands.Add(Command("""
            INSERT INTO advanced_settings (connection_id, default_board_id, priority_map_json, status_map_json, cluster_id_match, cluster_id_custom_field,
                                           ticket_sync_minutes, sync_enabled, confirmed_at, confirmed_by)
            VALUES ($1, '29682833', '{}'::jsonb, '{"": {"new": "1"}}'::jsonb, 'Name', 'x', 5, true, '2026-12-01T09:00:00Z', 'admin@msp.example')
            """, _autotask));
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

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }
}

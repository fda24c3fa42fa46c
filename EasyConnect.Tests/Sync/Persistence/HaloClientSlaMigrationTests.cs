using EasyConnect.Sync.Psa;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace EasyConnect.Tests.Sync.Persistence;

/// <summary>
/// The HaloClientSla migration on a database holding the schema and data of the release before it: every mirrored company is kept,
/// with no SLA yet, and only a Halo connection's company cursor starts again from the beginning, so its next read fills in the SLAs.
/// </summary>
public sealed class HaloClientSlaMigrationTests(PostgresServer postgres) : IAsyncLifetime
{
    // The last migration before a company's priority scope.
    private const string Before = "20261207130250_NoteSettingsAndUnnamedConfigurations";

    private static readonly DateTimeOffset Cursor = new(2026, 12, 6, 8, 30, 0, TimeSpan.Zero);

    private readonly Guid _halo = Guid.NewGuid();
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
    public async Task Migrate_KeepsEveryCompanyWithoutAScope_AndRestartsOnlyHalosCompanyCursor()
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
        var companies = await after.PsaCompanies.AsNoTracking().OrderBy(c => c.PsaId).Select(c => new { c.ConnectionId, c.PsaId, c.Name, c.PriorityScopeId }).ToListAsync(Ct);
        Assert.Equal([("12", "Contoso Dental", (string?)null), ("13", "Fabrikam Logistics", null), ("250", "Northwind", null)],
            companies.Select(c => (c.PsaId, c.Name, c.PriorityScopeId)));
        Assert.Equal([_halo, _halo, _connectWise], companies.Select(c => c.ConnectionId));
        var cursors = await after.SyncCursors.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(DateTimeOffset.UnixEpoch, cursors.Single(c => c.ConnectionId == _halo && c.Entity == PsaEntity.Companies).LastModified);
        Assert.Equal("", cursors.Single(c => c.ConnectionId == _halo && c.Entity == PsaEntity.Companies).LastId);
        Assert.Equal((Cursor, "2001"), cursors.Where(c => c.ConnectionId == _halo && c.Entity == PsaEntity.Tickets).Select(c => (c.LastModified, c.LastId)).Single());
        Assert.Equal((Cursor, "250"), cursors.Where(c => c.ConnectionId == _connectWise && c.Entity == PsaEntity.Companies).Select(c => (c.LastModified, c.LastId)).Single());
    }

    [Fact]
    public async Task MigrateDown_DropsTheScopeColumn_AndKeepsTheCompanies()
    {
        // Arrange
        await InsertTodaysDataAsync();
        await using var db = PostgresServer.CreateContext(_database);
        await db.Database.MigrateAsync(Ct);

        // Act
        await db.GetService<IMigrator>().MigrateAsync(Before, Ct);

        // Assert
        Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM psa_companies"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_name = 'psa_companies' AND column_name = 'priority_scope_id'"));
    }

    /// <summary>Today's rows, written with today's columns: a Halo and a ConnectWise connection, their mirrored companies and cursors.</summary>
    private async Task InsertTodaysDataAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync(Ct);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var (id, kind, state) in new[] { (_halo, "Halo", "Active"), (_connectWise, "ConnectWise", "Archived") })
        {
            batch.BatchCommands.Add(Command($$"""
                INSERT INTO psa_connections (id, kind, instance_key, display_name, state, settings_json, created_at, created_by, cleanup_rows_total, cleanup_rows_deleted)
                VALUES ($1, '{{kind}}', '{{kind.ToLowerInvariant()}}|tests', '{{kind}} tests', '{{state}}', '{}', now(), 'tests', 0, 0)
                """, id));
        }

        foreach (var (connectionId, id, name) in new[] { (_halo, "12", "Contoso Dental"), (_halo, "13", "Fabrikam Logistics"), (_connectWise, "250", "Northwind") })
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO psa_companies (connection_id, psa_id, identifier, name, inactive, last_modified, raw, seen_run_id, synced_at)
                VALUES ($1, $2, $2, $3, false, now(), '{"main_site_id": 1}'::jsonb, $4, now())
                """, connectionId, id, name, Guid.Empty));
        }

        foreach (var (connectionId, entity, lastId) in new[] { (_halo, "Companies", "13"), (_halo, "Tickets", "2001"), (_connectWise, "Companies", "250") })
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO psa_sync_cursors (connection_id, entity, last_modified, last_id, updated_at) VALUES ($1, $2, $3, $4, now())
                """, connectionId, entity, Cursor, lastId));
        }

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

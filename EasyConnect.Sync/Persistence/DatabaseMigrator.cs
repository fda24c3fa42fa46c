using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EasyConnect.Sync.Persistence;

/// <summary>
/// Applies pending migrations before anything else starts. Several processes may start at once against
/// one database, so the work is serialised by a PostgreSQL advisory lock held on its own connection.
/// </summary>
internal sealed class DatabaseMigrator(
    IServiceProvider services,
    IOptions<PersistenceOptions> options,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    // Any constant works as long as every EasyConnect process uses the same one.
    private const long MigrationLockKey = 0x45617379_436f6e6e;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.MigrateOnStartup)
        {
            return;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EasyConnectDbContext>();
        await using var lockConnection = new NpgsqlConnection(db.Database.GetConnectionString());
        await lockConnection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", lockConnection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        // MigrateAsync checks for the history table itself; asking for pending migrations first would make
        // EF log a failed query against a table that does not exist yet on a fresh database.
        var before = await db.Database.CanConnectAsync(cancellationToken) ? await AppliedCountAsync(db, cancellationToken) : 0;
        await db.Database.MigrateAsync(cancellationToken);
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        if (applied.Count > before)
        {
            logger.LogInformation("Applied {Count} database migration(s); the schema is at {Latest}", applied.Count - before, applied[^1]);
        }

        // Closing the connection releases the advisory lock.
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<int> AppliedCountAsync(EasyConnectDbContext db, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT CASE WHEN to_regclass('ef_migrations_history') IS NULL THEN 0 ELSE (SELECT count(*) FROM ef_migrations_history) END", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}

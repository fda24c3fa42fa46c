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
        var before = await HistoryExistsAsync(lockConnection, cancellationToken)
            ? (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Count()
            : 0;
        await db.Database.MigrateAsync(cancellationToken);
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        if (applied.Count > before)
        {
            logger.LogInformation("Applied {Count} database migration(s); the schema is at {Latest}", applied.Count - before, applied[^1]);
        }

        // Closing the connection releases the advisory lock.
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<bool> HistoryExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass('ef_migrations_history') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

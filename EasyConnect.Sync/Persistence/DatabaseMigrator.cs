using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
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

        // On a fresh database Npgsql's MigrateAsync reads the history table before it exists and EF logs that failed
        // query as an error (npgsql/efcore.pg#3407), a "fail:" line on every first start. Creating the table first avoids it.
        var before = 0;
        if (await HistoryExistsAsync(lockConnection, cancellationToken))
        {
            before = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Count();
        }
        else
        {
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        }

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

using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Persistence.Embedded;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EasyConnect.Benchmarks.Infrastructure;

/// <summary>
/// A throw-away cluster made by the product's own embedded PostgreSQL launcher (as root it runs the server as the
/// <c>postgres</c> user), with EasyConnect's schema migrated; removed when disposed.
/// </summary>
internal sealed class BenchmarkDatabase : IAsyncDisposable
{
    private readonly EmbeddedPostgres _server;
    private readonly string _folder;

    private BenchmarkDatabase(EmbeddedPostgres server, string folder, string version)
    {
        _server = server;
        _folder = folder;
        Version = version;
    }

    public string ConnectionString => _server.ConnectionString;

    /// <summary>The server's version, for the report.</summary>
    public string Version { get; }

    /// <summary>Whether commits wait for the disk, as in the app's default configuration.</summary>
    public bool Durable { get; private init; }

    public static async Task<BenchmarkDatabase> StartAsync(CancellationToken cancellationToken)
    {
        // One folder for every run of this checkout: a run that was killed left its cluster here, and the launcher stops such an
        // orphan on start. Named after the checkout, so a run in another worktree on the same machine is never taken for one.
        var checkout = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AppContext.BaseDirectory)))[..12];
        var folder = Path.Combine(Path.GetTempPath(), "easyconnect-benchmark-" + checkout.ToLowerInvariant());
        // Durable as the app runs it by default: a commit costs what it costs in production.
        var options = new EmbeddedPostgresOptions { DataDirectory = folder, DatabaseName = "easyconnect_benchmark", Durable = true };
        var server = new EmbeddedPostgres(options, Path.GetTempPath());
        await server.StartAsync(cancellationToken);
        try
        {
            await RecreateDatabaseAsync(server, options.DatabaseName, cancellationToken);
            await using (var db = CreateContext(server.ConnectionString))
            {
                await db.Database.MigrateAsync(cancellationToken);
            }

            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return new BenchmarkDatabase(server, folder, connection.PostgreSqlVersion.ToString()) { Durable = options.Durable };
        }
        catch
        {
            await server.StopAsync();
            throw;
        }
    }

    private static async Task RecreateDatabaseAsync(EmbeddedPostgres server, string database, CancellationToken cancellationToken)
    {
        // The launcher reuses a cluster a killed run left behind: start from an empty database all the same.
        await using (var connection = new NpgsqlConnection(server.BuildConnectionString("postgres")))
        {
            await connection.OpenAsync(cancellationToken);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        NpgsqlConnection.ClearAllPools();
        await server.CreateDatabaseAsync(database, cancellationToken);
    }

    public static EasyConnectDbContext CreateContext(string connectionString) => new(new DbContextOptionsBuilder<EasyConnectDbContext>()
        .UseNpgsql(connectionString, o => o.MigrationsHistoryTable("ef_migrations_history"))
        .UseSnakeCaseNamingConvention()
        .Options);

    public EasyConnectDbContext CreateContext() => CreateContext(ConnectionString);

    public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _server.StopAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A folder left behind is harmless: the next run reuses it and empties the database.
        }
    }
}

using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Persistence.Embedded;
using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Npgsql;

[assembly: AssemblyFixture(typeof(EasyConnect.Tests.Support.PostgresServer))]

namespace EasyConnect.Tests.Support;

/// <summary>
/// One embedded PostgreSQL cluster for the whole test run, made by the product's own launcher. A template
/// database holds the migrated schema and Hangfire's tables; each test class gets its own copy, which
/// PostgreSQL makes in milliseconds, so tests never see one another's rows.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string Template = "ec_template";
    private static int _counter;
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"easyconnect-tests-{Environment.ProcessId}");

    public EmbeddedPostgres Server { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }

        Server = new EmbeddedPostgres(new EmbeddedPostgresOptions
        {
            DataDirectory = _folder,
            DatabaseName = Template,
            Durable = false,
            MaxConnections = 400,
        }, Path.GetTempPath());
        await Server.StartAsync();

        await using var db = CreateContext(Server.BuildConnectionString(Template));
        await db.Database.MigrateAsync();
        await using var connection = new NpgsqlConnection(Server.BuildConnectionString(Template));
        await connection.OpenAsync();
        PostgreSqlObjectsInstaller.Install(connection, "hangfire");
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A fresh database with the current schema; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var name = $"{prefix ?? "ec"}_{Interlocked.Increment(ref _counter)}".ToLowerInvariant();
        // Copying a template needs it free of other sessions, the other copies included.
        await _createGate.WaitAsync();
        try
        {
            await Server.CreateDatabaseAsync(name, template: Template);
        }
        finally
        {
            _createGate.Release();
        }

        // Each test makes a database with a pool of its own; idle connections of finished tests are closed within
        // seconds instead of Npgsql's five minutes, or the run would exhaust max_connections.
        return new NpgsqlConnectionStringBuilder(Server.BuildConnectionString(name))
        {
            ConnectionIdleLifetime = 5,
            ConnectionPruningInterval = 1,
        }.ConnectionString;
    }

    /// <summary>An empty database, as a first install sees it; returns its connection string.</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = $"empty_{Interlocked.Increment(ref _counter)}";
        await Server.CreateDatabaseAsync(name);
        return new NpgsqlConnectionStringBuilder(Server.BuildConnectionString(name)) { ConnectionIdleLifetime = 5, ConnectionPruningInterval = 1 }.ConnectionString;
    }

    public static EasyConnectDbContext CreateContext(string connectionString) => new(new DbContextOptionsBuilder<EasyConnectDbContext>()
        .UseNpgsql(connectionString, o => o.MigrationsHistoryTable("ef_migrations_history"))
        .UseSnakeCaseNamingConvention()
        .Options);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Server.StopAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless; the next run with this pid starts clean.
        }
    }
}

using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EasyConnect.Tests.Sync.PsaSync;

/// <summary>One EasyConnect "process" of the mirror: the engine and the mirror over a real database, reading the sandbox.</summary>
internal sealed class MirrorHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public MirrorHarness(string connectionString, IPsaClientProvider clients, Action<PsaSyncOptions>? options = null)
    {
        ConnectionString = connectionString;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddDbContextFactory<EasyConnectDbContext>(o => o
            .UseNpgsql(connectionString, n => n.MigrationsHistoryTable("ef_migrations_history"))
            .UseSnakeCaseNamingConvention());
        services.AddOptions<PsaSyncOptions>().Configure(o => options?.Invoke(o));
        services.AddSingleton(clients);
        services.AddSingleton<PsaSyncEngine>();
        services.AddSingleton<PsaMirror>();
        _services = services.BuildServiceProvider();
    }

    public string ConnectionString { get; }

    public PsaSyncEngine Engine => _services.GetRequiredService<PsaSyncEngine>();

    public PsaMirror Mirror => _services.GetRequiredService<PsaMirror>();

    public static async Task<Guid> AddConnectionAsync(
        string connectionString, string instance = "sandbox|easyconnect", ConnectionState state = ConnectionState.Active, PsaKind kind = PsaKind.ConnectWise)
    {
        await using var db = PostgresServer.CreateContext(connectionString);
        var connection = new PsaConnection
        {
            Id = Guid.NewGuid(), Kind = kind, InstanceKey = instance, DisplayName = instance,
            State = state, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "tests",
        };
        db.PsaConnections.Add(connection);
        await db.SaveChangesAsync();
        return connection.Id;
    }

    public Task<SyncRunResult> IncrementalAsync(Guid connection, params PsaEntity[] entities) =>
        Engine.RunAsync(connection, new SyncRunRequest(SyncRunKind.Incremental, Entities: entities.Length == 0 ? null : entities), TestContext.Current.CancellationToken);

    public Task<SyncRunResult> FullAsync(Guid connection, Guid? confirms = null, params PsaEntity[] entities) =>
        Engine.RunAsync(connection, new SyncRunRequest(SyncRunKind.Full, ConfirmsRunId: confirms, Entities: entities.Length == 0 ? null : entities), TestContext.Current.CancellationToken);

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public EasyConnectDbContext Db() => PostgresServer.CreateContext(ConnectionString);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

using System.Diagnostics;
using EasyConnect.Sync.Persistence.Embedded;
using Npgsql;

namespace EasyConnect.Tests.Sync.Persistence;

/// <summary>The launcher behind `dotnet run` on a fresh machine; each test gets its own cluster folder.</summary>
public sealed class EmbeddedPostgresTests : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ec-launcher-{Guid.NewGuid():N}");
    private readonly List<EmbeddedPostgres> _servers = [];

    [Fact]
    public async Task StartAsync_CreatesClusterAndDatabase_WhenFolderIsEmpty()
    {
        var server = NewServer();

        await server.StartAsync(TestContext.Current.CancellationToken);

        Assert.True(File.Exists(Path.Combine(server.ClusterDirectory, "PG_VERSION")));
        Assert.Equal("easyconnect", await ScalarAsync(server, "SELECT current_database()"));
    }

    [Fact]
    public async Task StartAsync_ReusesClusterAndKeepsData_WhenStartedAgain()
    {
        var first = NewServer();
        await first.StartAsync(TestContext.Current.CancellationToken);
        await ScalarAsync(first, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here'); SELECT 1");
        await first.StopAsync();

        var second = NewServer();
        await second.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal("still here", await ScalarAsync(second, "SELECT v FROM kept"));
    }

    [Fact]
    public async Task StartAsync_Starts_WhenStalePidFileNamesAProcessThatIsNotPostgres()
    {
        var first = NewServer();
        await first.StartAsync(TestContext.Current.CancellationToken);
        await first.StopAsync();
        // What a crash leaves: a pid file whose pid now belongs to some other process (here: this test run).
        var pidFile = Path.Combine(first.ClusterDirectory, "postmaster.pid");
        await File.WriteAllTextAsync(pidFile, $"{Environment.ProcessId}\n{first.ClusterDirectory}\n0\n5432\n", TestContext.Current.CancellationToken);

        var second = NewServer();
        await second.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, await ScalarAsync(second, "SELECT 1"));
    }

    [Fact]
    public async Task StartAsync_TakesOverCluster_WhenAnEarlierRunDiedWithoutStoppingItsServer()
    {
        var crashed = NewServer();
        await crashed.StartAsync(TestContext.Current.CancellationToken);
        // The app died: its server runs on, unowned. Forget it without stopping it.
        _servers.Remove(crashed);

        var next = NewServer();
        await next.StartAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, await ScalarAsync(next, "SELECT 1"));
        Assert.NotEqual(crashed.Port, next.Port);
    }

    [Fact]
    public async Task StartAsync_ExplainsWhatToInstall_WhenBinariesAreMissing()
    {
        var server = NewServer(o =>
        {
            o.BinDirectory = Path.Combine(_folder, "no-such-bin");
            o.SearchDefaultLocations = false;
        });

        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(() => server.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("initdb", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__EasyConnect", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "data")));
    }

    [Fact]
    public async Task StartAsync_RunsServerAsPostgresUser_WhenStartedAsRoot()
    {
        Assert.SkipUnless(Environment.UserName == "root", "Only a process running as root hands the server to another OS user.");
        var server = NewServer();

        await server.StartAsync(TestContext.Current.CancellationToken);

        var pid = int.Parse(File.ReadLines(Path.Combine(server.ClusterDirectory, "postmaster.pid")).First());
        var uid = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
        Assert.Equal(await OutputAsync("id", "-u", "postgres"), uid);
        Assert.True(server.RunsAsOtherUser);
    }

    private EmbeddedPostgres NewServer(Action<EmbeddedPostgresOptions>? configure = null)
    {
        var options = new EmbeddedPostgresOptions { DataDirectory = _folder, Durable = false };
        configure?.Invoke(options);
        var server = new EmbeddedPostgres(options, Path.GetTempPath());
        _servers.Add(server);
        return server;
    }

    private static async Task<object?> ScalarAsync(EmbeddedPostgres server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task<string> OutputAsync(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.StopAsync();
        }

        if (Directory.Exists(_folder))
        {
            // The orphan of the crash test is stopped by the launcher that took over; clean the folder as root can.
            Directory.Delete(_folder, recursive: true);
        }
    }
}

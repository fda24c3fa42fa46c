using System.Net;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Tests.Support;

/// <summary>
/// The real EasyConnect app on a loopback Kestrel port, on its own database of the test cluster.
/// Browsers and HTTP clients talk to <see cref="BaseAddress"/> like they would to a deployed instance.
/// </summary>
public sealed class EasyConnectApp : WebApplicationFactory<Program>
{
    private readonly string _connectionString;
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private string _environment = "Testing";

    private EasyConnectApp(string connectionString, IDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        _connectionString = connectionString;
        _services = services;
        _settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        UseKestrel(0);
    }

    /// <summary>Log lines the app wrote, for tests that check what reaches the log (and what must not).</summary>
    /// <summary>The key-encryption certificate every test app uses unless a test sets its own.</summary>
    public static string TestKeyFile { get; } = Path.Combine(Path.GetTempPath(), $"easyconnect-test-keys-{Environment.ProcessId}", "key-encryption.pfx");

    public CapturedLog Log { get; } = new();

    /// <summary>The root URL of the running app, ending with a slash.</summary>
    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>The connection string of this app's database.</summary>
    public string ConnectionString => _connectionString;

    /// <summary>
    /// Starts the app on a fresh database. Settings use configuration keys ("EasyConnect:Jobs:RunServer");
    /// <paramref name="services"/> adds or replaces registrations after the app's own.
    /// </summary>
    public static async Task<EasyConnectApp> StartAsync(PostgresServer postgres, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        string environment = "Testing")
    {
        var app = new EasyConnectApp(await postgres.CreateDatabaseAsync("app"), settings, services) { _environment = environment };
        app.StartServer();
        app.BaseAddress = app.ClientOptions.BaseAddress;
        return app;
    }

    /// <summary>Starts the app on an existing database (another start of the same installation).</summary>
    public static EasyConnectApp StartOn(string connectionString, IDictionary<string, string?>? settings = null)
    {
        var app = new EasyConnectApp(connectionString, settings, null);
        app.StartServer();
        app.BaseAddress = app.ClientOptions.BaseAddress;
        return app;
    }

    /// <summary>Starts the app on an empty database, as on a first install: the app migrates it and installs Hangfire's tables itself.</summary>
    public static async Task<EasyConnectApp> StartOnEmptyDatabaseAsync(PostgresServer postgres)
    {
        var app = new EasyConnectApp(await postgres.CreateEmptyDatabaseAsync(), null, null);
        app.StartServer();
        app.BaseAddress = app.ClientOptions.BaseAddress;
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // Outside Development the host serves only published assets; tests run from the build output.
        builder.UseStaticWebAssets();
        builder.UseSetting("ConnectionStrings:EasyConnect", _connectionString);
        builder.UseSetting("EasyConnect:Jobs:WorkerCount", "2");
        // One key-encryption certificate for the whole test run, outside the source tree.
        builder.UseSetting("EasyConnect:KeyEncryption:CertificatePath", TestKeyFile);
        // Journeys see only the portal tickets they add unless they ask for the sandbox's recent ones (the sandbox tour does).
        builder.UseSetting("EasyConnect:Sandbox:Portal:RecentTickets", "0");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Log));
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    /// <summary>A client that keeps cookies and does not follow redirects, so tests see each 302.</summary>
    public HttpClient CreateBrowserlikeClient() => new(new HttpClientHandler
    {
        AllowAutoRedirect = false,
        CookieContainer = new CookieContainer(),
        UseCookies = true,
    })
    {
        BaseAddress = BaseAddress,
    };

    /// <summary>
    /// Waits until a full sync of the connection has succeeded on the app's Hangfire server (on a busy 2-core CI machine that
    /// can take a while). On time-out the failure lists the connection's runs and the app's warnings and errors.
    /// </summary>
    public async Task WaitForFullSyncAsync(Guid connectionId, int seconds = 120)
    {
        var ct = TestContext.Current.CancellationToken;
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        List<SyncRun> runs;
        do
        {
            await using var db = PostgresServer.CreateContext(ConnectionString);
            runs = await db.SyncRuns.AsNoTracking().Where(r => r.ConnectionId == connectionId).OrderBy(r => r.StartedAt).ToListAsync(ct);
            if (runs.Any(r => r.Kind == SyncRunKind.Full && r.Status == SyncRunStatus.Succeeded))
            {
                return;
            }

            await Task.Delay(100, ct);
        }
        while (DateTime.UtcNow < deadline);

        var problems = Log.Lines.Where(l => !l.StartsWith("Debug", StringComparison.Ordinal)).TakeLast(40);
        var monitor = Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
        var stats = monitor.GetStatistics();
        var jobs = string.Join("; ", monitor.ProcessingJobs(0, 10).Select(j => $"processing {j.Value.Job?.Method.Name} since {j.Value.StartedAt:HH:mm:ss}")
            .Concat(monitor.FailedJobs(0, 10).Select(j => $"failed {j.Value.Job?.Method.Name}: {j.Value.ExceptionMessage}"))
            .Concat(monitor.EnqueuedJobs("default", 0, 10).Select(j => $"enqueued {j.Value.Job?.Method.Name}")));
        Assert.Fail($"No full sync succeeded within {seconds} s. Runs: {(runs.Count == 0 ? "none" : string.Join("; ", runs.Select(r => $"{r.Kind} {r.Status} {r.Message}")))}\n" +
            $"Jobs: {stats.Enqueued} enqueued, {stats.Processing} processing, {stats.Failed} failed, {stats.Servers} servers. {jobs}\nApp log:\n{string.Join('\n', problems)}");
    }

    /// <summary>Creates a user with a role through the product's own user directory.</summary>
    public async Task CreateUserAsync(string email, string role, string password = TestUsers.Password)
    {
        await using var scope = Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<UserDirectory>();
        var result = await directory.CreateAsync(email, email.Split('@')[0], role, password, "tests");
        Assert.True(result.Succeeded, string.Join(" ", result.Errors));
    }
}

/// <summary>Users every app test can rely on.</summary>
public static class TestUsers
{
    public const string Password = "correct-horse-battery";
    public const string Admin = "admin@msp.example";
    public const string Technician = "tech@msp.example";
    public const string Support = "support@msp.example";

    public static async Task CreateAllAsync(EasyConnectApp app)
    {
        await app.CreateUserAsync(Admin, Roles.Admin);
        await app.CreateUserAsync(Technician, Roles.Technician);
        await app.CreateUserAsync(Support, Roles.Support);
    }
}

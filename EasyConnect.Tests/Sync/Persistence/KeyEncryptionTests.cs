using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using EasyConnect.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EasyConnect.Tests.Sync.Persistence;

/// <summary>The key ring is encrypted at rest with a certificate kept outside the database: a backup alone reveals no secret.</summary>
public sealed class KeyEncryptionTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Secret = "the-private-key-of-the-psa-0123456789";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"easyconnect-keys-{Guid.NewGuid():N}");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string KeyFile => Path.Combine(_folder, "first", "key-encryption.pfx");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Dump_DecryptsNothingWithoutTheKeyFile_AndEverythingWithIt()
    {
        // Arrange: an installation that stored a PSA key, and a full dump of its database.
        string payload;
        string database;
        await using (var app = await EasyConnectApp.StartAsync(postgres, Settings(KeyFile)))
        {
            payload = app.Services.GetRequiredService<ConnectionSecrets>().Protect(new Dictionary<string, string> { ["privateKey"] = Secret });
            database = app.ConnectionString;
            await using var db = PostgresServer.CreateContext(database);
            db.PsaConnections.Add(Connection(payload));
            await db.SaveChangesAsync(Ct);
        }

        var restored = await RestoreAsync(await DumpAsync(database));

        // Act
        var without = Protector(restored, certificate: null);
        var with = Protector(restored, X509CertificateLoader.LoadPkcs12FromFile(KeyFile, null));
        await using var check = PostgresServer.CreateContext(restored);
        var storedPayload = await check.PsaConnections.Select(c => c.ProtectedSecrets).SingleAsync(Ct);
        var ring = await check.DataProtectionKeys.Select(k => k.Xml).ToListAsync(Ct);

        // Assert
        Assert.NotEmpty(ring);
        Assert.All(ring, xml =>
        {
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });
        Assert.ThrowsAny<CryptographicException>(() => without.Unprotect(storedPayload!));
        Assert.Contains(Secret, with.Unprotect(storedPayload!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task App_StartsAndSaysTheKeysMustBeEnteredAgain_WhenTheKeyFileIsReplaced()
    {
        // Arrange: keys stored under one certificate; the next start finds another (the file was lost and a new one made).
        string database;
        await using (var first = await EasyConnectApp.StartAsync(postgres, Settings(KeyFile)))
        {
            database = first.ConnectionString;
            var payload = first.Services.GetRequiredService<ConnectionSecrets>().Protect(new Dictionary<string, string> { ["privateKey"] = Secret });
            await using var db = PostgresServer.CreateContext(database);
            db.PsaConnections.Add(Connection(payload));
            await db.SaveChangesAsync(Ct);
        }

        // Act
        await using var second = EasyConnectApp.StartOn(database, Settings(Path.Combine(_folder, "second", "key-encryption.pfx")));
        var connections = second.Services.GetRequiredService<PsaConnections>();
        var active = await connections.GetActiveAsync(Ct);
        using var http = second.CreateClient();
        var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative), Ct);

        // Assert
        Assert.True(health.IsSuccessStatusCode, $"/healthz answered {(int)health.StatusCode}");
        Assert.NotNull(active);
        Assert.False(connections.KeysReadable(active));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => connections.GetClientAsync(active.Id, Ct));
        Assert.Equal(ConnectionSecrets.UnreadableMessage, refused.Message);
        Assert.Contains(second.Log.Lines, l => l.Contains("cannot be decrypted with the key-encryption certificate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task App_MakesTheKeyFileOwnerOnly_AndLogsNoMissingEncryptorWarning()
    {
        // Act
        await using var app = await EasyConnectApp.StartAsync(postgres, Settings(KeyFile));
        app.Services.GetRequiredService<ConnectionSecrets>().Protect(new Dictionary<string, string> { ["x"] = "y" });

        // Assert
        Assert.True(File.Exists(KeyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(KeyFile)!));
        }

        Assert.DoesNotContain(app.Log.Lines, l => l.Contains("No XML encryptor configured", StringComparison.Ordinal));
        Assert.Contains(app.Log.Lines, l => l.Contains("Made the key-encryption certificate", StringComparison.Ordinal));
    }

    private static Dictionary<string, string?> Settings(string keyFile) => new()
    {
        ["EasyConnect:KeyEncryption:CertificatePath"] = keyFile,
        ["EasyConnect:Jobs:RunServer"] = "false",
    };

    private static PsaConnection Connection(string payload) => new()
    {
        Id = Guid.NewGuid(), Kind = PsaKind.ConnectWise, InstanceKey = "acme", DisplayName = "acme", State = ConnectionState.Active,
        ProtectedSecrets = payload, CreatedBy = "tests", CreatedAt = DateTimeOffset.UtcNow,
    };

    private static IDataProtector Protector(string connectionString, X509Certificate2? certificate)
    {
        var services = new ServiceCollection();
        services.AddDbContext<EasyConnectDbContext>(o => o.UseNpgsql(connectionString).UseSnakeCaseNamingConvention());
        var dataProtection = services.AddDataProtection().SetApplicationName("EasyConnect").PersistKeysToDbContext<EasyConnectDbContext>().DisableAutomaticKeyGeneration();
        if (certificate is not null)
        {
            dataProtection.UnprotectKeysWithAnyCertificate(certificate);
        }

        return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("EasyConnect.Connections.Secrets.v1");
    }

    private async Task<string> DumpAsync(string connectionString)
    {
        var file = Path.Combine(_folder, "backup.sql");
        await RunAsync("pg_dump", connectionString, ["--no-owner", "--file", file]);
        return file;
    }

    private async Task<string> RestoreAsync(string dump)
    {
        var name = $"restored_{Guid.NewGuid():N}";
        await postgres.Server.CreateDatabaseAsync(name);
        var connectionString = new NpgsqlConnectionStringBuilder(postgres.Server.BuildConnectionString(name)) { ConnectionIdleLifetime = 5, ConnectionPruningInterval = 1 }.ConnectionString;
        await RunAsync("psql", connectionString, ["--quiet", "--set", "ON_ERROR_STOP=1", "--file", dump]);
        return connectionString;
    }

    private async Task RunAsync(string tool, string connectionString, string[] arguments)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Path.Combine(postgres.Server.BinDirectory!, tool)) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "--host", c.Host!, "--port", c.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", c.Username!, "--dbname", c.Database! }.Concat(arguments))
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["PGPASSWORD"] = c.Password;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await error}");
    }
}

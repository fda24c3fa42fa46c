using EasyConnect.Sync.Persistence;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EasyConnect.Tests.Sync.Persistence;

public sealed class MigrationsTests(PostgresServer postgres)
{
    [Fact]
    public async Task Model_HasNoChangesMissingFromMigrations()
    {
        await using var db = PostgresServer.CreateContext(await postgres.CreateDatabaseAsync());

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration: run 'dotnet ef migrations add' (see docs/development.md).");
    }

    [Fact]
    public async Task MigrateOnStartup_CreatesSchemaOnce_WhenTwoProcessesStartTogether()
    {
        var name = $"race_{Guid.NewGuid():N}";
        await postgres.Server.CreateDatabaseAsync(name, TestContext.Current.CancellationToken);
        var connectionString = postgres.Server.BuildConnectionString(name);

        // Two app processes starting at once against the same empty database.
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:EasyConnect"] = connectionString };
        var first = Task.Run(() => StartApp(connectionString), TestContext.Current.CancellationToken);
        var second = Task.Run(() => StartApp(connectionString), TestContext.Current.CancellationToken);
        await using var a = await first;
        await using var b = await second;

        await using var db = PostgresServer.CreateContext(connectionString);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(3, await db.Roles.CountAsync(TestContext.Current.CancellationToken));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var hangfire = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'hangfire'", connection);
        Assert.True((long)(await hangfire.ExecuteScalarAsync(TestContext.Current.CancellationToken))! > 5, "Hangfire's schema was not created");
    }

    private static Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> StartApp(string connectionString)
    {
        var factory = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:EasyConnect", connectionString);
            b.UseSetting("EasyConnect:KeyEncryption:CertificatePath", Support.EasyConnectApp.TestKeyFile);
            b.ConfigureLogging(l => l.ClearProviders());
        });
        _ = factory.Server;
        return factory;
    }
}

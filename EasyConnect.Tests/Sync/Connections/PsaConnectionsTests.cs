using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Connections;

public sealed class PsaConnectionsTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await EasyConnectApp.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ConnectAsync_RefusesWithPlainMessageAndSavesNothing_WhenSiteIsLongerThanTheLimit()
    {
        var connections = _app.Services.GetRequiredService<PsaConnections>();
        var draft = new ConnectionDraft(PsaKind.ConnectWise, new Dictionary<string, string>
        {
            ["site"] = new string('s', 5_000) + ".example.com", ["companyId"] = "acme", ["publicKey"] = "pub", ["privateKey"] = "priv", ["clientId"] = "client",
        });

        var result = await connections.ConnectAsync(draft, TestUsers.Admin, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal("Nothing was saved: Settings failed — The site setting can be at most 150 characters.", result.Error);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        Assert.Equal(0, await db.PsaConnections.CountAsync(Ct));
        Assert.Equal(0, await db.AuditEntries.CountAsync(Ct));
    }
}

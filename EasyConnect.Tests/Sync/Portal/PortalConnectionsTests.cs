using EasyConnect.Sync.Portal;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Portal;

public sealed class PortalConnectionsTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await EasyConnectApp.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("address", "The portal address can be at most 400 characters.")]
    [InlineData("email", "The agent email can be at most 256 characters.")]
    public async Task ConnectAsync_RefusesWithPlainMessageAndSavesNothing_WhenAFieldIsLongerThanItsColumn(string field, string message)
    {
        var connections = _app.Services.GetRequiredService<PortalConnections>();
        var tooLong = new string('x', 5_000);
        var draft = new PortalConnectionDraft(field == "address" ? "https://" + tooLong + ".zendesk.com" : "https://acme.zendesk.com",
            field == "email" ? tooLong + "@msp.example" : "agent@msp.example", "token", 360001);

        var result = await connections.ConnectAsync(draft, TestUsers.Admin, Ct);

        Assert.Null(result.Connection);
        Assert.Equal($"Nothing was saved: Settings failed — {message}", result.Error);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        Assert.Equal(0, await db.PortalConnections.CountAsync(Ct));
    }
}

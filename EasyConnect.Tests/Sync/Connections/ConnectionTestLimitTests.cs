using System.Diagnostics;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Connections;

/// <summary>
/// Test connection and Connect against hosts that fail at the network: one that never answers gives up within the configured
/// limit, one that refuses, one with a wrong certificate and a mistyped address each say what to check; a cancel saves nothing.
/// </summary>
public sealed class ConnectionTestLimitTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int LimitSeconds = 2;
    private EasyConnectApp _app = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PsaConnections Psa => _app.Services.GetRequiredService<PsaConnections>();

    private PortalConnections Portal => _app.Services.GetRequiredService<PortalConnections>();

    public async ValueTask InitializeAsync() => _app = await EasyConnectApp.StartAsync(postgres, new Dictionary<string, string?>
    {
        ["EasyConnect:Connections:TestTimeoutSeconds"] = LimitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task TestAsync_GivesUpWithinTheLimitSayingTheHostDidNotAnswer_WhenTheSiteNeverAnswers()
    {
        await using var silent = new SilentHost();
        var seen = new List<IReadOnlyList<PsaCheckItem>>();
        var watch = Stopwatch.StartNew();

        var result = await Psa.TestAsync(Draft(silent.Url), new CallbackProgress<IReadOnlyList<PsaCheckItem>>(seen.Add), Ct);

        watch.Stop();
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(LimitSeconds - 0.5), TimeSpan.FromSeconds(LimitSeconds + 2));
        Assert.True(silent.Accepted > 0, "the test reached the silent host");
        var reach = result.Items[0];
        Assert.Equal(("Reach ConnectWise", ConnectionCheckState.Failed), (reach.Name, reach.State));
        Assert.StartsWith($"ConnectWise did not answer within {LimitSeconds} s. Check the site address", reach.Message, StringComparison.Ordinal);
        Assert.Contains("firewall or proxy", reach.Message, StringComparison.Ordinal);
        Assert.True(result.Items.Count > 2);
        Assert.All(result.Items.Skip(1), i => Assert.Equal(ConnectionCheckState.NotRun, i.State));
        Assert.False(result.Succeeded);
        Assert.Contains(seen, s => s.Any(i => i.Name == "Reach ConnectWise" && i.State == ConnectionCheckState.Running));
    }

    [Fact]
    public async Task TestAsync_GivesUpWithinTheLimitSayingThePortalDidNotAnswer_WhenThePortalNeverAnswers()
    {
        await using var silent = new SilentHost();
        var seen = new List<IReadOnlyList<PortalCheckItem>>();
        var watch = Stopwatch.StartNew();

        var items = await Portal.TestAsync(PortalDraft(silent.Url), new CallbackProgress<IReadOnlyList<PortalCheckItem>>(seen.Add), Ct);

        watch.Stop();
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(LimitSeconds - 0.5), TimeSpan.FromSeconds(LimitSeconds + 2));
        Assert.Equal(("Sign in", ConnectionCheckState.Failed), (items[0].Name, items[0].State));
        Assert.StartsWith($"The portal did not answer within {LimitSeconds} s. Check the portal address", items[0].Message, StringComparison.Ordinal);
        Assert.All(items.Skip(1), i => Assert.Equal(ConnectionCheckState.NotRun, i.State));
        Assert.Contains(seen, s => s.Any(i => i.Name == "Sign in" && i.State == ConnectionCheckState.Running));
    }

    [Fact]
    public async Task ConnectAsync_SaysNothingIsListeningAndSavesNothing_WhenThePortIsClosed()
    {
        var result = await Psa.ConnectAsync(Draft(ClosedPort.Url()), TestUsers.Admin, Ct);

        Assert.False(result.Succeeded);
        var reach = Assert.Single(result.Test!.Items);
        Assert.Contains("nothing is listening at that address and port (connection refused). Check the site address and its port", reach.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Connection refused", reach.Message, StringComparison.Ordinal);
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task TestAsync_SaysNothingIsListening_WhenThePortalPortIsClosed()
    {
        var items = await Portal.TestAsync(PortalDraft(ClosedPort.Url()), Ct);

        var signIn = Assert.Single(items);
        Assert.Contains("nothing is listening at that address and port (connection refused). Check the portal address and its port", signIn.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://cw.example.com")]
    [InlineData("https://")]
    [InlineData("1http://cw.example.com")]
    public async Task TestAsync_AsksForTheSiteAsHttpsHost_WhenTheSiteIsNoHttpAddress(string site)
    {
        var result = await Psa.TestAsync(Draft(site), Ct);

        var settings = Assert.Single(result.Items);
        Assert.Equal("Settings", settings.Name);
        Assert.Contains("is not a ConnectWise site address. Enter the site as https://host", settings.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Invalid URI", settings.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestAsync_AsksForThePortalAsHttpsHost_WhenTheAddressIsNoHttpAddress()
    {
        var items = await Portal.TestAsync(PortalDraft("ftp://acme.zendesk.com"), Ct);

        var settings = Assert.Single(items);
        Assert.Contains("is not a portal address. Enter it as https://host", settings.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestAsync_SaysTheCertificateIsNotTrusted_WhenTheSiteHasAWrongCertificate()
    {
        await using var host = new WrongCertificateHost();

        var result = await Psa.TestAsync(Draft(host.Url), Ct);

        var reach = Assert.Single(result.Items);
        Assert.Contains("the secure (HTTPS) connection failed: the server's certificate is not trusted", reach.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SSL connection could not be established", reach.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_ThrowsCancelledAndSavesNothing_WhenCancelledDuringTheTest()
    {
        await using var silent = new SilentHost();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var progress = new CallbackProgress<IReadOnlyList<PsaCheckItem>>(items =>
        {
            if (items.Any(i => i.State == ConnectionCheckState.Running))
            {
                cancel.CancelAfter(TimeSpan.FromMilliseconds(200));
            }
        });
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Psa.ConnectAsync(Draft(silent.Url), TestUsers.Admin, progress, cancel.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(LimitSeconds), $"cancelled before the limit, took {watch.Elapsed}");
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task PortalConnectAsync_ThrowsCancelledAndSavesNothing_WhenCancelledDuringTheTest()
    {
        await using var silent = new SilentHost();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Portal.ConnectAsync(PortalDraft(silent.Url), TestUsers.Admin, null, cancel.Token));

        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        Assert.Equal(0, await db.PortalConnections.CountAsync(Ct));
    }

    private async Task AssertNothingSavedAsync()
    {
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        Assert.Equal(0, await db.PsaConnections.CountAsync(Ct));
        Assert.Equal(0, await db.AuditEntries.CountAsync(Ct));
    }

    private static ConnectionDraft Draft(string site) => new(PsaKind.ConnectWise, new Dictionary<string, string>
    {
        ["site"] = site, ["companyId"] = "acme", ["publicKey"] = "pub", ["privateKey"] = "priv", ["clientId"] = "client",
    });

    private static PortalConnectionDraft PortalDraft(string address) => new(address, "agent@msp.example", "token", 360001);

    private sealed class CallbackProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

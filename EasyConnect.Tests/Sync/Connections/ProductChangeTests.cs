using System.Reflection;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Connections;

/// <summary>
/// Moving from one PSA product to another (ConnectWise → Autotask) goes through the instance-change workflow, as a change of
/// ConnectWise site does. Autotask has no client yet, so a test-only client factory stands in for it.
/// </summary>
public sealed class ProductChangeTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string ConnectWiseKey = "cw.example.com|acme";
    private readonly Guid _connectWise = Guid.NewGuid();
    private EasyConnectApp _app = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ConnectionDraft Autotask => new(PsaKind.Autotask, new Dictionary<string, string>
    {
        [AutotaskProduct.UserName] = "easyconnect@msp.example", [AutotaskProduct.Secret] = "s3cret", [AutotaskProduct.IntegrationCode] = "TRACKING-ID",
    });

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres, services: s => s.AddSingleton<IPsaClientFactory>(new StandInFactory(PsaKind.Autotask)));
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        db.PsaConnections.Add(new PsaConnection
        {
            Id = _connectWise, Kind = PsaKind.ConnectWise, InstanceKey = ConnectWiseKey, DisplayName = "cw.example.com — acme",
            State = ConnectionState.Active, CreatedAt = DateTimeOffset.UtcNow.AddDays(-30), CreatedBy = "tests", ProtectedSecrets = "x",
        });
        await db.SaveChangesAsync(Ct);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void Products_OffersEveryProductAndOnlyThoseWithAClientAsConnectable()
    {
        var offers = _app.Services.GetRequiredService<PsaConnections>().Products();

        Assert.Equal([PsaKind.ConnectWise, PsaKind.Autotask, PsaKind.Halo], offers.Select(o => o.Product.Kind));
        Assert.Equal([true, true, false], offers.Select(o => o.Connectable));
    }

    [Fact]
    public async Task ConnectAsync_RefusesAnotherProduct_WhileTheConnectWiseInstanceIsActive()
    {
        var connections = _app.Services.GetRequiredService<PsaConnections>();

        var result = await connections.ConnectAsync(Autotask, TestUsers.Admin, Ct);

        Assert.False(result.Succeeded);
        Assert.StartsWith("Nothing was saved: this is another PSA, Autotask (Autotask — easyconnect@msp.example), not the connected ConnectWise instance", result.Error, StringComparison.Ordinal);
        Assert.Contains("use Change instance", result.Error, StringComparison.Ordinal);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        Assert.Equal([PsaKind.ConnectWise], await db.PsaConnections.Select(c => c.Kind).ToListAsync(Ct));
    }

    [Fact]
    public async Task ConnectAsync_RefusesAnotherProduct_EvenWhenItsInstanceKeyReadsTheSame()
    {
        await using var app = await EasyConnectApp.StartAsync(postgres, services: s => s.AddSingleton<IPsaClientFactory>(new StandInFactory(PsaKind.Autotask, ConnectWiseKey)));
        await using (var db = PostgresServer.CreateContext(app.ConnectionString))
        {
            db.PsaConnections.Add(new PsaConnection
            {
                Id = Guid.NewGuid(), Kind = PsaKind.ConnectWise, InstanceKey = ConnectWiseKey, DisplayName = "cw", State = ConnectionState.Active,
                CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "tests", ProtectedSecrets = "x",
            });
            await db.SaveChangesAsync(Ct);
        }

        var result = await app.Services.GetRequiredService<PsaConnections>().ConnectAsync(Autotask, TestUsers.Admin, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains("another PSA, Autotask", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_ConnectsTheOtherProduct_OnceTheOldInstanceIsDisconnectedAndArchived()
    {
        var connections = _app.Services.GetRequiredService<PsaConnections>();

        // Step 1: disconnect. Step 3 is refused until step 2 has dealt with the old product's data.
        Assert.True(await connections.DisconnectAsync(TestUsers.Admin, Ct));
        var early = await connections.ConnectAsync(Autotask, TestUsers.Admin, Ct);
        Assert.True(await connections.ArchiveAsync(_connectWise, TestUsers.Admin, Ct));
        var connected = await connections.ConnectAsync(Autotask, TestUsers.Admin, Ct);

        Assert.False(early.Succeeded);
        Assert.Contains("Clean it up or archive it first", early.Error, StringComparison.Ordinal);
        Assert.True(connected.Succeeded, connected.Error);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var all = await db.PsaConnections.AsNoTracking().ToDictionaryAsync(c => c.Kind, Ct);
        Assert.Equal(ConnectionState.Archived, all[PsaKind.ConnectWise].State);
        Assert.Null(all[PsaKind.ConnectWise].ProtectedSecrets);
        var autotask = all[PsaKind.Autotask];
        Assert.Equal(ConnectionState.Active, autotask.State);
        Assert.Equal("autotask|easyconnect@msp.example", autotask.InstanceKey);
        // Secrets as Autotask's description names them: never among the plain settings.
        Assert.Equal(new Dictionary<string, string> { [AutotaskProduct.UserName] = "easyconnect@msp.example" }, autotask.Settings);
        Assert.DoesNotContain("s3cret", autotask.ProtectedSecrets, StringComparison.Ordinal);
        var audit = await db.AuditEntries.AsNoTracking().Where(e => e.Action == "PSA connected").Select(e => e.Details).SingleAsync(Ct);
        Assert.DoesNotContain("s3cret", audit, StringComparison.Ordinal);
    }

    /// <summary>A client factory for a product without a real client yet: every check passes, the identity is the product's own.</summary>
    private sealed class StandInFactory(PsaKind kind, string? key = null) : IPsaClientFactory
    {
        public PsaKind Kind => kind;

        public IReadOnlySet<string> SecretNames => PsaProducts.Get(kind).SecretNames;

        public IPsaClient Create(IReadOnlyDictionary<string, string> settings, string connectionKey)
        {
            var identity = PsaProducts.Get(kind).Identify(settings);
            var client = DispatchProxy.Create<IPsaClient, StandInClient>();
            ((StandInClient)(object)client).Identity = key is null ? identity : identity with { Key = key };
            return client;
        }
    }

    /// <summary>Answers what a connection test asks; anything else is not something this test needs.</summary>
    public class StandInClient : DispatchProxy
    {
        internal PsaInstanceIdentity Identity { get; set; } = default!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            "get_Kind" => Identity.Kind,
            "get_Identity" => Identity,
            "get_ApiCalls" => 0L,
            "get_MaxConcurrency" => 1,
            "TestConnectionAsync" => Task.FromResult<IReadOnlyList<PsaCheckItem>>([new PsaCheckItem("Authentication", true, "Signed in.")]),
            _ => throw new NotSupportedException(targetMethod?.Name),
        };
    }
}

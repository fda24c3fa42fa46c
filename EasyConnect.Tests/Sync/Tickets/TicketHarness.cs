using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Mappings;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Portal.Zendesk;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Tickets;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Portal;
using EasyConnect.Tests.Sync.PsaSync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>
/// The ticket sync as one EasyConnect process runs it: the engine over a real database, talking real HTTP to the ConnectWise sandbox
/// and the portal sandbox on loopback. The mirror has been filled from the ConnectWise sandbox and the Advanced Settings confirmed with
/// every portal value mapped (board "Service Desk", custom field "ClusterID", no fallback company) and the sync switched on.
/// </summary>
internal sealed class TicketHarness : IAsyncDisposable, IPortalClientProvider
{
    private readonly ServiceProvider _services;
    private readonly PortalConnection _portalConnection;
    private readonly ZendeskConnectionSettings _portalSettings;

    private TicketHarness(string connectionString, MirrorSandbox psa, PortalSandboxHost portal, Guid connectionId, PortalConnection portalConnection, Action<TicketSyncOptions>? options)
    {
        ConnectionString = connectionString;
        Psa = psa;
        Portal = portal;
        ConnectionId = connectionId;
        _portalConnection = portalConnection;
        _portalSettings = portal.Settings();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddDbContextFactory<EasyConnectDbContext>(o => o
            .UseNpgsql(connectionString, n => n.MigrationsHistoryTable("ef_migrations_history"))
            .UseSnakeCaseNamingConvention());
        services.AddOptions<TicketSyncOptions>().Configure(o =>
        {
            o.UnconfirmedWriteWait = TimeSpan.Zero;
            options?.Invoke(o);
        });
        services.AddOptions<PsaSyncOptions>();
        services.AddSingleton<IPsaClientProvider>(psa);
        services.AddSingleton<IPortalClientProvider>(this);
        services.AddSingleton<TicketLookups>();
        services.AddSingleton<TicketSyncEngine>();
        services.AddSingleton<PsaSyncEngine>();
        services.AddSingleton<EasyConnect.Sync.Audit.AuditLog>();
        services.AddSingleton<ClientMappings>();
        _services = services.BuildServiceProvider();
    }

    public string ConnectionString { get; }

    public MirrorSandbox Psa { get; }

    public PortalSandboxHost Portal { get; }

    public Guid ConnectionId { get; }

    public TicketSyncEngine Engine => _services.GetRequiredService<TicketSyncEngine>();

    /// <summary>The client mapping page's service over the same database.</summary>
    public ClientMappings ClientMappings => _services.GetRequiredService<ClientMappings>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Both sandboxes, a database with a PSA and a portal connection, the mirror filled, the maps confirmed and the sync on.</summary>
    public static async Task<TicketHarness> StartAsync(
        PostgresServer postgres, Action<TicketSyncOptions>? options = null, Action<PortalSandboxOptions>? portal = null, Action<ZendeskOptions>? portalClient = null,
        Action<EasyConnect.Sync.Psa.ConnectWise.ConnectWiseOptions>? psaClient = null, TimeProvider? portalTime = null)
    {
        var psa = await MirrorSandbox.StartAsync(configurations: 60, client: o =>
        {
            // A hanging request (an injected timeout) is given up on quickly.
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.TotalTimeout = TimeSpan.FromSeconds(15);
            psaClient?.Invoke(o);
        });
        var portalHost = await PortalSandboxHost.StartAsync(o =>
        {
            o.Tickets = 0;
            portal?.Invoke(o);
        }, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            portalClient?.Invoke(o);
        }, portalTime);
        var database = await postgres.CreateDatabaseAsync("tickets");
        var connectionId = await MirrorHarness.AddConnectionAsync(database);
        var portalConnection = new PortalConnection
        {
            Id = Guid.NewGuid(), BaseUrl = portalHost.BaseUrl, Email = portalHost.State.Options.AgentEmail, State = ConnectionState.Active,
            ClusterIdFieldId = portalHost.State.Options.ClusterIdFieldId, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "tests",
        };
        await using (var db = PostgresServer.CreateContext(database))
        {
            db.PortalConnections.Add(portalConnection);
            await db.SaveChangesAsync(Ct);
        }

        var harness = new TicketHarness(database, psa, portalHost, connectionId, portalConnection, options);
        await harness.MirrorAsync();
        await harness.ConfirmSettingsAsync();
        return harness;
    }

    /// <summary>A mirror run (full unless told), as the PSA sync would do on its schedule.</summary>
    public async Task<SyncRunResult> MirrorAsync(SyncRunKind kind = SyncRunKind.Full)
    {
        var result = await _services.GetRequiredService<PsaSyncEngine>().RunAsync(ConnectionId, new SyncRunRequest(kind), Ct);
        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        return result;
    }

    /// <summary>The sandbox's board, priorities and statuses, by name.</summary>
    public (string Board, Dictionary<string, string> Priorities, Dictionary<string, string> Statuses) Ids()
    {
        var (board, _, _) = Psa.State.Defaults();
        var priorities = Psa.State.RecordIds("service/priorities").Take(4).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var statuses = Psa.State.RecordIds("service/boards/statuses").Take(6).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return (board.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new() { ["urgent"] = priorities[0], ["high"] = priorities[1], ["normal"] = priorities[2], ["low"] = priorities[3] },
            new() { ["new"] = statuses[0], ["open"] = statuses[1], ["pending"] = statuses[2], ["hold"] = statuses[3], ["solved"] = statuses[4], ["closed"] = statuses[5] });
    }

    /// <summary>Saves the Advanced Settings with every value mapped, then lets <paramref name="change"/> alter them.</summary>
    public async Task ConfirmSettingsAsync(Action<AdvancedSettings>? change = null)
    {
        var (board, priorities, statuses) = Ids();
        await using var db = Db();
        var settings = await db.AdvancedSettings.SingleOrDefaultAsync(s => s.ConnectionId == ConnectionId, Ct);
        if (settings is null)
        {
            settings = new AdvancedSettings { ConnectionId = ConnectionId };
            db.AdvancedSettings.Add(settings);
            settings.DefaultBoardId = board;
            settings.PriorityMap = priorities;
            settings.StatusMap = statuses;
            settings.ClusterIdMatch = ClusterIdMatch.CustomField;
            settings.ClusterIdCustomField = "ClusterID";
            settings.SyncEnabled = true;
            settings.ConfirmedAt = DateTimeOffset.UtcNow;
            settings.ConfirmedBy = "tests";
        }

        change?.Invoke(settings);
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>An EasyConnect user with this email, mapped to the PSA member with the same primary email.</summary>
    public async Task<int> MapUserAsync(string email)
    {
        var memberId = Psa.State.MemberIdByEmail(email) ?? throw new ArgumentException($"No sandbox member has {email}.", nameof(email));
        await using var db = Db();
        var user = new AppUser
        {
            Id = Guid.NewGuid().ToString(), Email = email, NormalizedEmail = email.ToUpperInvariant(), UserName = email, NormalizedUserName = email.ToUpperInvariant(),
            DisplayName = email.Split('@')[0], CreatedAt = DateTimeOffset.UtcNow, SecurityStamp = Guid.NewGuid().ToString(),
        };
        db.Users.Add(user);
        db.PsaUserMappings.Add(new PsaUserMapping
        {
            ConnectionId = ConnectionId, UserId = user.Id, MemberPsaId = memberId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Method = MappingMethod.Manual, MappedAt = DateTimeOffset.UtcNow, MappedBy = "tests",
        });
        await db.SaveChangesAsync(Ct);
        return memberId;
    }

    public Task<TicketSyncResult> RunAsync(CancellationToken? cancellationToken = null) =>
        Engine.RunAsync(ConnectionId, new TicketSyncRequest(StartedBy: "tests"), cancellationToken ?? Ct);

    public Task<TicketSyncResult> ResyncAsync(long linkId) =>
        Engine.RunAsync(ConnectionId, new TicketSyncRequest(EasyConnect.Sync.PsaSync.SyncTrigger.Manual, "tests", linkId), Ct);

    /// <summary>The link of a portal ticket.</summary>
    public async Task<TicketLink> LinkAsync(long portalTicketId)
    {
        await using var db = Db();
        var id = portalTicketId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await db.TicketLinks.AsNoTracking().SingleAsync(l => l.ConnectionId == ConnectionId && l.PortalTicketId == id, Ct);
    }

    /// <summary>A ticket's ledger, oldest first.</summary>
    public async Task<IReadOnlyList<TicketLedgerEntry>> LedgerAsync(long linkId)
    {
        await using var db = Db();
        return await db.TicketLedger.AsNoTracking().Where(e => e.TicketLinkId == linkId).OrderBy(e => e.Id).ToListAsync(Ct);
    }

    /// <summary>The PSA ticket a portal ticket became (exactly one, by its externalXRef).</summary>
    public EasyConnect.Sync.Sandbox.ConnectWise.ConnectWiseSandboxTicket PsaTicketOf(long portalTicketId) =>
        Assert.Single(Psa.State.TicketsWithExternalXRef(portalTicketId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public EasyConnectDbContext Db() => PostgresServer.CreateContext(ConnectionString);

    Task<(PortalConnection Connection, IPortalClient Client)?> IPortalClientProvider.GetActiveAsync(CancellationToken cancellationToken) =>
        Task.FromResult<(PortalConnection, IPortalClient)?>((_portalConnection, Portal.Client(_portalSettings)));

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Portal.DisposeAsync();
        await Psa.DisposeAsync();
        // Each harness has a database of its own: its idle pooled connections would only count against the cluster's limit.
        using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        Npgsql.NpgsqlConnection.ClearPool(connection);
    }
}

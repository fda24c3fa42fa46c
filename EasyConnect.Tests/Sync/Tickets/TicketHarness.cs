using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Mappings;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Portal.Zendesk;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Sandbox;
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
/// The ticket sync as one EasyConnect process runs it: the engine over a real database, talking real HTTP to a PSA sandbox and the
/// portal sandbox on loopback. The mirror has been filled from the PSA sandbox and the Advanced Settings confirmed with every portal
/// value mapped (the default board, custom field "ClusterID", no fallback company) and the sync switched on. The PSA is seen through
/// <see cref="IPsaSandbox"/> only, so the same tests run against every PSA.
/// </summary>
internal sealed class TicketHarness : IAsyncDisposable, IPortalClientProvider
{
    /// <summary>A technician every PSA sandbox seeds.</summary>
    public const string Ava = "ava.nguyen@msp.example";

    /// <summary>Another technician every PSA sandbox seeds, mapped to no EasyConnect user unless a test maps him.</summary>
    public const string Liam = "liam.smith@msp.example";

    private static readonly string[] PortalStatuses = ["new", "open", "pending", "hold", "solved", "closed"];
    private static readonly string[] PortalPriorities = ["urgent", "high", "normal", "low"];
    private readonly ServiceProvider _services;
    private readonly PortalConnection _portalConnection;
    private readonly ZendeskConnectionSettings _portalSettings;

    private TicketHarness(string connectionString, IPsaSandboxHost psa, PortalSandboxHost portal, Guid connectionId, PortalConnection portalConnection, Action<TicketSyncOptions>? options)
    {
        ConnectionString = connectionString;
        PsaHost = psa;
        Psa = psa.Sandbox;
        Portal = portal;
        ConnectionId = connectionId;
        _portalConnection = portalConnection;
        _portalSettings = portal.Settings();
        Board = Psa.DefaultBoardId;
        Statuses = PortalStatuses.Zip(Psa.Statuses(Board)).ToDictionary(p => p.First, p => p.Second.Id);
        Priorities = PortalPriorities.Zip(Psa.Priorities()).ToDictionary(p => p.First, p => p.Second.Id);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddPooledDbContextFactory<EasyConnectDbContext>(o => o
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
        services.AddSingleton<EasyConnect.Sync.Jobs.RecurringJobSchedule>();
        services.AddSingleton<AdvancedSettingsStore>();
        _services = services.BuildServiceProvider();
    }

    public string ConnectionString { get; }

    /// <summary>The PSA sandbox, in PSA-neutral terms.</summary>
    public IPsaSandbox Psa { get; }

    /// <summary>The PSA sandbox's host: its clients.</summary>
    public IPsaSandboxHost PsaHost { get; }

    /// <summary>The ConnectWise sandbox's own state, for ConnectWise-only tests.</summary>
    public EasyConnect.Sync.Sandbox.ConnectWise.ConnectWiseSandboxState ConnectWise =>
        (Psa as EasyConnect.Sync.Sandbox.ConnectWise.ConnectWisePsaSandbox)?.State ?? throw new InvalidOperationException($"The harness runs against {Psa.ProductName}, not ConnectWise.");

    /// <summary>The board the Advanced Settings send new tickets to.</summary>
    public string Board { get; }

    /// <summary>The PSA status each portal status is mapped to.</summary>
    public IReadOnlyDictionary<string, string> Statuses { get; }

    /// <summary>The PSA priority each portal priority is mapped to.</summary>
    public IReadOnlyDictionary<string, string> Priorities { get; }

    public PortalSandboxHost Portal { get; }

    public Guid ConnectionId { get; }

    public TicketSyncEngine Engine => _services.GetRequiredService<TicketSyncEngine>();

    /// <summary>The client mapping page's service over the same database.</summary>
    public ClientMappings ClientMappings => _services.GetRequiredService<ClientMappings>();

    /// <summary>The Advanced Settings page's service over the same database, asking the PSA sandbox through its clients.</summary>
    public AdvancedSettingsStore SettingsStore => _services.GetRequiredService<AdvancedSettingsStore>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Both sandboxes (the PSA's is ConnectWise's unless told), a database with a PSA and a portal connection, the mirror filled, the maps confirmed and the sync on.</summary>
    public static async Task<TicketHarness> StartAsync(
        PostgresServer postgres, Action<TicketSyncOptions>? options = null, Action<PortalSandboxOptions>? portal = null, Action<ZendeskOptions>? portalClient = null,
        TicketSuitePsa? psaKind = null, TimeProvider? portalTime = null)
    {
        var psa = await (psaKind ?? TicketSuitePsa.ConnectWise).StartAsync();
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
        var connectionId = await MirrorHarness.AddConnectionAsync(database, kind: psa.Sandbox.Kind);
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

    /// <summary>The board, priorities and statuses the Advanced Settings map the portal's values to, by portal value.</summary>
    public (string Board, Dictionary<string, string> Priorities, Dictionary<string, string> Statuses) Ids() =>
        (Board, Priorities.ToDictionary(), Statuses.ToDictionary());

    /// <summary>The id of the one configuration carrying <paramref name="clusterId"/>.</summary>
    public string ConfigurationOf(string clusterId) => Assert.Single(Psa.ConfigurationsWithClusterId(clusterId)).Id;

    /// <summary>The company of the one configuration carrying <paramref name="clusterId"/>.</summary>
    public string CompanyOf(string clusterId) => Assert.Single(Psa.ConfigurationsWithClusterId(clusterId)).CompanyId;

    /// <summary>Waits until a stamp taken now is later than every stamp taken before, on both sides (whole seconds at worst).</summary>
    public Task WaitPastStampAsync() =>
        Task.Delay((Psa.StampResolution > TimeSpan.FromSeconds(1) ? Psa.StampResolution : TimeSpan.FromSeconds(1)) + TimeSpan.FromMilliseconds(100), Ct);

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
            // Where priorities belong to a scope (a Halo SLA), the suite's map is that of its priorities' scope, the default one.
            settings.PriorityScopeId = Psa.Priorities().FirstOrDefault()?.Scope;
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
    public async Task<string> MapUserAsync(string email)
    {
        var memberId = Psa.MemberIdByEmail(email) ?? throw new ArgumentException($"No sandbox member has {email}.", nameof(email));
        await using var db = Db();
        var user = new AppUser
        {
            Id = Guid.NewGuid().ToString(), Email = email, NormalizedEmail = email.ToUpperInvariant(), UserName = email, NormalizedUserName = email.ToUpperInvariant(),
            DisplayName = email.Split('@')[0], CreatedAt = DateTimeOffset.UtcNow, SecurityStamp = Guid.NewGuid().ToString(),
        };
        db.Users.Add(user);
        db.PsaUserMappings.Add(new PsaUserMapping
        {
            ConnectionId = ConnectionId, UserId = user.Id, MemberPsaId = memberId,
            Method = MappingMethod.Manual, MappedAt = DateTimeOffset.UtcNow, MappedBy = "tests",
        });
        await db.SaveChangesAsync(Ct);
        return memberId;
    }

    public Task<TicketSyncResult> RunAsync(CancellationToken? cancellationToken = null) =>
        Engine.RunAsync(ConnectionId, new TicketSyncRequest(StartedBy: "tests"), cancellationToken ?? Ct);

    public Task<TicketSyncResult> ResyncAsync(long linkId) =>
        Engine.RunAsync(ConnectionId, new TicketSyncRequest(EasyConnect.Sync.Runs.SyncTrigger.Manual, "tests", linkId), Ct);

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

    /// <summary>The PSA ticket a portal ticket became (exactly one, by its external reference).</summary>
    public PsaSandboxTicket PsaTicketOf(long portalTicketId) => Assert.Single(PsaTicketsOf(portalTicketId));

    /// <summary>The PSA tickets whose external reference is the portal ticket (none, or one once it was created).</summary>
    public IReadOnlyList<PsaSandboxTicket> PsaTicketsOf(long portalTicketId) =>
        Psa.TicketsWithExternalReference(portalTicketId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public EasyConnectDbContext Db() => PostgresServer.CreateContext(ConnectionString);

    Task<(PortalConnection Connection, IPortalClient Client)?> IPortalClientProvider.GetActiveAsync(CancellationToken cancellationToken) =>
        Task.FromResult<(PortalConnection, IPortalClient)?>((_portalConnection, Portal.Client(_portalSettings)));

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Portal.DisposeAsync();
        await PsaHost.DisposeAsync();
        // Each harness has a database of its own: its idle pooled connections would only count against the cluster's limit.
        using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        Npgsql.NpgsqlConnection.ClearPool(connection);
    }
}

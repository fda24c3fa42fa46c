using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.ConnectWise;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.ConnectWise;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Tickets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.PsaSync;

/// <summary>
/// The ConnectWise sandbox on a loopback Kestrel port and the real ConnectWise client over real HTTP; as an
/// <see cref="IPsaClientProvider"/> it gives every connection id a client of this sandbox (the engine's only door to a PSA), and as an
/// <see cref="IPsaSandboxHost"/> it is the ConnectWise member of the ticket-engine suite.
/// </summary>
internal sealed class MirrorSandbox : IPsaSandboxHost
{
    public const string Prefix = "/sandbox/connectwise";
    private const string ClientId = "6b1f8d0e-0000-4000-8000-00000000ec01";

    private readonly SandboxServer _server;
    private readonly ServiceProvider _clients;
    private readonly Uri _site;

    private MirrorSandbox(SandboxServer server, ServiceProvider clients)
    {
        _server = server;
        _clients = clients;
        _site = new Uri(server.BaseAddress, Prefix.TrimStart('/'));
        State = server.Services.GetRequiredService<ConnectWiseSandboxState>();
        Sandbox = new ConnectWisePsaSandbox(State, _site, ClientId);
    }

    public ConnectWiseSandboxState State { get; }

    /// <summary>The sandbox in PSA-neutral terms.</summary>
    public ConnectWisePsaSandbox Sandbox { get; }

    IPsaSandbox IPsaSandboxHost.Sandbox => Sandbox;

    /// <summary>Called with each client before it is handed out, to observe or interfere with reads.</summary>
    public Func<IPsaClient, IPsaClient> Wrap { get; set; } = c => c;

    public static async Task<MirrorSandbox> StartAsync(int configurations = 350, int pageSize = 100, Action<ConnectWiseOptions>? client = null)
    {
        var server = await SandboxServer.StartAsync(
            services => services.AddEasyConnectConnectWiseSandbox(o =>
            {
                o.Configurations = configurations;
                o.Companies = 20;
                o.Members = 25;
                o.Tickets = 10;
            }),
            app => app.MapConnectWiseSandbox(Prefix));

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddEasyConnectConnectWise();
        services.Configure<ConnectWiseOptions>(o =>
        {
            o.PageSize = pageSize;
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.TotalTimeout = TimeSpan.FromSeconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.MaxRetries = 2;
            client?.Invoke(o);
        });
        return new MirrorSandbox(server, services.BuildServiceProvider());
    }

    public Task<IPsaClient> GetClientAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        var s = Sandbox.ConnectionSettings;
        var credentials = new ConnectWiseCredentials(s["Site"], s["CompanyId"], s["PublicKey"], s["PrivateKey"], s["ClientId"]);
        var client = _clients.GetRequiredService<ConnectWiseClientFactory>().Create(credentials, new ConnectWiseClientOptions(connectionId.ToString("N")));
        return Task.FromResult(Wrap(client));
    }

    public async ValueTask DisposeAsync()
    {
        await _clients.DisposeAsync();
        await _server.DisposeAsync();
    }
}

/// <summary>
/// A client that runs an action after a given page of a read has been handed out (a change "during the run"), and can
/// change the pages it hands out.
/// </summary>
internal sealed class InterferingClient(
    IPsaClient inner, PsaEntity entity, int afterPage, Action action, Func<IReadOnlyList<IPsaRecord>, IReadOnlyList<IPsaRecord>>? changePage = null) : IPsaClient
{
    public PsaKind Kind => inner.Kind;

    public PsaInstanceIdentity Identity => inner.Identity;

    public long ApiCalls => inner.ApiCalls;

    public int MaxConcurrency => inner.MaxConcurrency;

    public async IAsyncEnumerable<IReadOnlyList<IPsaRecord>> ReadAsync(PsaEntity what, DateTimeOffset? modifiedAfter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = 0;
        await foreach (var rows in inner.ReadAsync(what, modifiedAfter, cancellationToken))
        {
            yield return what == entity && changePage is not null ? changePage(rows) : rows;
            if (what == entity && ++page == afterPage)
            {
                action();
            }
        }
    }

    public Task<IReadOnlyList<PsaCheckItem>> TestConnectionAsync(IProgress<PsaCheckItem>? progress, CancellationToken cancellationToken) =>
        inner.TestConnectionAsync(progress, cancellationToken);

    public Task<int> CountAsync(PsaEntity what, DateTimeOffset? modifiedAfter, CancellationToken cancellationToken) => inner.CountAsync(what, modifiedAfter, cancellationToken);

    public Task<PsaTicket?> GetTicketAsync(string ticketId, CancellationToken cancellationToken) => inner.GetTicketAsync(ticketId, cancellationToken);

    public Task<PsaTicket?> FindTicketByExternalReferenceAsync(string externalReference, CancellationToken cancellationToken) =>
        inner.FindTicketByExternalReferenceAsync(externalReference, cancellationToken);

    public Task<PsaTicket> CreateTicketAsync(PsaTicketCreate ticket, CancellationToken cancellationToken) => inner.CreateTicketAsync(ticket, cancellationToken);

    public Task<PsaTicket> UpdateTicketAsync(string ticketId, PsaTicketUpdate update, CancellationToken cancellationToken) =>
        inner.UpdateTicketAsync(ticketId, update, cancellationToken);

    public Task<PsaConversation> ReadConversationAsync(string ticketId, CancellationToken cancellationToken) => inner.ReadConversationAsync(ticketId, cancellationToken);

    public Task<PsaNote> CreateNoteAsync(string ticketId, PsaNoteCreate note, CancellationToken cancellationToken) => inner.CreateNoteAsync(ticketId, note, cancellationToken);

    public Task AttachConfigurationAsync(string ticketId, string configurationId, CancellationToken cancellationToken) =>
        inner.AttachConfigurationAsync(ticketId, configurationId, cancellationToken);
}

using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Portal.Zendesk;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Portal;

/// <summary>The portal sandbox on a real loopback Kestrel port and the real Zendesk client, wired as the app wires them, with short timeouts.</summary>
internal sealed class PortalSandboxHost : IAsyncDisposable
{
    public const string Prefix = "/sandbox/portal";

    private readonly SandboxServer _server;
    private readonly ServiceProvider _clientServices;

    private PortalSandboxHost(SandboxServer server, ServiceProvider clientServices)
    {
        _server = server;
        _clientServices = clientServices;
        State = server.Services.GetRequiredService<PortalSandboxState>();
    }

    public Uri Root => _server.BaseAddress;

    public PortalSandboxState State { get; }

    public SandboxFaultInjector Faults => State.Faults;

    /// <summary>The address an admin would type for the sandbox.</summary>
    public string BaseUrl => new Uri(Root, Prefix.TrimStart('/')).ToString();

    public static async Task<PortalSandboxHost> StartAsync(Action<PortalSandboxOptions>? sandbox = null, Action<ZendeskOptions>? client = null)
    {
        var server = await SandboxServer.StartAsync(
            services => services.AddEasyConnectPortalSandbox(o =>
            {
                o.SeedEpoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
                o.ExportRequestsPerMinute = 0;
                sandbox?.Invoke(o);
            }),
            app => app.MapPortalSandbox(Prefix));

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddEasyConnectZendesk();
        services.Configure<ZendeskOptions>(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(2);
            o.TotalTimeout = TimeSpan.FromSeconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            o.MaxRetries = 3;
            o.ExportRequestsPerWindow = 1000;
            client?.Invoke(o);
        });
        return new PortalSandboxHost(server, services.BuildServiceProvider());
    }

    public ZendeskConnectionSettings Settings(string? email = null, string? apiToken = null) => new()
    {
        BaseUrl = BaseUrl,
        Email = email ?? State.Options.AgentEmail,
        ApiToken = apiToken ?? State.Options.ApiToken,
        ClusterIdFieldId = State.Options.ClusterIdFieldId,
    };

    public IPortalClient Client(ZendeskConnectionSettings? settings = null) =>
        _clientServices.GetRequiredService<ZendeskClientFactory>().Create(settings ?? Settings());

    /// <summary>The API requests the sandbox received (admin endpoints are not recorded).</summary>
    public IReadOnlyList<SandboxRequest> Requests => Faults.Requests;

    public async ValueTask DisposeAsync()
    {
        await _clientServices.DisposeAsync();
        await _server.DisposeAsync();
    }
}

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

    /// <param name="time">One clock for the sandbox and the client (a FakeTimeProvider, so minute limits are tested without waiting).</param>
    public static async Task<PortalSandboxHost> StartAsync(Action<PortalSandboxOptions>? sandbox = null, Action<ZendeskOptions>? client = null, TimeProvider? time = null)
    {
        var server = await SandboxServer.StartAsync(
            services =>
            {
                if (time is not null)
                {
                    services.AddSingleton(time);
                }

                services.AddEasyConnectPortalSandbox(o =>
                {
                    o.SeedEpoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
                    o.ExportRequestsPerMinute = 0;
                    sandbox?.Invoke(o);
                });
            },
            app => app.MapPortalSandbox(Prefix));

        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

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

    /// <summary>A client of the sandbox's API that sends what a test writes, signed in as the integration's admin.</summary>
    public HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl + "/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{State.Options.AgentEmail}/token:{State.Options.ApiToken}")));
        return http;
    }

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

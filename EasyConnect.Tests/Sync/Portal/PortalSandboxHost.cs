using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Portal.Zendesk;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.Portal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Tests.Sync.Portal;

/// <summary>The portal sandbox on a real loopback Kestrel port and the real Zendesk client, wired as the app wires them, with short timeouts.</summary>
internal sealed class PortalSandboxHost : IAsyncDisposable
{
    public const string Prefix = "/sandbox/portal";

    private readonly WebApplication _app;
    private readonly ServiceProvider _clientServices;

    private PortalSandboxHost(WebApplication app, Uri root, ServiceProvider clientServices)
    {
        _app = app;
        _clientServices = clientServices;
        Root = root;
        State = app.Services.GetRequiredService<PortalSandboxState>();
    }

    public Uri Root { get; }

    public PortalSandboxState State { get; }

    public SandboxFaultInjector Faults => State.Faults;

    /// <summary>The address an admin would type for the sandbox.</summary>
    public string BaseUrl => new Uri(Root, Prefix.TrimStart('/')).ToString();

    public static async Task<PortalSandboxHost> StartAsync(Action<PortalSandboxOptions>? sandbox = null, Action<ZendeskOptions>? client = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddEasyConnectPortalSandbox(o =>
        {
            o.SeedEpoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            o.ExportRequestsPerMinute = 0;
            sandbox?.Invoke(o);
        });
        var app = builder.Build();
        app.MapPortalSandbox(Prefix);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

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
        return new PortalSandboxHost(app, new Uri(address.TrimEnd('/') + "/"), services.BuildServiceProvider());
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
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

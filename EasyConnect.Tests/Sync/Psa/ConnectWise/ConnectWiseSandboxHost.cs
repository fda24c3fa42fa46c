using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.ConnectWise;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.ConnectWise;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Psa.ConnectWise;

/// <summary>The ConnectWise sandbox on loopback and the real ConnectWise client, wired as the app wires them, with short timeouts.</summary>
internal sealed class ConnectWiseSandboxHost : IAsyncDisposable
{
    public const string Prefix = "/sandbox/connectwise";

    private readonly ServiceProvider _clientServices;

    private ConnectWiseSandboxHost(SandboxServer server, ServiceProvider clientServices)
    {
        Server = server;
        _clientServices = clientServices;
        State = server.Services.GetRequiredService<ConnectWiseSandboxState>();
    }

    public SandboxServer Server { get; }

    public ConnectWiseSandboxState State { get; }

    public SandboxFaultInjector Faults => State.Faults;

    /// <summary>The site as an admin would type it for the sandbox: a full base URL with a path.</summary>
    public string Site => new Uri(Server.BaseAddress, Prefix.TrimStart('/')).ToString();

    public static async Task<ConnectWiseSandboxHost> StartAsync(Action<ConnectWiseSandboxOptions>? sandbox = null, Action<ConnectWiseOptions>? client = null)
    {
        var server = await SandboxServer.StartAsync(
            services => services.AddEasyConnectConnectWiseSandbox(o =>
            {
                o.SeedEpoch = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
                sandbox?.Invoke(o);
            }),
            app => app.MapConnectWiseSandbox(Prefix));
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddEasyConnectConnectWise();
        services.Configure<ConnectWiseOptions>(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(2);
            o.TotalTimeout = TimeSpan.FromSeconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            o.MaxRetries = 3;
            client?.Invoke(o);
        });
        return new ConnectWiseSandboxHost(server, services.BuildServiceProvider());
    }

    public ConnectWiseCredentials Credentials(string? privateKey = null, string clientId = "6b1f8d0e-0000-4000-8000-00000000ec01") =>
        new(Site, State.Options.CompanyId, State.Options.PublicKey, privateKey ?? State.Options.PrivateKey, clientId);

    public IPsaClient Client(ConnectWiseCredentials? credentials = null, string connection = "test") =>
        _clientServices.GetRequiredService<ConnectWiseClientFactory>().Create(credentials ?? Credentials(), new ConnectWiseClientOptions(connection));

    /// <summary>Requests the sandbox received whose method and path (query included) match.</summary>
    public IReadOnlyList<SandboxRequest> Requests(string method, string pathContains) =>
        Faults.Requests.Where(r => r.Method == method && r.Path.Contains(pathContains, StringComparison.OrdinalIgnoreCase)).ToList();

    public async ValueTask DisposeAsync()
    {
        await _clientServices.DisposeAsync();
        await Server.DisposeAsync();
    }
}

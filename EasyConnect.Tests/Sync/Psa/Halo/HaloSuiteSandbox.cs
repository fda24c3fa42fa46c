using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Halo;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.Halo;
using EasyConnect.Tests.Sync.Sandbox.Halo;
using EasyConnect.Tests.Sync.Tickets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Psa.Halo;

/// <summary>
/// The HaloPSA sandbox on loopback and the real Halo client over real HTTP, set up as the ticket-engine suite expects: its seeded
/// six statuses (New to Closed), 20 clients (all under the Standard SLA), 60 assets carrying ClusterIDs CL-000001 to CL-000060
/// spread over the active clients, and the technicians Ava Nguyen and Liam Smith (seeded as its first two agents).
/// The suite's priorities are one map and a new ticket takes the map of its client's SLA, so every seeded client is moved to the SLA whose
/// priorities it maps (the first four); <c>HaloPriorityPerSlaTests</c> covers clients of the other SLA.
/// </summary>
internal sealed class HaloSuiteSandbox : IPsaSandboxHost
{
    private readonly HaloSandboxHost _host;
    private readonly ServiceProvider _clients;

    private HaloSuiteSandbox(HaloSandboxHost host, ServiceProvider clients)
    {
        _host = host;
        _clients = clients;
    }

    public HaloPsaSandbox Sandbox => _host.Sandbox;

    IPsaSandbox IPsaSandboxHost.Sandbox => Sandbox;

    public static async Task<HaloSuiteSandbox> StartAsync(Action<HaloOptions>? client = null, Action<HaloSandboxOptions>? sandbox = null)
    {
        var host = await HaloSandboxHost.StartAsync(o =>
        {
            o.SeedEpoch = null;
            o.Tickets = 6;
            o.Assets = 0;
            // The suite counts calls, not Halo's rolling window: HaloSandboxApiTests and the client's tests cover the 429 and its cool-off.
            o.RateLimit = 1_000_000;
            sandbox?.Invoke(o);
        });
        var state = host.State;
        var standard = state.SlaOfClient(state.Ids(HaloSandboxState.Clients)[0]);
        // The suite maps one SLA's priorities, and a new ticket takes the map of its client's SLA: every client the suite picks
        // (a ClusterID's, the fallback company) is under that SLA. HaloPriorityPerSlaTests adds clients under the other one.
        foreach (var id in state.Ids(HaloSandboxState.Clients))
        {
            state.SetClientSla(id, standard);
        }

        var clients = state.All(HaloSandboxState.Clients, c => HaloSandboxState.Bool(c["inactive"]) != true)
            .Select(c => HaloSandboxState.Long(c["id"])!.Value).Where(c => state.SlaOfClient(c) == standard).ToList();
        for (var i = 0; i < 60; i++)
        {
            state.AddAsset($"Device-{i + 1:0000}", clients[i % clients.Count], $"CL-{i + 1:000000}");
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddEasyConnectHalo();
        services.Configure<HaloOptions>(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.TotalTimeout = TimeSpan.FromSeconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.MaxRetries = 2;
            client?.Invoke(o);
        });
        return new HaloSuiteSandbox(host, services.BuildServiceProvider());
    }

    public Task<IPsaClient> GetClientAsync(Guid connectionId, CancellationToken cancellationToken) =>
        Task.FromResult(_clients.GetRequiredService<HaloClientFactory>().Create(
            HaloCredentials.FromSettings(Sandbox.ConnectionSettings), new HaloClientOptions(connectionId.ToString("N"))));

    public async ValueTask DisposeAsync()
    {
        await _clients.DisposeAsync();
        await _host.DisposeAsync();
    }
}

using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.Autotask;
using EasyConnect.Tests.Sync.Tickets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Psa.Autotask;

/// <summary>
/// The Autotask sandbox on loopback and the real Autotask client over real HTTP, set up as the ticket-engine suite expects: the
/// technicians Ava Nguyen and Liam Smith, six active statuses (an "On Hold" before "Complete" and a "Closed" after it) and 60 active
/// configuration items carrying ClusterIDs CL-000001 to CL-000060.
/// </summary>
internal sealed class AutotaskSuiteSandbox : IPsaSandboxHost
{
    private readonly AutotaskSandboxHost _host;
    private readonly ServiceProvider _clients;

    private AutotaskSuiteSandbox(AutotaskSandboxHost host, ServiceProvider clients)
    {
        _host = host;
        _clients = clients;
        Sandbox = new AutotaskPsaSandbox(host.State);
    }

    public AutotaskPsaSandbox Sandbox { get; }

    IPsaSandbox IPsaSandboxHost.Sandbox => Sandbox;

    public static async Task<AutotaskSuiteSandbox> StartAsync(Action<AutotaskOptions>? client = null)
    {
        var host = await AutotaskSandboxHost.StartAsync(o =>
        {
            o.SeedEpoch = null;
            o.Companies = 20;
            o.ConfigurationItems = 0;
            o.Tickets = 6;
        });
        var state = host.State;
        var companies = state.Ids(AutotaskSandboxState.Companies);
        for (var i = 0; i < 60; i++)
        {
            state.AddConfigurationItem($"Device-{i + 1:0000}", companies[i % companies.Count], $"CL-{i + 1:000000}");
        }

        state.AddResource("Ava", "Nguyen", TicketHarness.Ava);
        state.AddResource("Liam", "Smith", TicketHarness.Liam);
        state.AddPicklistValue(AutotaskSandboxState.Tickets, "status", "10", "On Hold", before: "5");
        state.AddPicklistValue(AutotaskSandboxState.Tickets, "status", "11", "Closed");

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddEasyConnectAutotask();
        services.Configure<AutotaskOptions>(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.TotalTimeout = TimeSpan.FromSeconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.MaxRetries = 2;
            client?.Invoke(o);
        });
        return new AutotaskSuiteSandbox(host, services.BuildServiceProvider());
    }

    public Task<IPsaClient> GetClientAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        var client = _clients.GetRequiredService<AutotaskClientFactory>().Create(
            AutotaskCredentials.FromSettings(Sandbox.ConnectionSettings), new AutotaskClientOptions(connectionId.ToString("N"), _host.DiscoveryRoot));
        return Task.FromResult(client);
    }

    public async ValueTask DisposeAsync()
    {
        await _clients.DisposeAsync();
        await _host.DisposeAsync();
    }
}

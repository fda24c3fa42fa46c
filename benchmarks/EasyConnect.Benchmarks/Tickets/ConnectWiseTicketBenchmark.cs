using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.ConnectWise;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.ConnectWise;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EasyConnect.Benchmarks.Tickets;

/// <summary>ConnectWise PSA in the ticket benchmark: the client's concurrency limit bounds the run; the budget is set past what it makes.</summary>
internal sealed class ConnectWiseTicketBenchmark : TicketBenchmarkPsa
{
    private const string ClientId = "6b1f8d0e-0000-4000-8000-00000000be02";

    public override string Key => "connectwise";

    public override string Name => "ConnectWise";

    public override void AddSandbox(IServiceCollection services) => services.AddEasyConnectConnectWiseSandbox(o =>
    {
        o.Configurations = Configurations;
        o.Tickets = 0;
    });

    public override void MapSandbox(WebApplication app) => app.MapConnectWiseSandbox("/" + Prefix);

    public override IPsaSandbox Seed(IServiceProvider services, Uri root) =>
        new ConnectWisePsaSandbox(services.GetRequiredService<ConnectWiseSandboxState>(), new Uri(root, Prefix), ClientId);

    public override void AddClient(IServiceCollection services) => services.AddEasyConnectConnectWise();

    public override IPsaClient CreateClient(IServiceProvider services, IPsaSandbox sandbox, Guid connectionId) =>
        services.GetRequiredService<ConnectWiseClientFactory>().Create(Credentials(sandbox), new ConnectWiseClientOptions(connectionId.ToString("N")));

    public override string InstanceKey(IPsaSandbox sandbox) => Credentials(sandbox).InstanceKey;

    public override int TicketCount(IPsaSandbox sandbox) => ((ConnectWisePsaSandbox)sandbox).State.TicketCount;

    // Read its comments, create the PSA ticket (the description is its first note), attach its configuration, add one note per comment,
    // and store the PSA ticket's id on the portal ticket.
    public override (int Calls, string Why) Minimum(int comments) =>
        (1 + 1 + 1 + comments + 1, $"read the comments, create (the description is its first note), attach the configuration, {comments} notes, store the id");

    public override (TimeSpan Bound, string Label, string Value) Bound(TicketRun first, int latencyMs, IServiceProvider services)
    {
        var concurrency = services.GetRequiredService<IOptions<ConnectWiseOptions>>().Value.MaxConcurrency;
        return (TimeSpan.FromMilliseconds((double)first.PsaRequests * latencyMs / concurrency), "bound: PSA calls x latency / concurrency",
            $"{first.PsaRequests:N0} x {latencyMs} ms / {concurrency}");
    }

    private static ConnectWiseCredentials Credentials(IPsaSandbox sandbox)
    {
        var settings = sandbox.ConnectionSettings;
        return new(settings["Site"], settings["CompanyId"], settings["PublicKey"], settings["PrivateKey"], ClientId);
    }
}

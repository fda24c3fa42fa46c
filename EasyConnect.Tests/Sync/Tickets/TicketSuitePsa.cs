using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Tests.Sync.Psa.Autotask;
using EasyConnect.Tests.Sync.Psa.Halo;
using EasyConnect.Tests.Sync.PsaSync;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>A PSA sandbox running on loopback with real clients of it: the sandbox contract and the engine's door to the PSA.</summary>
internal interface IPsaSandboxHost : IPsaClientProvider, IAsyncDisposable
{
    /// <summary>The sandbox, in PSA-neutral terms.</summary>
    IPsaSandbox Sandbox { get; }
}

/// <summary>
/// One PSA the ticket-engine suite runs against: how to start its sandbox and clients for a ticket harness. A PSA joins the suite with
/// one of these and a derived class per suite (see <c>ConnectWiseTicketEngineTests.cs</c> and docs/development.md).
/// </summary>
/// <remarks>
/// The suite expects the sandbox seeded with at least 15 companies, 60 configurations whose ClusterIDs run CL-000001 to CL-000060,
/// at least 6 active statuses on the default board (mapped to the portal's new, open, pending, hold, solved and closed in order),
/// at least 4 priorities (urgent, high, normal, low in order), and the technicians ava.nguyen@msp.example and liam.smith@msp.example.
/// </remarks>
public abstract class TicketSuitePsa
{
    /// <summary>ConnectWise PSA, through its sandbox and the real ConnectWise client.</summary>
    public static TicketSuitePsa ConnectWise { get; } = new ConnectWiseSuitePsa();

    /// <summary>Autotask PSA, through its sandbox and the real Autotask client.</summary>
    public static TicketSuitePsa Autotask { get; } = new AutotaskSuitePsa();

    /// <summary>HaloPSA, through its sandbox and the real Halo client.</summary>
    public static TicketSuitePsa Halo { get; } = new HaloSuitePsa();

    /// <summary>The PSA's name, for test output.</summary>
    public abstract string Name { get; }

    /// <summary>Starts the sandbox with clients that give up on a hanging request quickly (an injected timeout).</summary>
    internal abstract Task<IPsaSandboxHost> StartAsync();

    public override string ToString() => Name;

    private sealed class ConnectWiseSuitePsa : TicketSuitePsa
    {
        public override string Name => "ConnectWise";

        internal override async Task<IPsaSandboxHost> StartAsync() => await MirrorSandbox.StartAsync(configurations: 60, client: o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.TotalTimeout = TimeSpan.FromSeconds(15);
        });
    }

    private sealed class AutotaskSuitePsa : TicketSuitePsa
    {
        public override string Name => "Autotask";

        internal override async Task<IPsaSandboxHost> StartAsync() => await AutotaskSuiteSandbox.StartAsync(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.TotalTimeout = TimeSpan.FromSeconds(15);
        });
    }

    private sealed class HaloSuitePsa : TicketSuitePsa
    {
        public override string Name => "HaloPSA";

        internal override async Task<IPsaSandboxHost> StartAsync() => await HaloSuiteSandbox.StartAsync(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.TotalTimeout = TimeSpan.FromSeconds(15);
        });
    }
}

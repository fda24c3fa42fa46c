using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>
/// The base of every class of the ticket-engine suite: a <see cref="TicketHarness"/> against one PSA's sandbox per test. Each suite
/// class is abstract; a PSA runs it through a sealed class named after it (<c>ConnectWiseTicketSyncEngineTests</c>).
/// </summary>
public abstract class TicketSuite(PostgresServer postgres, TicketSuitePsa psa) : IAsyncLifetime
{
    private TicketHarness? _h;

    /// <summary>The PSA this run of the suite is for.</summary>
    public TicketSuitePsa Target { get; } = psa;

    private protected TicketHarness H => _h ?? throw new InvalidOperationException("The harness starts in InitializeAsync.");

    private protected IPsaSandbox Psa => H.Psa;

    /// <summary>What the PSA calls a configuration, as its messages name one ("configuration", "configuration item", "asset").</summary>
    private protected string ConfigurationNoun => EasyConnect.Sync.Psa.PsaProducts.Get(Psa.Kind).Nouns.Configuration;

    private protected PortalSandboxState Portal => H.Portal.State;

    private protected PostgresServer Postgres { get; } = postgres;

    private protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _h = await StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_h is not null)
        {
            await _h.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A harness against this suite's PSA; a suite class that needs other options starts its own.</summary>
    private protected virtual Task<TicketHarness> StartAsync() => StartAsync(null);

    private protected Task<TicketHarness> StartAsync(
        Action<EasyConnect.Sync.Tickets.TicketSyncOptions>? options, Action<PortalSandboxOptions>? portal = null) =>
        TicketHarness.StartAsync(Postgres, options, portal, psaKind: Target);
}

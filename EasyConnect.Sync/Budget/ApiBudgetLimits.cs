using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Budget;

/// <summary>
/// What a PSA product allows one tenant: requests per rolling window (shared with every other integration of the tenant) and
/// requests in flight at once, per endpoint or for the whole connection. EasyConnect uses its share of the window.
/// </summary>
/// <param name="RequestsPerWindow">The PSA's whole budget per <paramref name="Window"/>, before EasyConnect's share is taken.</param>
/// <param name="Window">The rolling window the PSA counts in.</param>
/// <param name="Concurrency">Requests in flight at once, per endpoint when <paramref name="PerEndpoint"/>, else per connection.</param>
/// <param name="PerEndpoint">Whether the PSA counts threads per endpoint (Autotask) rather than per connection.</param>
public sealed record ApiBudgetLimits(int RequestsPerWindow, TimeSpan Window, int Concurrency, bool PerEndpoint = false)
{
    /// <summary>
    /// How a request's endpoint is named when <see cref="PerEndpoint"/>: the product's own rule, or by default the path without ids.
    /// An endpoint of null is not limited.
    /// </summary>
    public IApiEndpointResolver Endpoints { get; init; } = PathEndpoints.Instance;

    /// <summary>The length of one counting bucket: a sixtieth of the window, at least a second.</summary>
    public TimeSpan Bucket => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, Window.Ticks / 60));
}

/// <summary>A product's default <see cref="ApiBudgetLimits"/>, registered by the product's own folder.</summary>
/// <param name="Kind">The product.</param>
/// <param name="Limits">Its documented (or generous, where undocumented) figures.</param>
public sealed record ProductApiBudget(PsaKind Kind, ApiBudgetLimits Limits);

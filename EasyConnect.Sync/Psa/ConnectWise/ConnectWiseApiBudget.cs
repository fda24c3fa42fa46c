using EasyConnect.Sync.Budget;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>ConnectWise's API budget figures.</summary>
public static class ConnectWiseApiBudget
{
    /// <summary>
    /// ConnectWise documents no quota, only that an integration sending over 1,000 requests a minute will likely be throttled
    /// (429 with Retry-After): 1,000 per minute is the generous default. Concurrency is per connection
    /// (<see cref="ConnectWiseOptions.MaxConcurrency"/>, default 8).
    /// </summary>
    public static ApiBudgetLimits Defaults { get; } = new(1_000, TimeSpan.FromMinutes(1), 8);
}

using EasyConnect.Sync.Budget;

namespace EasyConnect.Sync.Psa.Halo;

/// <summary>HaloPSA's API budget figures.</summary>
public static class HaloApiBudget
{
    /// <summary>Hosted HaloPSA throttles at about 300 requests per 5 minutes (configurable per instance); concurrency is undocumented.</summary>
    public static ApiBudgetLimits Defaults { get; } = new(300, TimeSpan.FromMinutes(5), 4);
}

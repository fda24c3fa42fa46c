using EasyConnect.Sync.Budget;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>Autotask's API budget figures.</summary>
public static class AutotaskApiBudget
{
    /// <summary>
    /// 10,000 requests per rolling hour per Autotask database, shared by every integration of the tenant (over it the API is
    /// off for all of them); 3 threads per (integration code × object endpoint), a 4th answers 429 "Thread Threshold Exceeded".
    /// The endpoint is the entity (<see cref="AutotaskEndpoints"/>): a query, a create and a read of tickets share three threads.
    /// </summary>
    public static ApiBudgetLimits Defaults { get; } = new(10_000, TimeSpan.FromHours(1), 3, PerEndpoint: true) { Endpoints = AutotaskEndpoints.Instance };
}

using System.ComponentModel.DataAnnotations;

namespace EasyConnect.Sync.Budget;

/// <summary>How EasyConnect spends a PSA's API budget. Bound from <see cref="SectionName"/>.</summary>
public sealed class ApiBudgetOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EasyConnect:ApiBudget";

    /// <summary>EasyConnect's share of the PSA's budget, in percent, until an admin sets one on the Integration page.</summary>
    [Range(1, 100)]
    public int DefaultSharePercent { get; set; } = 50;

    /// <summary>The last part of the share, in percent, kept for ticket sync: below it full syncs and the mirror wait.</summary>
    [Range(0, 90)]
    public int ReservePercent { get; set; } = 20;

    /// <summary>
    /// Calls reserved in the database at a time. A process takes a block and spends it locally, so not every call is a round
    /// trip; a block unspent at the end of its bucket is given up (counted, not used). Smaller blocks waste less of a small budget.
    /// </summary>
    [Range(1, 1000)]
    public int BlockSize { get; set; } = 10;

    /// <summary>
    /// How often the PSA tenant's own count is read where the PSA reports one (Autotask's ThresholdInformation): each reading
    /// is a call, so not per call; between readings a server adds its own calls to the last count.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan TenantCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The part of the tenant's threshold, in percent, EasyConnect never spends into: other integrations keep calling between
    /// two readings, and past the threshold the PSA shuts off every integration of the tenant.
    /// </summary>
    [Range(0, 50)]
    public int TenantMarginPercent { get; set; } = 5;

    /// <summary>Overrides of a product's budget per window, by product name (ConnectWise, Autotask, Halo).</summary>
    public Dictionary<string, int> RequestsPerWindow { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

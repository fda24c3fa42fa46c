using System.ComponentModel.DataAnnotations;
using EasyConnect.Sync.Http;

namespace EasyConnect.Sync.Psa.Halo;

/// <summary>How EasyConnect talks to HaloPSA, for every connection. Bound from <see cref="SectionName"/>.</summary>
public sealed class HaloOptions : VendorHttpOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EasyConnect:Halo";

    /// <summary>Rows per page of a paged read; Halo's maximum is 100.</summary>
    [Range(1, 100)]
    public int PageSize { get; set; } = 100;

    /// <summary>Pages one read may follow before it is stopped as a loop (100 rows each: 10 million rows by default).</summary>
    [Range(1, 1_000_000)]
    public int MaxPages { get; set; } = 100_000;

    /// <summary>How long before its expiry a token is renewed, so no call goes out with one about to lapse.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:30:00")]
    public TimeSpan TokenRenewBefore { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long to wait after a 429 that names no Retry-After. Halo counts requests over a rolling 5 minutes, so a
    /// retry a few seconds later is refused again; the kit's retry waits this long instead.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ThrottleCoolOff { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Per-client settings that are not credentials.</summary>
/// <param name="ConnectionKey">Clients with the same key share one budget, its concurrency limit and one cached token (one key per stored connection).</param>
public sealed record HaloClientOptions(string ConnectionKey);

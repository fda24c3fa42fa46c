using System.ComponentModel.DataAnnotations;
using EasyConnect.Sync.Http;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>How EasyConnect talks to Autotask, for every connection. Bound from <see cref="SectionName"/>.</summary>
public sealed class AutotaskOptions : VendorHttpOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EasyConnect:Autotask";

    /// <summary>Where the zone of an API user is looked up (<c>V1.0/ZoneInformation?user=</c> is appended).</summary>
    [Required]
    public Uri ZoneDiscoveryUrl { get; set; } = new("https://webservices.autotask.net/ATServicesRest/");

    /// <summary>Records per query page; Autotask's maximum is 500.</summary>
    [Range(1, 500)]
    public int PageSize { get; set; } = 500;

    /// <summary>Pages one read may follow before it is stopped as a loop (500 rows each: 5 million rows by default).</summary>
    [Range(1, 1_000_000)]
    public int MaxPages { get; set; } = 10_000;
}

/// <summary>Per-client settings that are not credentials.</summary>
/// <param name="ConnectionKey">Clients with the same key share one budget and its concurrency limits (one key per stored connection).</param>
/// <param name="ZoneDiscoveryUrl">Overrides <see cref="AutotaskOptions.ZoneDiscoveryUrl"/> for this client (the sandbox).</param>
public sealed record AutotaskClientOptions(string ConnectionKey, Uri? ZoneDiscoveryUrl = null);

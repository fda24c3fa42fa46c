using System.ComponentModel.DataAnnotations;
using EasyConnect.Sync.Http;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>How EasyConnect talks to ConnectWise, for every connection. Bound from <see cref="SectionName"/>.</summary>
public sealed class ConnectWiseOptions : VendorHttpOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EasyConnect:ConnectWise";

    /// <summary>The model version pinned with the Accept header, so a ConnectWise upgrade cannot change the shape of responses.</summary>
    [Required, RegularExpression(@"^\d{4}\.\d{1,2}$")]
    public string ApiVersion { get; set; } = "2025.1";

    /// <summary>Requests in flight at once per connection, shared by every client of that connection (the API budget governor's concurrency limit).</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Records per page; ConnectWise's maximum is 1,000.</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 1000;
}

/// <summary>Per-client settings that are not credentials.</summary>
/// <param name="ConnectionKey">Clients with the same key share one concurrency limit (one key per stored connection).</param>
/// <param name="MaxConcurrency">Overrides <see cref="ConnectWiseOptions.MaxConcurrency"/> for this connection; the first client of a key decides.</param>
public sealed record ConnectWiseClientOptions(string ConnectionKey, int? MaxConcurrency = null);

using System.ComponentModel.DataAnnotations;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>How EasyConnect talks to ConnectWise, for every connection. Bound from <see cref="SectionName"/>.</summary>
public sealed class ConnectWiseOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EasyConnect:ConnectWise";

    /// <summary>The model version pinned with the Accept header, so a ConnectWise upgrade cannot change the shape of responses.</summary>
    [Required, RegularExpression(@"^\d{4}\.\d{1,2}$")]
    public string ApiVersion { get; set; } = "2025.1";

    /// <summary>Requests in flight at once per connection, shared by every client of that connection.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Records per page; ConnectWise's maximum is 1,000.</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 1000;

    /// <summary>How long one attempt may take before it is abandoned (and retried when that is safe).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a call may take in all, retries and their waits included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:30:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Retries after the first attempt, for server errors, timeouts and 429.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry's wait when the answer has no Retry-After; later waits grow exponentially with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Per-client settings that are not credentials.</summary>
/// <param name="ConnectionKey">Clients with the same key share one concurrency limit (one key per stored connection).</param>
/// <param name="MaxConcurrency">Overrides <see cref="ConnectWiseOptions.MaxConcurrency"/> for this connection; the first client of a key decides.</param>
public sealed record ConnectWiseClientOptions(string ConnectionKey, int? MaxConcurrency = null);

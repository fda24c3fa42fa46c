using System.ComponentModel.DataAnnotations;

namespace EasyConnect.Sync.Sandbox.Halo;

/// <summary>What the HaloPSA sandbox accepts, how long its tokens live, how it throttles and how much demo data it seeds. Bound from <see cref="SectionName"/>.</summary>
public sealed class HaloSandboxOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EasyConnect:Sandbox:Halo";

    /// <summary>The API application's client id the token endpoint accepts.</summary>
    [Required]
    public string ClientId { get; set; } = "easyconnect-sandbox-client";

    /// <summary>The API application's client secret the token endpoint accepts.</summary>
    [Required]
    public string ClientSecret { get; set; } = "sandbox-client-secret";

    /// <summary>The tenant a hosted instance names on the token URL (<c>?tenant=</c>); empty means a self-hosted instance that needs none.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>How long an access token lives (Halo gives <c>expires_in</c> 3600).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Requests allowed in <see cref="RateWindow"/> before a 429 (hosted Halo: about 300 per rolling 5 minutes).</summary>
    [Range(1, 1_000_000)]
    public int RateLimit { get; set; } = 300;

    /// <summary>The rolling window the rate limit counts in.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a throttled caller is refused once the limit is reached (Retry-After); a short sleep never clears the window.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CoolOff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a just-written ticket or action is missing from lists (read-after-write lag); zero lists it at once.</summary>
    public TimeSpan ReadAfterWriteLag { get; set; } = TimeSpan.Zero;

    /// <summary>Agents to seed besides the API agent; every seventh is disabled.</summary>
    [Range(0, 10_000)]
    public int Agents { get; set; } = 12;

    /// <summary>Clients to seed (each with a main site).</summary>
    [Range(1, 100_000)]
    public int Clients { get; set; } = 20;

    /// <summary>Assets to seed, spread over the clients, carrying ClusterIDs CL-000001 upwards.</summary>
    [Range(0, 1_000_000)]
    public int Assets { get; set; } = 60;

    /// <summary>Tickets to seed, each with a public and a private action.</summary>
    [Range(0, 100_000)]
    public int Tickets { get; set; } = 6;

    /// <summary>When the seeded records were created; by default 30 days before start, to the second.</summary>
    public DateTimeOffset? SeedEpoch { get; set; }
}

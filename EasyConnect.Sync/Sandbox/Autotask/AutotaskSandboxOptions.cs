using System.ComponentModel.DataAnnotations;

namespace EasyConnect.Sync.Sandbox.Autotask;

/// <summary>What the Autotask sandbox accepts, how much demo data it seeds and how it throttles. Bound from <see cref="SectionName"/>.</summary>
public sealed class AutotaskSandboxOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EasyConnect:Sandbox:Autotask";

    /// <summary>The API-only user's name the sandbox accepts (it also finds the zone).</summary>
    [Required]
    public string UserName { get; set; } = "easyconnect@sandbox.example.com";

    /// <summary>The API user's secret the sandbox accepts.</summary>
    [Required]
    public string Secret { get; set; } = "sandbox-secret";

    /// <summary>The API tracking identifier (integration code) the sandbox accepts.</summary>
    [Required]
    public string IntegrationCode { get; set; } = "EASYCONNECTSANDBOXTRACKING1";

    /// <summary>
    /// More API-only users of the same database, accepted with the same secret and integration code: two API users of one database
    /// are one instance to EasyConnect.
    /// </summary>
    public string[] OtherApiUsers { get; set; } = [];

    /// <summary>The database id the zone lookup answers as <c>ci</c>; settable while running, to play another database behind the same user.</summary>
    [Range(1, int.MaxValue)]
    public int DatabaseId { get; set; } = 1_234_567;

    /// <summary>The zone the user lives in, named in the zone's path and in <c>zoneName</c>.</summary>
    [Required, RegularExpression("^[A-Za-z0-9]+$")]
    public string Zone { get; set; } = "webservices5";

    /// <summary>Concurrent requests per integration code and entity endpoint before a 429.</summary>
    [Range(1, 1000)]
    public int ThreadLimit { get; set; } = 3;

    /// <summary>Requests per rolling hour for the whole database.</summary>
    [Range(1, 1_000_000)]
    public int HourlyThreshold { get; set; } = 10_000;

    /// <summary>Delay added to each request once more than half the hourly threshold is used.</summary>
    [Range(0, 60_000)]
    public int HalfThresholdLatencyMs { get; set; } = 500;

    /// <summary>Delay added to each request once more than three quarters of the hourly threshold is used.</summary>
    [Range(0, 60_000)]
    public int ThreeQuarterThresholdLatencyMs { get; set; } = 1_000;

    /// <summary>How long a just-created record reads as missing (replication lag); zero shows it at once.</summary>
    public TimeSpan ReadAfterWriteLag { get; set; } = TimeSpan.Zero;

    /// <summary>Resources to seed besides the API user; every seventh is inactive.</summary>
    [Range(1, 10_000)]
    public int Resources { get; set; } = 20;

    /// <summary>Companies to seed.</summary>
    [Range(1, 100_000)]
    public int Companies { get; set; } = 30;

    /// <summary>Configuration items to seed, spread over the companies.</summary>
    [Range(0, 1_000_000)]
    public int ConfigurationItems { get; set; } = 60;

    /// <summary>Tickets to seed, each with a note.</summary>
    [Range(0, 100_000)]
    public int Tickets { get; set; } = 6;

    /// <summary>When the seeded records were created; by default 30 days before start, to the second.</summary>
    public DateTimeOffset? SeedEpoch { get; set; }
}

using System.ComponentModel.DataAnnotations;

namespace EasyConnect.Sync.Sandbox.ConnectWise;

/// <summary>What the ConnectWise sandbox accepts and how much demo data it seeds. Bound from <see cref="SectionName"/>.</summary>
public sealed class ConnectWiseSandboxOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EasyConnect:Sandbox:ConnectWise";

    /// <summary>The company id to log in with.</summary>
    [Required]
    public string CompanyId { get; set; } = "easyconnect";

    /// <summary>The API member's public key the sandbox accepts.</summary>
    [Required]
    public string PublicKey { get; set; } = "sandbox-public-key";

    /// <summary>The API member's private key the sandbox accepts.</summary>
    [Required]
    public string PrivateKey { get; set; } = "sandbox-private-key";

    /// <summary>The clientId the sandbox accepts; empty accepts any non-empty clientId.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// What <c>login/companyinfo</c> answers as Codebase: a versioned one such as "v2025_1/" is a cloud instance (and
    /// "v4_6_release/" redirects to it), "v4_6_release/" an on-premise one.
    /// </summary>
    [Required, RegularExpression(@"^[A-Za-z0-9_.]+/$")]
    public string Codebase { get; set; } = "v2025_1/";

    /// <summary>The host named in the <c>_info</c> hrefs of references (ConnectWise names its own there; nothing should follow them).</summary>
    [Required]
    public string InfoLinkHost { get; set; } = "sandbox.connectwise.invalid";

    /// <summary>The identifier of the API member the keys belong to (the creator of what the API writes).</summary>
    [Required]
    public string ApiMemberIdentifier { get; set; } = "EasyConnectAPI";

    /// <summary>Companies to seed.</summary>
    [Range(1, 100_000)]
    public int Companies { get; set; } = 20;

    /// <summary>Configurations to seed, spread over the companies; each has a ClusterID.</summary>
    [Range(0, 1_000_000)]
    public int Configurations { get; set; } = 200;

    /// <summary>Members to seed besides the API member; every seventh is inactive.</summary>
    [Range(0, 100_000)]
    public int Members { get; set; } = 25;

    /// <summary>Service tickets to seed, each with its description note and an internal note.</summary>
    [Range(0, 100_000)]
    public int Tickets { get; set; } = 10;

    /// <summary>Seed of the demo data generator: the same seed gives the same data.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>When the seeded records were entered; by default 30 days before start, to the second.</summary>
    public DateTimeOffset? SeedEpoch { get; set; }
}

using System.ComponentModel.DataAnnotations;

namespace EasyConnect.Sync.Sandbox.Portal;

/// <summary>What the portal sandbox (a simulated Zendesk account) accepts and how much demo data it seeds. Bound from <see cref="SectionName"/>.</summary>
public sealed class PortalSandboxOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EasyConnect:Sandbox:Portal";

    /// <summary>The email of the admin the integration signs in as.</summary>
    [Required, EmailAddress]
    public string AgentEmail { get; set; } = "easyconnect@msp.example";

    /// <summary>The account's API token; as in Zendesk, any active agent's email with this token signs in as that agent.</summary>
    [Required]
    public string ApiToken { get; set; } = "sandbox-api-token";

    /// <summary>An OAuth access token that signs in as <see cref="AgentEmail"/>.</summary>
    [Required]
    public string OAuthToken { get; set; } = "sandbox-oauth-token";

    /// <summary>The id of the custom ticket field holding the ClusterID.</summary>
    [Range(1, long.MaxValue)]
    public long ClusterIdFieldId { get; set; } = 360012345678;

    /// <summary>Tickets to seed, with every priority and status, each with its description and up to three more comments.</summary>
    [Range(0, 1_000_000)]
    public int Tickets { get; set; } = 40;

    /// <summary>
    /// Tickets to seed besides <see cref="Tickets"/>, created within the last hours before start (each with a ClusterID that matches a
    /// ConnectWise sandbox configuration and one reply), so a first ticket sync run, which reads only recent changes, finds some. 0 by
    /// default, so tests that count what a run brings in see only the tickets they add; the app turns them on.
    /// </summary>
    [Range(0, 24)]
    public int RecentTickets { get; set; }

    /// <summary>End users (requesters) to seed.</summary>
    [Range(1, 100_000)]
    public int EndUsers { get; set; } = 12;

    /// <summary>
    /// Agents to seed besides the integration's admin: all but the last carry the emails of the ConnectWise sandbox's first members
    /// (so the user mapping finds them), the last an email no PSA member has.
    /// </summary>
    [Range(1, 1000)]
    public int Agents { get; set; } = 6;

    /// <summary>
    /// How many of the ConnectWise sandbox's ClusterIDs (CL-000001 onwards) tickets use; keep it at most its number of configurations.
    /// One ticket in ten carries a ClusterID no configuration has, and one in ten none.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MatchingClusterIds { get; set; } = 200;

    /// <summary>Incremental export requests answered per minute before a 429, as Zendesk does; 0 turns the limit off.</summary>
    [Range(0, 100_000)]
    public int ExportRequestsPerMinute { get; set; } = 10;

    /// <summary>
    /// Whether include=users on a ticket's comments side-loads the comments' authors. Zendesk documents it only as the way to list
    /// email CCs, so by default the sandbox side-loads none (it has no CCs) and a client must look the authors up itself.
    /// </summary>
    public bool SideloadCommentAuthors { get; set; }

    /// <summary>Seed of the demo data generator: the same seed gives the same data.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>When the seeded records were created; by default 30 days before start, to the second.</summary>
    public DateTimeOffset? SeedEpoch { get; set; }
}

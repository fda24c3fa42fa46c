namespace EasyConnect.Sync.PsaSync;

/// <summary>
/// What every mirrored PSA row has: the connection it came from and the PSA's id (together the key), the PSA's
/// last-modified time, when EasyConnect last wrote it, which full run last saw it, and the whole record as jsonb.
/// </summary>
public abstract class MirroredRow
{
    /// <summary>The PSA connection the row came from; rows of different connections never mix.</summary>
    public Guid ConnectionId { get; set; }

    /// <summary>The PSA's id of the record.</summary>
    public string PsaId { get; set; } = "";

    /// <summary>The PSA's last-modified time (UTC).</summary>
    public DateTimeOffset LastModified { get; set; }

    /// <summary>When EasyConnect last wrote the row.</summary>
    public DateTimeOffset SyncedAt { get; set; }

    /// <summary>The last run that read the row; a full run deletes the rows it did not see.</summary>
    public Guid SeenRunId { get; set; }

    /// <summary>The whole record as the PSA sent it (jsonb), so later features need no re-sync.</summary>
    public string Raw { get; set; } = "{}";
}

/// <summary>A mirrored PSA member (ConnectWise member).</summary>
public sealed class MirroredMember : MirroredRow
{
    /// <summary>The member's login identifier.</summary>
    public string Identifier { get; set; } = "";

    /// <summary>First name.</summary>
    public string FirstName { get; set; } = "";

    /// <summary>Last name.</summary>
    public string LastName { get; set; } = "";

    /// <summary>The first email, lowercase: what user mapping matches first.</summary>
    public string? PrimaryEmail { get; set; }

    /// <summary>Every email of the member, lowercase.</summary>
    public List<string> Emails { get; set; } = [];

    /// <summary>Whether the PSA marks the member inactive.</summary>
    public bool Inactive { get; set; }
}

/// <summary>A mirrored customer company.</summary>
public sealed class MirroredCompany : MirroredRow
{
    /// <summary>The company's short identifier.</summary>
    public string Identifier { get; set; } = "";

    /// <summary>The company's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Whether the company is inactive or deleted in the PSA.</summary>
    public bool Inactive { get; set; }

    /// <summary>The priority scope its new tickets fall under (HaloPSA: its SLA), or null (<see cref="Psa.PsaCompany.PriorityScopeId"/>).</summary>
    public string? PriorityScopeId { get; set; }
}

/// <summary>A mirrored configuration (asset).</summary>
public sealed class MirroredConfiguration : MirroredRow
{
    /// <summary>The configuration's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The PSA id of the company it belongs to.</summary>
    public string? CompanyId { get; set; }

    /// <summary>Serial number.</summary>
    public string? SerialNumber { get; set; }

    /// <summary>Tag number.</summary>
    public string? TagNumber { get; set; }

    /// <summary>Whether the PSA record has no name of its own and <see cref="Name"/> is a stand-in (<see cref="Psa.PsaConfiguration.Unnamed"/>).</summary>
    public bool Unnamed { get; set; }

    /// <summary>Custom fields and questions by name, as a jsonb object of strings (the ClusterID lives here).</summary>
    public string CustomFields { get; set; } = "{}";

    /// <summary>Whether the configuration is active.</summary>
    public bool Active { get; set; }
}

/// <summary>A mirrored service board.</summary>
public sealed class MirroredBoard : MirroredRow
{
    /// <summary>The board's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Whether the board is inactive.</summary>
    public bool Inactive { get; set; }
}

/// <summary>A mirrored ticket status.</summary>
public sealed class MirroredStatus : MirroredRow
{
    /// <summary>The PSA id of what the status belongs to (ConnectWise: its board), or null where statuses are global (<see cref="Psa.PsaStatus.ScopeId"/>).</summary>
    public string? ScopeId { get; set; }

    /// <summary>The status's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Whether tickets in this status are closed.</summary>
    public bool Closed { get; set; }

    /// <summary>Whether the status is inactive.</summary>
    public bool Inactive { get; set; }

    /// <summary>The PSA's display order.</summary>
    public int Sort { get; set; }
}

/// <summary>A mirrored ticket priority.</summary>
public sealed class MirroredPriority : MirroredRow
{
    /// <summary>The PSA id of what the priority belongs to (HaloPSA: its SLA), or null where priorities are global (<see cref="Psa.PsaPriority.ScopeId"/>).</summary>
    public string? ScopeId { get; set; }

    /// <summary>The priority's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The PSA's display order.</summary>
    public int Sort { get; set; }
}

/// <summary>A mirrored service ticket.</summary>
public sealed class MirroredTicket : MirroredRow
{
    /// <summary>The ticket's summary.</summary>
    public string Summary { get; set; } = "";

    /// <summary>PSA id of the board.</summary>
    public string? BoardId { get; set; }

    /// <summary>PSA id of the status.</summary>
    public string? StatusId { get; set; }

    /// <summary>PSA id of the priority.</summary>
    public string? PriorityId { get; set; }

    /// <summary>PSA id of the company.</summary>
    public string? CompanyId { get; set; }

    /// <summary>The external reference (ConnectWise externalXRef): the portal ticket id when EasyConnect created the ticket.</summary>
    public string? ExternalRef { get; set; }
}

/// <summary>Where the incremental sync of one entity of one connection stands: the newest (last modified, id) it committed.</summary>
public sealed class SyncCursor
{
    /// <summary>The PSA connection.</summary>
    public Guid ConnectionId { get; set; }

    /// <summary>The entity.</summary>
    public Psa.PsaEntity Entity { get; set; }

    /// <summary>The newest last-modified time committed.</summary>
    public DateTimeOffset LastModified { get; set; }

    /// <summary>The id of the newest row committed, breaking ties on <see cref="LastModified"/>.</summary>
    public string LastId { get; set; } = "";

    /// <summary>When the cursor last moved or was reset.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}

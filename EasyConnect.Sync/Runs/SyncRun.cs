using System.Text.Json;
using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Runs;

/// <summary>Which kind of mirror run.</summary>
public enum SyncRunKind
{
    /// <summary>Reads rows modified since the cursor.</summary>
    Incremental,

    /// <summary>Reads everything and deletes what the PSA no longer has.</summary>
    Full,

    /// <summary>A run of the ticket sync (portal ⇄ PSA), not of the mirror.</summary>
    Tickets,
}

/// <summary>What started a run.</summary>
public enum SyncTrigger
{
    /// <summary>The recurring job.</summary>
    Scheduled,

    /// <summary>Someone pressed Sync now (or confirmed a deletion).</summary>
    Manual,
}

/// <summary>Where a run is, or how it ended.</summary>
public enum SyncRunStatus
{
    /// <summary>Still running.</summary>
    Running,

    /// <summary>Every entity was mirrored.</summary>
    Succeeded,

    /// <summary>Stopped by an error; what was committed stays, nothing was deleted for the failed entity.</summary>
    Failed,

    /// <summary>A full run would have deleted an implausible share of rows and waits for an admin.</summary>
    NeedsConfirmation,

    /// <summary>Not run: another run of the same connection held the lock.</summary>
    Skipped,
}

/// <summary>Why a failed run failed, where it matters to whom is told (alerts).</summary>
public enum RunFailureCause
{
    /// <summary>Anything else: the message says what.</summary>
    Other,

    /// <summary>The PSA or the portal refused EasyConnect's credentials: an admin must enter working ones.</summary>
    Credentials,
}

/// <summary>What a run did to one entity.</summary>
/// <param name="WouldDelete">Rows a full run held back by the mass-delete guard.</param>
/// <param name="Error">Why the entity failed, in plain language.</param>
/// <param name="Notes">For a ticket sync run: comments and notes copied either way.</param>
/// <param name="Held">For a ticket sync run: tickets newly held.</param>
/// <param name="Expected">How many there are to read, when known while the run works (a full run asks the PSA; a ticket run counts its work).</param>
public sealed record SyncRunEntityCounts(
    PsaEntity Entity, int Read = 0, int Upserted = 0, int Deleted = 0, int WouldDelete = 0, string? Error = null, int Notes = 0, int Held = 0,
    int? Expected = null);

/// <summary>One run of the mirror (table <c>sync_runs</c>).</summary>
public sealed class SyncRun
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public Guid Id { get; set; }

    public Guid ConnectionId { get; set; }

    public SyncRunKind Kind { get; set; }

    public SyncTrigger Trigger { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public SyncRunStatus Status { get; set; }

    /// <summary>Totals over the entities, for the history grid.</summary>
    public int RowsRead { get; set; }

    public int RowsUpserted { get; set; }

    public int RowsDeleted { get; set; }

    /// <summary>HTTP requests the run sent to the PSA, retries included.</summary>
    public long ApiCalls { get; set; }

    /// <summary>What went wrong or what needs confirming, in plain language.</summary>
    public string? Message { get; set; }

    /// <summary>Why a failed run failed; null for runs that did not fail.</summary>
    public RunFailureCause? FailureCause { get; set; }

    /// <summary>The run whose held-back deletion this run was started to carry out.</summary>
    public Guid? ConfirmsRunId { get; set; }

    /// <summary>Who started a manual run or confirmed a deletion.</summary>
    public string? StartedBy { get; set; }

    /// <summary>Per-entity counts as jsonb.</summary>
    public string EntitiesJson { get; set; } = "[]";

    /// <summary>Per-entity counts.</summary>
    public IReadOnlyList<SyncRunEntityCounts> Entities
    {
        get => JsonSerializer.Deserialize<List<SyncRunEntityCounts>>(EntitiesJson, Json) ?? [];
        set
        {
            EntitiesJson = JsonSerializer.Serialize(value, Json);
            RowsRead = value.Sum(e => e.Read);
            RowsUpserted = value.Sum(e => e.Upserted);
            RowsDeleted = value.Sum(e => e.Deleted);
        }
    }
}

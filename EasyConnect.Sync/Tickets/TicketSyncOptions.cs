using System.ComponentModel.DataAnnotations;

namespace EasyConnect.Sync.Tickets;

/// <summary>How the ticket sync behaves, for every connection. Bound from <see cref="SectionName"/>, validated on start.</summary>
/// <remarks>The schedule and the switch are per connection, in Advanced Settings.</remarks>
public sealed class TicketSyncOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EasyConnect:TicketSync";

    /// <summary>How far back the first run of a connection reads portal tickets; older tickets are left alone.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan FirstRunReach { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How far before the newest PSA change already read each run reads again, to survive clock skew and late writes. A changed PSA
    /// ticket whose notes were read within a second plus this time of its change is looked at once more (see <see cref="TicketLink.PsaRecheck"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan PsaOverlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Tickets synced at once; at most twice the requests the PSA connection allows in flight (its client queues the rest), so the
    /// PSA is kept busy while some tickets wait on the portal or the database.
    /// </summary>
    [Range(1, 64)]
    public int MaxParallelTickets { get; set; } = 16;

    /// <summary>Tickets one run looks at, at most; the rest wait for the next run.</summary>
    [Range(1, 1_000_000)]
    public int MaxTicketsPerRun { get; set; } = 5_000;

    /// <summary>
    /// How long a write that timed out may still arrive (ConnectWise creates can take minutes under load). Until then it is looked
    /// for on each run but not written again; after it, a write that never arrived is made again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan UnconfirmedWriteWait { get; set; } = TimeSpan.FromMinutes(10);
}

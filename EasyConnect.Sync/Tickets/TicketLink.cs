namespace EasyConnect.Sync.Tickets;

/// <summary>
/// One portal ticket and the PSA ticket EasyConnect keeps in sync with it (table <c>ticket_links</c>). It holds the portal's
/// latest snapshot (from the export), the values last synced each way (so only real changes move), what the PSA ticket looks
/// like, and why the ticket is held, if it is. Keyed by the PSA connection, so an instance change never mixes tickets.
/// </summary>
public sealed class TicketLink
{
    public long Id { get; set; }

    /// <summary>The PSA connection.</summary>
    public Guid ConnectionId { get; set; }

    /// <summary>The portal connection the ticket came from (a different portal account has different tickets).</summary>
    public Guid PortalConnectionId { get; set; }

    /// <summary>The portal's ticket id.</summary>
    public string PortalTicketId { get; set; } = "";

    /// <summary>The PSA ticket's id; null until it has been created (or found again).</summary>
    public string? PsaTicketId { get; set; }

    // The portal's latest snapshot, as the export (or a resync) last read it.

    /// <summary>The portal subject.</summary>
    public string PortalSubject { get; set; } = "";

    /// <summary>The portal description (the first comment).</summary>
    public string PortalDescription { get; set; } = "";

    /// <summary>low, normal, high, urgent, or null when the ticket has none.</summary>
    public string? PortalPriority { get; set; }

    /// <summary>new, open, pending, hold, solved, closed or deleted.</summary>
    public string PortalStatus { get; set; } = "";

    /// <summary>The ClusterID, trimmed; null when empty.</summary>
    public string? PortalClusterId { get; set; }

    /// <summary>The portal's updated_at of the snapshot.</summary>
    public DateTimeOffset PortalUpdatedAt { get; set; }

    /// <summary>Whether the portal ticket changed since it was last processed.</summary>
    public bool PortalDirty { get; set; }

    // What was last synced from the portal to the PSA.

    /// <summary>The portal subject last sent as the summary.</summary>
    public string? SyncedSubject { get; set; }

    /// <summary>The portal priority last applied.</summary>
    public string? SyncedPriority { get; set; }

    /// <summary>The portal status last applied.</summary>
    public string? SyncedStatus { get; set; }

    /// <summary>The ClusterID last applied (its configuration attached, its company set).</summary>
    public string? SyncedClusterId { get; set; }

    /// <summary>The configuration attached for <see cref="SyncedClusterId"/>, if one matched.</summary>
    public string? ConfigurationId { get; set; }

    /// <summary>Whether the portal ticket's external id holds the PSA ticket id.</summary>
    public bool ExternalIdSet { get; set; }

    /// <summary>Hash of the portal description when the descriptions last agreed.</summary>
    public string? PortalDescriptionHash { get; set; }

    /// <summary>Hash of the PSA description note's text (whitespace-normalised) when the descriptions last agreed.</summary>
    public string? PsaDescriptionHash { get; set; }

    // What the PSA ticket looks like, as EasyConnect last saw it.

    /// <summary>The PSA summary.</summary>
    public string? PsaSummary { get; set; }

    /// <summary>PSA board id.</summary>
    public string? PsaBoardId { get; set; }

    /// <summary>PSA company id.</summary>
    public string? PsaCompanyId { get; set; }

    /// <summary>PSA status id.</summary>
    public string? PsaStatusId { get; set; }

    /// <summary>PSA priority id.</summary>
    public string? PsaPriorityId { get; set; }

    /// <summary>The PSA's last-modified time last seen; a later one means someone changed the PSA ticket.</summary>
    public DateTimeOffset? PsaLastModified { get; set; }

    /// <summary>Whether the PSA ticket changed since it was last processed.</summary>
    public bool PsaDirty { get; set; }

    /// <summary>
    /// Look once more on the next read even if the last-modified time has not moved: the PSA stamps whole seconds, so a change made
    /// in the same second as the read that saw <see cref="PsaLastModified"/> would otherwise go unnoticed. Set when the time moves;
    /// cleared by that look, or at once when the ticket's notes were read after that second and the PSA overlap had passed (no
    /// change can carry that time any more), so a quiet run does not read the notes of recently changed tickets again.
    /// </summary>
    public bool PsaRecheck { get; set; }

    // EasyConnect's own last writes (see OwnWrites): a change that carries exactly these is one EasyConnect made, and is not read back.

    /// <summary>The PSA ticket's last-modified time after EasyConnect's last write to it, when that write accounts for every change.</summary>
    public DateTimeOffset? PsaOwnStamp { get; set; }

    /// <summary>Who the PSA named as the last updater after that write (ConnectWise <c>_info.updatedBy</c>: the API member).</summary>
    public string? PsaOwnBy { get; set; }

    /// <summary>The portal ticket's updated_at after EasyConnect's last write to it, when that write accounts for every change.</summary>
    public DateTimeOffset? PortalOwnStamp { get; set; }

    /// <summary>How many comments the portal ticket had after that write.</summary>
    public int? PortalOwnComments { get; set; }

    /// <summary>The portal ticket's comment count as the last read of changes reported it; null when the portal does not say.</summary>
    public int? PortalCommentCount { get; set; }

    // Outcome.

    /// <summary>Why the ticket (or part of it) cannot sync, in plain language; null when it is not held.</summary>
    public string? HeldReason { get; set; }

    /// <summary>What holds the ticket, for filters and docs.</summary>
    public HoldKind? HeldKind { get; set; }

    /// <summary>Since when the ticket is held.</summary>
    public DateTimeOffset? HeldSince { get; set; }

    /// <summary>When both sides last changed the description in the same interval.</summary>
    public DateTimeOffset? ConflictAt { get; set; }

    /// <summary>What the conflict did, in plain language.</summary>
    public string? ConflictNote { get; set; }

    /// <summary>The last transient error; the ticket is tried again on the next run.</summary>
    public string? LastError { get; set; }

    /// <summary>When a run last finished this ticket without error.</summary>
    public DateTimeOffset? LastSyncedAt { get; set; }

    /// <summary>When the portal ticket was first seen.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Whether the ticket needs a look on the next run.</summary>
    public bool NeedsWork => PortalDirty || PsaDirty || HeldReason is not null || LastError is not null || (PsaTicketId is not null && !ExternalIdSet);
}

/// <summary>What holds a ticket.</summary>
public enum HoldKind
{
    /// <summary>The ClusterID matches no PSA configuration and no fallback company is set.</summary>
    UnknownClusterId,

    /// <summary>The portal priority has no PSA priority in the priority map.</summary>
    UnmappedPriority,

    /// <summary>The portal status has no PSA status in the status map.</summary>
    UnmappedStatus,

    /// <summary>No default board is set.</summary>
    NoBoard,

    /// <summary>The PSA refused the ticket or a change (a validation error).</summary>
    PsaRefused,

    /// <summary>The portal refused a change (a validation error).</summary>
    PortalRefused,
}

/// <summary>Which way something moved.</summary>
public enum SyncDirection
{
    /// <summary>From the portal to the PSA.</summary>
    PortalToPsa,

    /// <summary>From the PSA to the portal.</summary>
    PsaToPortal,

    /// <summary>Nothing moved (a hold, a release, a change that is not synced).</summary>
    None,
}

/// <summary>
/// A portal comment and the PSA note that carries it, or the other way round (table <c>note_links</c>). A note or comment with a
/// link is never synced again: this is what keeps EasyConnect's own writes from coming back as new changes.
/// </summary>
public sealed class NoteLink
{
    public long Id { get; set; }

    public Guid ConnectionId { get; set; }

    public long TicketLinkId { get; set; }

    /// <summary>The portal comment; null when only the PSA side exists (a note EasyConnect wrote for itself, or one the portal refused).</summary>
    public string? PortalCommentId { get; set; }

    /// <summary>The PSA note; null when only the portal side exists (a "Description updated in the PSA" comment).</summary>
    public string? PsaNoteId { get; set; }

    /// <summary>Where it was written first.</summary>
    public NoteOrigin Origin { get; set; }

    /// <summary>The first characters of the text, for the ticket's page.</summary>
    public string Excerpt { get; set; } = "";

    /// <summary>Who wrote it, as the ticket's page shows it.</summary>
    public string? Author { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Where a linked note or comment came from.</summary>
public enum NoteOrigin
{
    /// <summary>A portal comment, copied to the PSA as an internal note.</summary>
    PortalComment,

    /// <summary>A PSA internal note, copied to the portal as a private comment.</summary>
    PsaNote,

    /// <summary>The description moving from the PSA to the portal ("Description updated in the PSA: …").</summary>
    DescriptionUpdate,

    /// <summary>The losing side of a description conflict, kept as a PSA note.</summary>
    ConflictCopy,

    /// <summary>A PSA note the portal refused (a closed ticket); it stays in the PSA only.</summary>
    Refused,
}

/// <summary>
/// A remote write EasyConnect is about to make (table <c>sync_intents</c>), recorded before the call and resolved after it. An
/// intent left pending (a timeout, a crash) is reconciled against the remote side before anything is written again, which is
/// what makes creates exactly-once.
/// </summary>
public sealed class SyncIntent
{
    public long Id { get; set; }

    public Guid ConnectionId { get; set; }

    public long TicketLinkId { get; set; }

    public IntentKind Kind { get; set; }

    /// <summary>What the write is for: the portal comment, the PSA note, or a description hash; unique per ticket while pending.</summary>
    public string SourceKey { get; set; } = "";

    /// <summary>The text written (summary, note or comment body): how the result is found again.</summary>
    public string Text { get; set; } = "";

    /// <summary>The author the write names (PSA member or portal user), if any.</summary>
    public string? AuthorId { get; set; }

    /// <summary>Who the text is by, as the ticket's page shows it.</summary>
    public string? AuthorName { get; set; }

    public IntentState State { get; set; }

    /// <summary>The id the remote side gave the record, once known.</summary>
    public string? ResultId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }
}

/// <summary>The kinds of remote writes that are not idempotent, and so need an intent.</summary>
public enum IntentKind
{
    /// <summary>A PSA ticket for a portal ticket (found again by its external reference).</summary>
    CreatePsaTicket,

    /// <summary>A PSA note (found again by its text and creator).</summary>
    CreatePsaNote,

    /// <summary>A private portal comment (found again by its text and author).</summary>
    AddPortalComment,
}

/// <summary>Where an intent stands.</summary>
public enum IntentState
{
    /// <summary>Recorded; the outcome of the write is not known yet.</summary>
    Pending,

    /// <summary>The write happened (or was found to have happened).</summary>
    Done,

    /// <summary>The write did not happen; a new intent may try again.</summary>
    Abandoned,
}

/// <summary>One entry of a ticket's history (table <c>ticket_ledger</c>): what moved or did not, which way, when, with both ids.</summary>
public sealed class TicketLedgerEntry
{
    public long Id { get; set; }

    public Guid ConnectionId { get; set; }

    public long TicketLinkId { get; set; }

    public DateTimeOffset At { get; set; }

    public SyncDirection Direction { get; set; }

    /// <summary>What it was about: Ticket, Subject, Priority, Status, Company, Configuration, Description, Comment, Note, External id.</summary>
    public string Subject { get; set; } = "";

    public LedgerResult Result { get; set; }

    /// <summary>The portal-side id (ticket or comment).</summary>
    public string? PortalId { get; set; }

    /// <summary>The PSA-side id (ticket or note).</summary>
    public string? PsaId { get; set; }

    /// <summary>What happened, in plain language.</summary>
    public string Detail { get; set; } = "";

    /// <summary>The sync run that did it.</summary>
    public Guid? RunId { get; set; }
}

/// <summary>How a ledger entry ended.</summary>
public enum LedgerResult
{
    /// <summary>Written.</summary>
    Synced,

    /// <summary>Not written: the ticket (or field) is held until the cause is fixed.</summary>
    Held,

    /// <summary>The cause of a hold was fixed.</summary>
    Released,

    /// <summary>Both sides changed; the newer won.</summary>
    Conflict,

    /// <summary>A change that the rules do not sync (noted so nobody wonders).</summary>
    NotSynced,

    /// <summary>A transient failure; tried again on the next run.</summary>
    Failed,

    /// <summary>A write that happened earlier was found again after a timeout or restart.</summary>
    Reconciled,
}

/// <summary>Where the ticket sync of one PSA connection resumes on each side (table <c>ticket_sync_cursors</c>).</summary>
public sealed class TicketSyncCursor
{
    /// <summary>The PSA connection.</summary>
    public Guid ConnectionId { get; set; }

    /// <summary>The portal connection <see cref="PortalCursor"/> belongs to.</summary>
    public Guid? PortalConnectionId { get; set; }

    /// <summary>The portal's export cursor, where the next read resumes.</summary>
    public string? PortalCursor { get; set; }

    /// <summary>
    /// The earliest portal change the sync has read from: portal tickets last changed before it are left alone until they change.
    /// With no <see cref="PortalCursor"/> the next read starts here (an admin asked to reach further back).
    /// </summary>
    public DateTimeOffset? PortalReadsFrom { get; set; }

    /// <summary>The newest PSA ticket change read; the next read starts a little before it.</summary>
    public DateTimeOffset? PsaModifiedAfter { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

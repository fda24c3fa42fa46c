using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Tickets;

/// <summary>
/// What EasyConnect's own writes left on a ticket, so that the read of changes after them does not take them for someone else's
/// and read the ticket's notes and comments again. A pass records, per side, the stamp its last write produced (read from the write's
/// answer) and a second sign that tells its write from a change made in the same second (ConnectWise and the portal stamp whole
/// seconds): on the PSA the last updater the PSA names, on the portal the number of comments. A claim is made only when the pass
/// accounts for every change up to its write (it created the PSA ticket or read its notes; it knows the portal ticket's comment
/// count); otherwise the next read looks at the ticket as before. A PSA that stamps finer than whole seconds (HaloPSA: milliseconds)
/// needs no updater for the claim: a change by someone else in the same millisecond is not to be expected, and the fields still
/// have to be the claim's. A changed ticket whose stamp, sign and fields are the claim's is
/// EasyConnect's own write; anything else is someone's change and is synced.
/// </summary>
internal sealed class OwnWrites(TicketLink link, bool updaterNeeded)
{
    private bool _psaKnown;
    private bool _psaWrote;
    private bool _psaUnknown;
    private DateTimeOffset? _psaStamp;
    private string? _psaBy = link.PsaOwnBy;
    private int? _portalComments = link.PortalCommentCount;
    private bool _portalWrote;
    private bool _portalUnknown;
    private DateTimeOffset? _portalStamp;

    /// <summary>The pass created the PSA ticket: it knows everything on it.</summary>
    public void PsaCreated(PsaTicket ticket)
    {
        _psaKnown = true;
        PsaWrote(ticket);
    }

    /// <summary>The pass read the PSA ticket's notes: every change before the read is known.</summary>
    public void PsaNotesRead() => _psaKnown = true;

    /// <summary>A PSA write answered with the ticket (an update): its stamp and updater are the ticket's now.</summary>
    public void PsaWrote(PsaTicket ticket)
    {
        Psa(ticket.LastModified);
        _psaBy = ticket.UpdatedBy;
    }

    /// <summary>A PSA note written or changed: adding a note stamps the ticket with the note's time (ConnectWise), by the same member.</summary>
    public void PsaWrote(PsaNote note) => Psa(note.LastModified);

    /// <summary>A PSA write whose answer does not carry the ticket's new stamp (attaching a configuration), or whose answer was lost.</summary>
    public void PsaWroteUnseen()
    {
        _psaWrote = true;
        _psaUnknown = true;
    }

    /// <summary>Whether the pass wrote to the PSA ticket.</summary>
    public bool PsaWritten => _psaWrote;

    /// <summary>The pass read the portal ticket's comments.</summary>
    public void PortalCommentsRead(int count) => _portalComments = count;

    /// <summary>A private comment added: the portal ticket's updated_at is the comment's time (the same ticket event).</summary>
    public void PortalWrote(PortalComment comment)
    {
        Portal(comment.CreatedAt);
        _portalComments = _portalComments + 1;
    }

    /// <summary>A portal write answered with the ticket (the external id).</summary>
    public void PortalWrote(PortalTicket ticket) => Portal(ticket.UpdatedAt);

    /// <summary>A portal write whose answer was lost or did not say what it made.</summary>
    public void PortalWroteUnseen()
    {
        _portalWrote = true;
        _portalUnknown = true;
    }

    /// <summary>A write whose answer was lost: the side it went to cannot be claimed by this pass.</summary>
    public void Unseen(IntentKind kind)
    {
        if (kind == IntentKind.AddPortalComment)
        {
            PortalWroteUnseen();
        }
        else
        {
            PsaWroteUnseen();
        }
    }

    /// <summary>
    /// At the end of a pass: records the claims its writes allow and forgets the ones they outdated. A PSA claim also counts as the
    /// PSA ticket's last-modified time seen, with no second look owed: the updater tells a same-second change apart instead.
    /// </summary>
    public void ApplyTo(TicketLink target)
    {
        if (_psaWrote)
        {
            if (_psaKnown && !_psaUnknown && _psaStamp is { } stamp && (_psaBy is not null || !updaterNeeded))
            {
                target.PsaOwnStamp = stamp;
                target.PsaOwnBy = _psaBy;
                target.PsaLastModified = target.PsaLastModified is { } seen && seen > stamp ? seen : stamp;
                target.PsaRecheck = false;
            }
            else
            {
                target.PsaOwnStamp = null;
            }
        }

        if (_portalWrote)
        {
            if (_portalComments is { } count && !_portalUnknown && _portalStamp is { } stamp)
            {
                target.PortalOwnStamp = stamp;
                target.PortalOwnComments = count;
            }
            else
            {
                target.PortalOwnStamp = null;
                target.PortalOwnComments = null;
            }
        }

        target.PortalCommentCount = _portalUnknown ? null : _portalComments;
    }

    /// <summary>Whether a portal ticket read among the changes is exactly what EasyConnect's last write left: stamp, comment count and fields.</summary>
    public static bool IsOwn(TicketLink link, PortalTicket ticket) =>
        link.PortalOwnStamp is { } stamp && ticket.UpdatedAt == stamp
        && ticket.CommentCount is { } count && count == link.PortalOwnComments
        && ticket.Subject == link.PortalSubject && ticket.Description == link.PortalDescription
        && ticket.Priority?.ToString().ToLowerInvariant() == link.PortalPriority && ticket.Status.ToString().ToLowerInvariant() == link.PortalStatus
        && (string.IsNullOrWhiteSpace(ticket.ClusterId) ? null : ticket.ClusterId.Trim()) == link.PortalClusterId;

    /// <summary>
    /// Whether a PSA ticket read among the changes carries a stamp EasyConnect claimed but is not what its write left (another updater,
    /// other fields): someone changed it in the same second, and it is looked at although its stamp has been seen.
    /// </summary>
    public static bool IsForeignInOwnSecond(PsaSeen seen, PsaTicket ticket) =>
        seen.OwnStamp is { } stamp && ticket.LastModified == stamp
        && (ticket.UpdatedBy != seen.OwnBy || ticket.Summary != seen.Summary || ticket.StatusId != seen.StatusId
            || ticket.PriorityId != seen.PriorityId || ticket.CompanyId != seen.CompanyId || ticket.BoardId != seen.BoardId);

    /// <summary>A read found someone's change on the PSA ticket: the claim no longer describes it.</summary>
    public static void ForgetPsa(TicketLink target)
    {
        target.PsaOwnStamp = null;
    }

    /// <summary>A read found someone's change on the portal ticket (or saw it afresh): the claim no longer describes it.</summary>
    public static void SeenPortal(TicketLink target, PortalTicket ticket)
    {
        target.PortalOwnStamp = null;
        target.PortalOwnComments = null;
        target.PortalCommentCount = ticket.CommentCount;
    }

    private void Psa(DateTimeOffset stamp)
    {
        _psaWrote = true;
        _psaUnknown = false;
        _psaStamp = _psaStamp is { } last && last > stamp ? last : stamp;
    }

    private void Portal(DateTimeOffset stamp)
    {
        _portalWrote = true;
        _portalStamp = _portalStamp is { } last && last > stamp ? last : stamp;
    }
}

/// <summary>What the read of changed PSA tickets needs of a linked ticket, as a narrow projection.</summary>
internal sealed record PsaSeen(
    string Id, DateTimeOffset? LastModified, bool Recheck, DateTimeOffset? OwnStamp, string? OwnBy,
    string? Summary, string? StatusId, string? PriorityId, string? CompanyId, string? BoardId);

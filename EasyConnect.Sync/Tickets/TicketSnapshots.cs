using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Tickets;

/// <summary>Copies what the portal or the PSA says about a ticket into its <see cref="TicketLink"/>.</summary>
internal static class TicketSnapshots
{
    /// <summary>The portal's view of the ticket.</summary>
    public static void Apply(TicketLink link, PortalTicket ticket)
    {
        link.PortalSubject = ticket.Subject;
        link.PortalDescription = ticket.Description;
        link.PortalPriority = ticket.Priority?.ToString().ToLowerInvariant();
        link.PortalStatus = ticket.Status.ToString().ToLowerInvariant();
        link.PortalClusterId = string.IsNullOrWhiteSpace(ticket.ClusterId) ? null : ticket.ClusterId.Trim();
        link.PortalUpdatedAt = ticket.UpdatedAt;
    }

    /// <summary>The PSA's view of the ticket (not its last-modified time: only a read of changes moves that).</summary>
    public static void Apply(TicketLink link, PsaTicket ticket)
    {
        link.PsaSummary = ticket.Summary;
        link.PsaBoardId = ticket.BoardId;
        link.PsaCompanyId = ticket.CompanyId;
        link.PsaStatusId = ticket.StatusId;
        link.PsaPriorityId = ticket.PriorityId;
    }
}

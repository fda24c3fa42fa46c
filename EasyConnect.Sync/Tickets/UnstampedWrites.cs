using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Tickets;

/// <summary>
/// EasyConnect's own writes to a PSA whose create answers carry no stamps (Autotask answers a new id only), confirmed at the end of
/// the run instead of reading every write back. The read of changes after the run's writes returns each ticket the run wrote, with the
/// stamp its last change left; the notes of that page's tickets are then read in one go (after the tickets, so any note someone added
/// before that stamp is among them). A ticket is EasyConnect's own write when every note on it is one EasyConnect linked, its stamp
/// is no later than its latest note (or its create) and its fields and description are what EasyConnect last knew: its stamp then
/// counts as seen, as a claim does for a product whose answers
/// carry it (<see cref="OwnWrites"/>), and the next run does not read it back. Anything else (a note nobody linked, a changed field)
/// leaves the ticket to the read of changes, which marks it to be looked at.
/// </summary>
internal static class UnstampedWrites
{
    // How much later than its latest note (or its create) a ticket's stamp may be and still be explained by it: the PSA sets the two
    // stamps in one write, but need not give them the same millisecond.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);

    /// <summary>Confirms the page's tickets this run wrote; returns the PSA ids of those confirmed, whose links are updated in <paramref name="db"/>.</summary>
    public static async Task<IReadOnlySet<string>> ConfirmAsync(TicketRun run, EasyConnectDbContext db, IReadOnlyList<PsaTicket> tickets, CancellationToken cancellationToken)
    {
        var candidates = tickets.Where(t => run.Unstamped.ContainsKey(t.Id)).ToList();
        if (candidates.Count == 0)
        {
            return new HashSet<string>();
        }

        var linkIds = candidates.Select(t => run.Unstamped[t.Id]).ToList();
        var links = await db.TicketLinks.Where(l => l.ConnectionId == run.ConnectionId && linkIds.Contains(l.Id) && l.PsaTicketId != null)
            .ToDictionaryAsync(l => l.PsaTicketId!, StringComparer.Ordinal, cancellationToken);
        var linked = (await db.NoteLinks.Where(n => linkIds.Contains(n.TicketLinkId) && n.PsaNoteId != null)
                .Select(n => new { n.TicketLinkId, n.PsaNoteId }).ToListAsync(cancellationToken))
            .Select(n => (n.TicketLinkId, n.PsaNoteId!)).ToHashSet();
        var foreign = new HashSet<string>(StringComparer.Ordinal);
        var latest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var page in run.Psa.ReadNotesAsync(links.Keys.ToList(), cancellationToken))
        {
            foreach (var note in page)
            {
                if (!links.TryGetValue(note.TicketId, out var link) || !linked.Contains((link.Id, note.Id)))
                {
                    foreign.Add(note.TicketId);
                }

                latest[note.TicketId] = latest.TryGetValue(note.TicketId, out var l) && l > note.LastModified ? l : note.LastModified;
            }
        }

        var confirmed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ticket in candidates)
        {
            run.Unstamped.TryRemove(ticket.Id, out _);
            // The stamp must be explained by what was read: the latest note's or the create's. A note the stamp counts but the read did
            // not return yet (read-after-write lag) leaves it later, and the ticket is not confirmed.
            var explained = latest.TryGetValue(ticket.Id, out var note) && (ticket.CreatedAt is not { } created || note > created) ? note : ticket.CreatedAt;
            if (!links.TryGetValue(ticket.Id, out var link) || foreign.Contains(ticket.Id) || explained is not { } known || ticket.LastModified > known + Slack
                || ticket.Summary != link.PsaSummary || ticket.StatusId != link.PsaStatusId || ticket.PriorityId != link.PsaPriorityId
                || ticket.CompanyId != link.PsaCompanyId || ticket.BoardId != link.PsaBoardId
                || link.PsaDescriptionHash is null || TicketText.Hash(ticket.Description) != link.PsaDescriptionHash)
            {
                continue;
            }

            link.PsaLastModified = link.PsaLastModified is { } seen && seen > ticket.LastModified ? seen : ticket.LastModified;
            link.PsaRecheck = false;
            OwnWrites.ForgetPsa(link);
            confirmed.Add(ticket.Id);
        }

        return confirmed;
    }
}

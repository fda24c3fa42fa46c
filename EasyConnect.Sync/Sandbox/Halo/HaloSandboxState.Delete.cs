using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.Halo;

/// <summary>
/// Deleting and changing records as Halo's web app (or <c>DELETE /api/{kind}/{id}</c>) does, and a hook between the pages of a paged
/// list, so tests can change the instance in the middle of a read.
/// </summary>
public sealed partial class HaloSandboxState
{
    // Kinds DELETE /api/{kind}/{id} removes outright; a ticket is only marked deleted (Faults.deleted).
    private static readonly HashSet<string> Removable = new(StringComparer.OrdinalIgnoreCase) { Agents, Clients, Assets, Teams, Statuses, Priorities };

    /// <summary>
    /// Called after a paged list request (<c>pageinate=true</c>) cut its page from the rows as they stood, before the page is sent. A
    /// change made here lands between two page reads, as a technician's would.
    /// </summary>
    public Action<HaloSandboxPage>? AfterPage { get; set; }

    /// <summary>
    /// Deletes a ticket: Halo keeps it marked <c>deleted</c> (with a new last-update stamp), lists leave it out unless asked for
    /// <c>deleted</c> tickets, and a read of its id answers 404. A missing or already deleted ticket is a 404. Unlike an update, the
    /// ticket's references are not checked again: a ticket whose agent was disabled since can still be deleted.
    /// </summary>
    public void DeleteTicket(long ticketId)
    {
        lock (_gate)
        {
            var ticket = Existing(Tickets, ticketId);
            if (Bool(ticket["deleted"]) == true)
            {
                throw new HaloSandboxError(404, $"Ticket {ticketId} was not found.");
            }

            ticket["deleted"] = true;
            Touch(Tickets, ticket, Stamp());
        }
    }

    /// <summary>
    /// Deletes an agent, client, asset, team, status or priority (a policy of an SLA) outright, as <c>DELETE /api/{kind}/{id}</c> does:
    /// it is gone from lists and reads of its id. A missing record is a 404.
    /// </summary>
    public void Delete(string kind, long id)
    {
        if (string.Equals(kind, Tickets, StringComparison.OrdinalIgnoreCase))
        {
            DeleteTicket(id);
            return;
        }

        if (!Removable.Contains(kind))
        {
            throw new HaloSandboxError(405, $"{kind} records cannot be deleted in the sandbox.");
        }

        lock (_gate)
        {
            if (!Table(kind).Remove(id))
            {
                throw new HaloSandboxError(404, $"{kind} {id} was not found.");
            }
        }
    }

    /// <summary>
    /// Changes an agent, client, asset or team as an administrator would in Halo's web app: <paramref name="change"/> edits the stored
    /// record, which then carries a new last-update stamp. Answers the record as stored.
    /// </summary>
    public JsonObject Change(string kind, long id, Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (string.Equals(kind, Tickets, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("Change tickets with UpdateTicketAs, which checks them as Halo does.", nameof(kind));
        }

        lock (_gate)
        {
            var node = Existing(kind, id);
            change(node);
            node["id"] = id;
            Touch(kind, node, Stamp());
            return Copy(node);
        }
    }
}

/// <summary>A page a paged list answered: what it listed, in which order, and the ids and record count it sent.</summary>
/// <param name="Kind">The list, as <see cref="HaloSandboxState"/> names kinds (<see cref="HaloSandboxState.Assets"/>).</param>
public sealed record HaloSandboxPage(string Kind, int PageNo, int PageSize, bool Descending, int RecordCount, IReadOnlyList<long> Ids);

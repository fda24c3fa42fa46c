using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.Autotask;

/// <summary>What a technician does in the Autotask UI, for tests and demos: changes that the API did not make.</summary>
public sealed partial class AutotaskSandboxState
{
    /// <summary>Changes a ticket as resource <paramref name="resourceId"/> would in the Autotask UI.</summary>
    public void UpdateTicketAs(long resourceId, long ticketId, JsonObject changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        changes = (JsonObject)changes.DeepClone();
        changes["id"] = ticketId;
        Update(Tickets, changes, parentId: null);
        lock (_gate)
        {
            Table(Tickets)[ticketId].Node["lastActivityResourceID"] = resourceId;
        }
    }

    /// <summary>
    /// Sets a resource's three email addresses as an administrator would on its Resource page (the API cannot change resources); a
    /// null leaves that address empty.
    /// </summary>
    public void SetResourceEmails(long resourceId, string email, string? email2, string? email3) =>
        Update(Resources, new JsonObject { ["id"] = resourceId, ["email"] = email, ["email2"] = email2, ["email3"] = email3 }, parentId: null);

    /// <summary>Adds a note to a ticket as resource <paramref name="resourceId"/> would in the Autotask UI; returns its id.</summary>
    public long AddNoteAs(long resourceId, long ticketId, string title, string description, int noteType = 1, int publish = 1) =>
        Create(TicketNotes, new JsonObject
        {
            ["ticketID"] = ticketId,
            ["title"] = title,
            ["description"] = description,
            ["noteType"] = noteType,
            ["publish"] = publish,
        }, resourceId, impersonator: null);

    /// <summary>Deletes a ticket as resource <paramref name="resourceId"/> would in the Autotask UI, leaving a deleted-ticket log.</summary>
    public void DeleteTicketAs(long resourceId, long ticketId)
    {
        lock (_gate)
        {
            var tickets = Table(Tickets);
            if (!tickets.Remove(ticketId, out var ticket))
            {
                throw new AutotaskSandboxError(500, $"Ticket {ticketId} does not exist.");
            }

            foreach (var note in Table(TicketNotes).Where(n => Long(n.Value.Node["ticketID"]) == ticketId).Select(n => n.Key).ToList())
            {
                Table(TicketNotes).Remove(note);
            }

            var id = NextId(DeletedTicketLogs);
            Table(DeletedTicketLogs)[id] = new Stored(new JsonObject
            {
                ["id"] = id,
                ["ticketID"] = ticketId,
                ["ticketNumber"] = ticket.Node["ticketNumber"]?.DeepClone(),
                ["ticketTitle"] = ticket.Node["title"]?.DeepClone(),
                ["deletedByResourceID"] = resourceId,
                ["deletedDateTime"] = Iso(Stamp()),
            }, DateTimeOffset.MinValue);
        }
    }
}

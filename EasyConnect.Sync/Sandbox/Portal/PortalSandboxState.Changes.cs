namespace EasyConnect.Sync.Sandbox.Portal;

// Ticket updates and the rules Zendesk applies to them.
public sealed partial class PortalSandboxState
{
    /// <summary>
    /// Applies a ticket update as Zendesk does: validates it, refuses it on a closed ticket or an outdated safe update, adds the
    /// comment, moves a new ticket to open when an agent updates it without a status, and stamps updated_at only when something
    /// changed (generated_timestamp on every update); throws <see cref="PortalSandboxError"/> when refused.
    /// </summary>
    public PortalSandboxUpdate Update(long ticketId, PortalSandboxTicketChange change, long actingUserId)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var ticket = _tickets.GetValueOrDefault(ticketId) ?? throw PortalSandboxError.NotFound();
            if (ticket.Status == "closed")
            {
                throw PortalSandboxError.Invalid("status", "Status: closed prevents ticket update", "ClosedPreventsUpdate");
            }

            // Zendesk's safe update: a stamp that is not the ticket's current updated_at means someone changed it since it was read.
            if (change.SafeUpdateStamp is { } stamp && stamp != ticket.UpdatedAt)
            {
                throw new PortalSandboxError(409, "UpdateConflict",
                    "Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again.");
            }

            if (change.Priority is not null && change.Priority.Length > 0)
            {
                ValidatePriority(change.Priority);
            }

            if (change.Status is not null)
            {
                ValidateStatus(change.Status);
            }

            PortalSandboxUser? author = null;
            if (change.CommentBody is not null)
            {
                if (string.IsNullOrWhiteSpace(change.CommentBody))
                {
                    throw PortalSandboxError.Invalid("comment", "Comment: body can't be blank", "BlankValue");
                }

                author = _users.GetValueOrDefault(change.CommentAuthorId ?? actingUserId)
                    ?? throw PortalSandboxError.Invalid("author_id", $"Author: {change.CommentAuthorId} is not a valid user");
            }

            var now = Stamp();
            var changes = new List<(string, string?, string?)>();
            var updated = ticket;
            if (change.Subject is { } subject && subject != ticket.Subject)
            {
                changes.Add(("subject", subject, ticket.Subject));
                updated = updated with { Subject = subject };
            }

            if (change.Priority is { } priority && NullIfBlank(priority) != ticket.Priority)
            {
                changes.Add(("priority", NullIfBlank(priority), ticket.Priority));
                updated = updated with { Priority = NullIfBlank(priority) };
            }

            // Zendesk moves a new ticket to open on any agent update that sets no status (the updater counts, not the comment's author).
            var status = change.Status ?? (ticket.Status == "new" && IsAgent(actingUserId) ? "open" : null);
            if (status is not null && status != ticket.Status)
            {
                changes.Add(("status", status, ticket.Status));
                updated = updated with { Status = status };
            }

            if (change.ClusterId is { } cluster && NullIfBlank(cluster) != ticket.ClusterId)
            {
                changes.Add(($"{Options.ClusterIdFieldId}", NullIfBlank(cluster), ticket.ClusterId));
                updated = updated with { ClusterId = NullIfBlank(cluster) };
            }

            if (change.SetExternalId && NullIfBlank(change.ExternalId) != ticket.ExternalId)
            {
                changes.Add(("external_id", NullIfBlank(change.ExternalId), ticket.ExternalId));
                updated = updated with { ExternalId = NullIfBlank(change.ExternalId) };
            }

            var auditId = _nextEventId++;
            PortalSandboxComment? comment = null;
            if (author is not null)
            {
                comment = new PortalSandboxComment(_nextEventId++, ticketId, author.Id, change.CommentBody!, change.CommentPublic, now, auditId);
                _comments[ticketId].Add(comment);
            }

            // updated_at moves only when the update makes a ticket event; generated_timestamp moves on every update.
            Touch(comment is not null || changes.Count > 0 ? updated with { UpdatedAt = now } : updated, now);
            return new PortalSandboxUpdate(_tickets[ticketId], auditId, comment, changes);
        }
    }

    /// <summary>Changes a ticket as an agent in the portal would (null leaves a field; an empty priority or ClusterID clears it).</summary>
    public PortalSandboxTicket UpdateTicket(long ticketId, string? subject = null, string? priority = null, string? status = null, string? clusterId = null) =>
        Update(ticketId, new PortalSandboxTicketChange(subject, priority, status, clusterId), ApiUser.Id).Ticket;

    /// <summary>
    /// Changes a ticket's description (its first comment) as a redaction in Zendesk would: the only way the description of an
    /// existing ticket changes (the API's description is read-only). The ticket's updated_at moves, so the export reports it.
    /// </summary>
    public PortalSandboxTicket EditDescription(long ticketId, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        lock (_gate)
        {
            var ticket = _tickets.GetValueOrDefault(ticketId) ?? throw PortalSandboxError.NotFound();
            var comments = _comments[ticketId];
            comments[0] = comments[0] with { Body = description };
            var now = Stamp();
            Touch(ticket with { Description = description, UpdatedAt = now }, now);
            return _tickets[ticketId];
        }
    }

    /// <summary>Deletes a ticket as an agent in Zendesk would: the export reports it once more, with the status "deleted".</summary>
    public PortalSandboxTicket DeleteTicket(long ticketId)
    {
        lock (_gate)
        {
            var ticket = _tickets.GetValueOrDefault(ticketId) ?? throw PortalSandboxError.NotFound();
            var now = Stamp();
            Touch(ticket with { Status = "deleted", UpdatedAt = now }, now);
            return _tickets[ticketId];
        }
    }

    private bool IsAgent(long userId) => _users.GetValueOrDefault(userId) is { Role: "agent" or "admin" };
}

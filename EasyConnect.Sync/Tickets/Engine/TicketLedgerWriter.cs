namespace EasyConnect.Sync.Tickets.Engine;

/// <summary>Writes a ticket's ledger (what moved, what was held, what was released) and holds or releases the ticket.</summary>
internal sealed class TicketLedgerWriter(TicketPassContext pass)
{
    /// <summary>Adds an entry; it is saved with the pass's next commit.</summary>
    public void Add(SyncDirection direction, string subject, LedgerResult result, string detail, string? portalId = null, string? psaId = null) =>
        pass.Db.TicketLedger.Add(new TicketLedgerEntry
        {
            ConnectionId = pass.Run.ConnectionId, TicketLinkId = pass.Link.Id, At = pass.Now, Direction = direction, Subject = subject, Result = result,
            PortalId = portalId, PsaId = psaId, Detail = detail, RunId = pass.Run.RunId,
        });

    /// <summary>Holds the ticket with every reason found in this pass, or releases it when none is left.</summary>
    public void ApplyHolds()
    {
        var link = pass.Link;
        if (pass.Holds.Count > 0)
        {
            var reason = string.Join(" ", pass.Holds.Select(h => h.Reason).Distinct());
            if (link.HeldReason != reason)
            {
                Add(SyncDirection.None, "Ticket", LedgerResult.Held, reason);
                link.HeldSince ??= pass.Now;
                pass.Run.Counters.Hold();
            }

            link.HeldReason = reason;
            link.HeldKind = pass.Holds[0].Kind;
            return;
        }

        if (link.HeldReason is { } released && !pass.Progress.Waiting && link.LastError is null)
        {
            Add(SyncDirection.None, "Ticket", LedgerResult.Released, $"No longer held; the cause was fixed. It had been held because: {released}");
            link.HeldReason = null;
            link.HeldKind = null;
            link.HeldSince = null;
        }
    }
}

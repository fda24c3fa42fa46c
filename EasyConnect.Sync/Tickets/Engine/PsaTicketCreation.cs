using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Tickets.Engine;

/// <summary>Creates the PSA ticket of a portal ticket exactly once: an earlier create whose answer was lost is found and adopted.</summary>
internal sealed class PsaTicketCreation(TicketPassContext pass)
{
    /// <summary>Finds the PSA ticket an earlier attempt created, or creates it; false when the ticket is held or still waiting.</summary>
    public async Task<bool> EnsureAsync(TicketPlan plan, CancellationToken ct)
    {
        var link = pass.Link;
        var psa = pass.PsaName;
        var source = PsaTicketSource.Instance;
        if (pass.Journal.Pending(IntentKind.CreatePsaTicket, source) is { } pending)
        {
            var existing = await pass.Psa.FindTicketByExternalReferenceAsync(link.PortalTicketId, ct);
            if (existing is not null)
            {
                Adopt(pending, existing);
                return true;
            }

            if (!pass.Journal.Expired(pending))
            {
                pass.Wait($"Waiting for {psa} to confirm the ticket it was asked to create at {pending.CreatedAt:u}; EasyConnect looks for it on each run and creates it again only if it never arrives.");
                return false;
            }

            pass.Journal.Abandon(pending);
            pass.Ledger.Add(SyncDirection.PortalToPsa, "Ticket", LedgerResult.Failed,
                $"An earlier attempt to create the {psa} ticket never arrived ({pass.Options.UnconfirmedWriteWait.TotalMinutes:0} minutes); creating it again.");
        }

        var holds = plan.Holds.ToList();
        if (holds.Count > 0)
        {
            pass.Holds.AddRange(holds);
            return false;
        }

        var summary = TicketText.Summary(link.PortalSubject, pass.SummaryLimit);
        var description = TicketText.PsaDescription(link.PortalSubject, link.PortalDescription, pass.SummaryLimit);
        // A product whose create takes the configuration (Autotask) attaches it there, saving the separate attach.
        var create = new PsaTicketCreate(summary, description, plan.BoardId!, plan.StatusId, plan.PriorityId, plan.CompanyId, link.PortalTicketId, plan.ConfigurationId);
        PsaTicket? created = null;
        try
        {
            await pass.Journal.WriteAsync(IntentKind.CreatePsaTicket, source, summary, null, null,
                async token =>
                {
                    created = await pass.Psa.CreateTicketAsync(create, token);
                    pass.Own.PsaCreated(created);
                    return created.Id;
                },
                async token => (created = await pass.Psa.FindTicketByExternalReferenceAsync(link.PortalTicketId, token))?.Id,
                followUp: false, ct);
        }
        catch (PsaException e) when (e.Kind is RemoteErrorKind.ValidationFailed or RemoteErrorKind.NotFound)
        {
            pass.Holds.Add(new TicketHold(HoldKind.PsaRefused, $"{psa} refused the new ticket: {e.Message}"));
            return false;
        }

        link.PsaTicketId = created!.Id;
        TicketSnapshots.Apply(link, created);
        pass.Progress.ForceComments = true;
        link.SyncedSubject = link.PortalSubject;
        link.SyncedPriority = link.PortalPriority;
        link.SyncedStatus = link.PortalStatus;
        link.SyncedClusterId = link.PortalClusterId;
        link.PortalDescriptionHash = TicketText.Hash(link.PortalDescription);
        link.PsaDescriptionHash = TicketText.Hash(description);
        var names = await pass.Run.NamesAsync(plan, ct);
        pass.Ledger.Add(SyncDirection.PortalToPsa, "Ticket", LedgerResult.Synced,
            $"Created {psa} ticket #{created.Id} on {pass.Product.Nouns.Board} {names.Board}: summary \"{summary}\"" +
            (TicketText.IsShortened(link.PortalSubject, pass.SummaryLimit) ? " (the subject was shortened; the full subject leads the description)" : "") +
            $", {pass.Product.Nouns.Company} {names.Company} ({plan.CompanyNote}), priority {names.Priority}, status {names.Status}; it carries the portal's description.",
            portalId: link.PortalTicketId, psaId: created.Id);
        if (plan.ConfigurationId is { } configuration && created.ConfigurationId == configuration)
        {
            link.ConfigurationId = configuration;
            pass.Ledger.Add(SyncDirection.PortalToPsa, "Configuration", LedgerResult.Synced, $"Attached {plan.CompanyNote} to the ticket.", psaId: created.Id);
        }

        pass.Run.Counters.Create();
        pass.Wrote();
        return true;
    }

    /// <summary>A PSA ticket an earlier attempt created, whose answer was lost: its fields are sent again, which changes nothing if they arrived.</summary>
    private void Adopt(SyncIntent intent, PsaTicket ticket)
    {
        pass.Journal.Complete(intent, ticket.Id);
        pass.Link.PsaTicketId = ticket.Id;
        pass.Progress.ForceComments = true;
        pass.Progress.ForceNotes = true;
        TicketSnapshots.Apply(pass.Link, ticket);
        pass.Ledger.Add(SyncDirection.PortalToPsa, "Ticket", LedgerResult.Reconciled,
            $"Found {pass.PsaName} ticket #{ticket.Id}, created by an earlier attempt whose answer was lost; it was not created twice.", psaId: ticket.Id);
    }
}

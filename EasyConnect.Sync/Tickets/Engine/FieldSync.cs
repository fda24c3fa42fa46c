using EasyConnect.Sync.Http;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Tickets.Engine;

/// <summary>
/// The ticket's fields, portal → PSA: subject, priority, status and company in one update, the configuration the company's
/// ClusterID names, and the portal ticket's external id naming the PSA ticket. All repeatable, so none needs an intent.
/// </summary>
internal sealed class FieldSync(TicketPassContext pass)
{
    private TicketLink Link => pass.Link;

    /// <summary>Subject, priority, status and company changes from the portal, in one update; a field that cannot be mapped is held.</summary>
    public async Task UpdateFieldsAsync(TicketPlan plan, CancellationToken ct)
    {
        var psa = pass.PsaName;
        var changes = new List<(string Field, string Detail)>();
        var summary = Link.PortalSubject != Link.SyncedSubject ? TicketText.Summary(Link.PortalSubject, pass.SummaryLimit) : null;
        var priorityChanged = Link.PortalPriority != Link.SyncedPriority;
        var priorityId = Mapped(ref priorityChanged, plan.PriorityHold, plan.PriorityId);
        var statusChanged = Link.PortalStatus != Link.SyncedStatus;
        var statusId = Mapped(ref statusChanged, plan.StatusHold, plan.StatusId);
        var clusterChanged = Link.PortalClusterId != Link.SyncedClusterId;
        var companyId = Mapped(ref clusterChanged, plan.CompanyHold, plan.CompanyId);
        if (summary is null && priorityId is null && statusId is null && companyId is null)
        {
            MarkFieldsSynced(priorityChanged, statusChanged, clusterChanged);
            return;
        }

        PsaTicket updated;
        try
        {
            updated = await pass.Psa.UpdateTicketAsync(Link.PsaTicketId!, new PsaTicketUpdate(summary, statusId, priorityId, companyId), ct);
            pass.Own.PsaWrote(updated);
        }
        catch (PsaException e) when (e.Kind is RemoteErrorKind.ValidationFailed)
        {
            pass.Holds.Add(new TicketHold(HoldKind.PsaRefused, $"{psa} refused to change ticket #{Link.PsaTicketId}: {e.Message}"));
            return;
        }
        catch (PsaException e) when (e.Kind is RemoteErrorKind.NotFound)
        {
            pass.Holds.Add(new TicketHold(HoldKind.PsaRefused,
                $"{psa} ticket #{Link.PsaTicketId} no longer exists (it was deleted in {psa}); EasyConnect does not create it again."));
            return;
        }

        var names = await pass.Run.NamesAsync(plan, ct);
        if (summary is not null)
        {
            changes.Add(("Subject", $"Summary set to \"{summary}\"" + (TicketText.IsShortened(Link.PortalSubject, pass.SummaryLimit) ? $" (shortened to {psa}'s {pass.SummaryLimit} characters)" : "")));
            Link.SyncedSubject = Link.PortalSubject;
        }

        if (priorityChanged && priorityId is not null)
        {
            changes.Add(("Priority", $"Priority {Link.SyncedPriority ?? "none"} → {Link.PortalPriority}: {names.Priority}"));
        }

        if (statusChanged)
        {
            changes.Add(("Status", $"Status {Link.SyncedStatus} → {Link.PortalStatus}: {names.Status}"));
        }

        if (clusterChanged && companyId is not null)
        {
            changes.Add(("Company", $"ClusterID {(Link.SyncedClusterId is null ? "(none)" : $"\"{Link.SyncedClusterId}\"")} → \"{Link.PortalClusterId}\": {pass.Product.Nouns.Company} {names.Company} ({plan.CompanyNote})"));
        }

        MarkFieldsSynced(priorityChanged, statusChanged, clusterChanged);
        TicketSnapshots.Apply(Link, updated);
        foreach (var (field, detail) in changes)
        {
            pass.Ledger.Add(SyncDirection.PortalToPsa, field, LedgerResult.Synced, detail, psaId: Link.PsaTicketId);
        }

        pass.Run.Counters.Update();
        pass.Wrote();
        await pass.SaveAsync();
    }

    /// <summary>Attaches the configuration the ClusterID names, once the company it belongs to is synced.</summary>
    public async Task AttachConfigurationAsync(TicketPlan plan, CancellationToken ct)
    {
        if (plan.ConfigurationId is not { } configurationId || plan.CompanyHold is not null
            || Link.SyncedClusterId != Link.PortalClusterId || Link.ConfigurationId == configurationId)
        {
            return;
        }

        // Attaching is repeatable: it is saved with the pass's next commit, and made again if that commit never happens.
        pass.Own.PsaWroteUnseen();
        await pass.Psa.AttachConfigurationAsync(Link.PsaTicketId!, configurationId, ct);
        Link.ConfigurationId = configurationId;
        pass.Ledger.Add(SyncDirection.PortalToPsa, "Configuration", LedgerResult.Synced, $"Attached {plan.CompanyNote} to the ticket.", psaId: Link.PsaTicketId);
        pass.Wrote();
    }

    /// <summary>The portal ticket's external id names the PSA ticket, so agents see it in the portal.</summary>
    public async Task SetExternalIdAsync(CancellationToken ct)
    {
        if (Link.ExternalIdSet || Link.PsaTicketId is null)
        {
            return;
        }

        try
        {
            pass.Own.PortalWrote(await pass.Portal.SetExternalIdAsync(Link.PortalTicketId, Link.PsaTicketId, ct));
            pass.Ledger.Add(SyncDirection.PsaToPortal, "External id", LedgerResult.Synced, $"The portal ticket's external id is now {pass.PsaName} ticket #{Link.PsaTicketId}.",
                portalId: Link.PortalTicketId, psaId: Link.PsaTicketId);
            pass.Wrote();
        }
        catch (PortalException e) when (e.Kind is RemoteErrorKind.ValidationFailed or RemoteErrorKind.NotFound)
        {
            pass.Ledger.Add(SyncDirection.PsaToPortal, "External id", LedgerResult.NotSynced, $"The portal refused the external id: {e.Message}", portalId: Link.PortalTicketId);
        }

        // Setting the external id is repeatable too: saved with the pass's next commit.
        Link.ExternalIdSet = true;
    }

    /// <summary>The PSA id a changed field moves to; a field that cannot be mapped is held, and counts as not changed.</summary>
    private string? Mapped(ref bool changed, TicketHold? hold, string? id)
    {
        if (!changed)
        {
            return null;
        }

        if (hold is not null)
        {
            pass.Holds.Add(hold);
            changed = false;
            return null;
        }

        return id;
    }

    private void MarkFieldsSynced(bool priority, bool status, bool cluster)
    {
        if (priority)
        {
            if (Link.PortalPriority is null)
            {
                pass.Ledger.Add(SyncDirection.None, "Priority", LedgerResult.NotSynced, $"The portal ticket's priority was cleared; {pass.PsaName} keeps its priority.");
            }

            Link.SyncedPriority = Link.PortalPriority;
        }

        if (status)
        {
            Link.SyncedStatus = Link.PortalStatus;
        }

        if (cluster)
        {
            Link.SyncedClusterId = Link.PortalClusterId;
        }
    }
}

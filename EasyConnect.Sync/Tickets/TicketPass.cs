using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Tickets;

/// <summary>How one ticket's pass ended.</summary>
internal enum TicketPassOutcome
{
    /// <summary>Everything that could move, moved.</summary>
    Synced,

    /// <summary>Nothing (or not everything) could move: the ticket is held with a reason.</summary>
    Held,

    /// <summary>A write that timed out may still arrive; it is looked for again on the next run.</summary>
    Waiting,

    /// <summary>A transient error; the ticket is tried again on the next run.</summary>
    Failed,

    /// <summary>The credentials or a permission failed: no other ticket will fare better.</summary>
    Fatal,
}

/// <summary>
/// One ticket's sync within a run: reconciles what an earlier attempt left unfinished, creates or updates the PSA ticket, moves the
/// description, comments and notes, and records each step in the ticket's ledger. Every non-idempotent remote write is preceded by a
/// committed <see cref="SyncIntent"/> and resolved after it; a write whose answer was lost is looked for before it is made again.
/// </summary>
internal sealed class TicketPass
{
    private const string TicketSource = "ticket";

    private readonly TicketRun _run;
    private readonly EasyConnectDbContext _db;
    private readonly TimeProvider _clock;
    private readonly bool _refresh;
    private readonly List<TicketHold> _holds = [];
    private TicketLink _link = default!;
    private List<SyncIntent> _intents = [];
    private List<NoteLink> _links = [];
    private IReadOnlyList<PortalComment>? _comments;
    private IReadOnlyList<PsaNote>? _notes;
    private bool _waiting;
    private string? _waitMessage;
    private bool _wrote;
    private bool _forceComments;
    private bool _forceNotes;
    private bool _commentsDone;
    private bool _notesDone;
    private bool _notesCopied;
    private DateTimeOffset? _notesReadAt;
    private OwnWrites _own = default!;

    private TicketPass(TicketRun run, EasyConnectDbContext db, TimeProvider clock, bool refresh)
    {
        _run = run;
        _db = db;
        _clock = clock;
        _refresh = refresh;
    }

    /// <summary>Syncs one ticket; never throws for PSA or portal errors (they end up on the ticket), only for cancellation.</summary>
    public static async Task<(TicketPassOutcome Outcome, string? Error)> RunAsync(
        TicketRun run, EasyConnectDbContext db, TimeProvider clock, long linkId, bool refresh, CancellationToken cancellationToken)
    {
        var pass = new TicketPass(run, db, clock, refresh);
        return await pass.RunAsync(linkId, cancellationToken);
    }

    private PsaKind Kind => _run.Kind;

    private string Psa => TicketText.PsaName(_run.Kind);

    private DateTimeOffset Now => _clock.GetUtcNow();

    private async Task<(TicketPassOutcome, string?)> RunAsync(long linkId, CancellationToken ct)
    {
        var found = await _db.TicketLinks.SingleOrDefaultAsync(l => l.Id == linkId && l.ConnectionId == _run.ConnectionId, ct);
        if (found is null)
        {
            return (TicketPassOutcome.Synced, null);
        }

        _link = found;
        _own = new OwnWrites(found);
        _intents = await _db.SyncIntents.Where(i => i.TicketLinkId == linkId).ToListAsync(ct);
        _links = await _db.NoteLinks.Where(n => n.TicketLinkId == linkId).ToListAsync(ct);
        _run.Counters.Examine();
        try
        {
            try
            {
                await SyncAsync(ct);
            }
            catch (TicketHeldException)
            {
                // A hold stopped the pass; what it had done is saved and the rest waits for the cause to be fixed.
            }

            // A write still waiting to be confirmed shows where a failure would: the ticket's page says what it waits for.
            _link.LastError = _waitMessage;
            if (!_waiting)
            {
                _link.PortalDirty &= !_commentsDone;
                _link.PsaDirty &= !_notesDone;
                _link.PsaRecheck &= !(_notesCopied && NotesReadAfterTheirSecond());
                _link.LastSyncedAt = Now;
            }

            _own.ApplyTo(_link);
            ApplyHolds();
            await _db.SaveChangesAsync(CancellationToken.None);
            if (_wrote)
            {
                _run.Counters.Write();
            }

            if (_waiting)
            {
                _run.Counters.Wait();
                return (TicketPassOutcome.Waiting, null);
            }

            return _link.HeldReason is null ? (TicketPassOutcome.Synced, null) : (TicketPassOutcome.Held, _link.HeldReason);
        }
        catch (Exception e) when (e is PsaException or PortalException && !ct.IsCancellationRequested)
        {
            var fatal = e is PsaException { Kind: PsaErrorKind.AuthenticationFailed or PsaErrorKind.PermissionMissing }
                or PortalException { Kind: PortalErrorKind.AuthenticationFailed or PortalErrorKind.PermissionMissing };
            var message = e.Message;
            if (_link.LastError != message)
            {
                Ledger(SyncDirection.None, "Ticket", LedgerResult.Failed, $"{message} It is tried again on the next run.");
            }

            _link.LastError = message;
            ApplyHolds();
            await _db.SaveChangesAsync(CancellationToken.None);
            _run.Counters.Fail();
            return (fatal ? TicketPassOutcome.Fatal : TicketPassOutcome.Failed, message);
        }
        catch (OperationCanceledException) when (_db.ChangeTracker.HasChanges())
        {
            // The run is being stopped: what the pass's writes changed and has not saved yet is saved, so none is made twice.
            await _db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }

    private async Task SyncAsync(CancellationToken ct)
    {
        if (_refresh)
        {
            await RefreshAsync(ct);
        }

        if (_link.PortalStatus == "deleted")
        {
            Deleted();
            _commentsDone = _notesDone = true;
            return;
        }

        var plan = await _run.Lookups.PlanAsync(_run.ConnectionId, _run.Settings, Kind, _link, ct);
        if (_link.PsaTicketId is null && !await EnsurePsaTicketAsync(plan, ct))
        {
            return;
        }

        await UpdateFieldsAsync(plan, ct);
        await AttachConfigurationAsync(plan, ct);
        await SetExternalIdAsync(ct);
        await ReconcileIntentsAsync(ct);
        await SyncDescriptionAsync(ct);
        await CommentsToNotesAsync(ct);
        await NotesToCommentsAsync(ct);
    }

    /// <summary>A resync reads both tickets afresh instead of trusting the last snapshots.</summary>
    private async Task RefreshAsync(CancellationToken ct)
    {
        var ticket = await _run.Portal.GetTicketAsync(_link.PortalTicketId, ct);
        if (ticket is null)
        {
            _link.PortalStatus = "deleted";
        }
        else
        {
            TicketSnapshots.Apply(_link, ticket);
        }

        _link.PortalDirty = true;
        if (_link.PsaTicketId is { } psaId && await _run.Psa.GetTicketAsync(psaId, ct) is { } psaTicket)
        {
            TicketSnapshots.Apply(_link, psaTicket);
        }

        _link.PsaDirty = _link.PsaTicketId is not null;
    }

    private void Deleted()
    {
        if (_link.SyncedStatus == "deleted")
        {
            return;
        }

        _link.SyncedStatus = "deleted";
        _holds.Clear();
        Ledger(SyncDirection.None, "Ticket", LedgerResult.NotSynced, _link.PsaTicketId is null
            ? $"The portal ticket was deleted before it was synced; nothing was created in {Psa}."
            : $"The portal ticket was deleted. {Psa} ticket #{_link.PsaTicketId} is kept: EasyConnect never deletes PSA tickets.");
    }

    // ---- The PSA ticket -------------------------------------------------------------------------------------------------

    /// <summary>Finds the PSA ticket an earlier attempt created, or creates it; false when the ticket is held or still waiting.</summary>
    private async Task<bool> EnsurePsaTicketAsync(TicketPlan plan, CancellationToken ct)
    {
        if (Pending(IntentKind.CreatePsaTicket, TicketSource) is { } pending)
        {
            var existing = await _run.Psa.FindTicketByExternalReferenceAsync(_link.PortalTicketId, ct);
            if (existing is not null)
            {
                Adopt(pending, existing);
                return true;
            }

            if (!Expired(pending))
            {
                Wait($"Waiting for {Psa} to confirm the ticket it was asked to create at {pending.CreatedAt:u}; EasyConnect looks for it on each run and creates it again only if it never arrives.");
                return false;
            }

            Abandon(pending);
            Ledger(SyncDirection.PortalToPsa, "Ticket", LedgerResult.Failed,
                $"An earlier attempt to create the {Psa} ticket never arrived ({Options.UnconfirmedWriteWait.TotalMinutes:0} minutes); creating it again.");
        }

        var holds = plan.Holds.ToList();
        if (holds.Count > 0)
        {
            _holds.AddRange(holds);
            return false;
        }

        var summary = TicketText.Summary(_link.PortalSubject);
        var description = TicketText.PsaDescription(_link.PortalSubject, _link.PortalDescription);
        var create = new PsaTicketCreate(summary, description, plan.BoardId!, plan.StatusId, plan.PriorityId, plan.CompanyId, _link.PortalTicketId);
        PsaTicket? created = null;
        try
        {
            await WriteAsync(IntentKind.CreatePsaTicket, TicketSource, summary, null, null,
                async token =>
                {
                    created = await _run.Psa.CreateTicketAsync(create, token);
                    _own.PsaCreated(created);
                    return created.Id;
                },
                async token => (created = await _run.Psa.FindTicketByExternalReferenceAsync(_link.PortalTicketId, token))?.Id,
                followUp: false, ct);
        }
        catch (PsaException e) when (e.Kind is PsaErrorKind.ValidationFailed or PsaErrorKind.NotFound)
        {
            _holds.Add(new TicketHold(HoldKind.PsaRefused, $"{Psa} refused the new ticket: {e.Message}"));
            return false;
        }

        _link.PsaTicketId = created!.Id;
        TicketSnapshots.Apply(_link, created);
        _forceComments = true;
        _link.SyncedSubject = _link.PortalSubject;
        _link.SyncedPriority = _link.PortalPriority;
        _link.SyncedStatus = _link.PortalStatus;
        _link.SyncedClusterId = _link.PortalClusterId;
        _link.PortalDescriptionHash = TicketText.Hash(_link.PortalDescription);
        _link.PsaDescriptionHash = TicketText.Hash(description);
        var names = await _run.NamesAsync(plan, ct);
        Ledger(SyncDirection.PortalToPsa, "Ticket", LedgerResult.Synced,
            $"Created {Psa} ticket #{created.Id} on board {names.Board}: summary \"{summary}\"" +
            (TicketText.IsShortened(_link.PortalSubject) ? " (the subject was shortened; the full subject leads the description)" : "") +
            $", company {names.Company} ({plan.CompanyNote}), priority {names.Priority}, status {names.Status}; the description became its Discussion note.",
            portalId: _link.PortalTicketId, psaId: created.Id);
        _run.Counters.Create();
        Wrote();
        return true;
    }

    /// <summary>A PSA ticket an earlier attempt created, whose answer was lost: its fields are sent again, which changes nothing if they arrived.</summary>
    private void Adopt(SyncIntent intent, PsaTicket ticket)
    {
        Complete(intent, ticket.Id);
        _link.PsaTicketId = ticket.Id;
        _forceComments = true;
        _forceNotes = true;
        TicketSnapshots.Apply(_link, ticket);
        Ledger(SyncDirection.PortalToPsa, "Ticket", LedgerResult.Reconciled,
            $"Found {Psa} ticket #{ticket.Id}, created by an earlier attempt whose answer was lost; it was not created twice.", psaId: ticket.Id);
    }

    /// <summary>Subject, priority, status and company changes from the portal, in one update; a field that cannot be mapped is held.</summary>
    private async Task UpdateFieldsAsync(TicketPlan plan, CancellationToken ct)
    {
        string? summary = null, priorityId = null, statusId = null, companyId = null;
        var changes = new List<(string Field, string Detail)>();
        if (_link.PortalSubject != _link.SyncedSubject)
        {
            summary = TicketText.Summary(_link.PortalSubject);
        }

        var priorityChanged = _link.PortalPriority != _link.SyncedPriority;
        if (priorityChanged)
        {
            if (plan.PriorityHold is { } hold)
            {
                _holds.Add(hold);
                priorityChanged = false;
            }
            else
            {
                priorityId = plan.PriorityId;
            }
        }

        var statusChanged = _link.PortalStatus != _link.SyncedStatus;
        if (statusChanged)
        {
            if (plan.StatusHold is { } hold)
            {
                _holds.Add(hold);
                statusChanged = false;
            }
            else
            {
                statusId = plan.StatusId;
            }
        }

        var clusterChanged = _link.PortalClusterId != _link.SyncedClusterId;
        if (clusterChanged)
        {
            if (plan.CompanyHold is { } hold)
            {
                _holds.Add(hold);
                clusterChanged = false;
            }
            else
            {
                companyId = plan.CompanyId;
            }
        }

        if (summary is null && priorityId is null && statusId is null && companyId is null)
        {
            MarkFieldsSynced(priorityChanged, statusChanged, clusterChanged);
            return;
        }

        PsaTicket updated;
        try
        {
            updated = await _run.Psa.UpdateTicketAsync(_link.PsaTicketId!, new PsaTicketUpdate(summary, statusId, priorityId, companyId), ct);
            _own.PsaWrote(updated);
        }
        catch (PsaException e) when (e.Kind is PsaErrorKind.ValidationFailed)
        {
            _holds.Add(new TicketHold(HoldKind.PsaRefused, $"{Psa} refused to change ticket #{_link.PsaTicketId}: {e.Message}"));
            return;
        }
        catch (PsaException e) when (e.Kind is PsaErrorKind.NotFound)
        {
            _holds.Add(new TicketHold(HoldKind.PsaRefused,
                $"{Psa} ticket #{_link.PsaTicketId} no longer exists (it was deleted in {Psa}); EasyConnect does not create it again."));
            return;
        }

        var names = await _run.NamesAsync(plan, ct);
        if (summary is not null)
        {
            changes.Add(("Subject", $"Summary set to \"{summary}\"" + (TicketText.IsShortened(_link.PortalSubject) ? " (shortened to ConnectWise's 100 characters)" : "")));
            _link.SyncedSubject = _link.PortalSubject;
        }

        if (priorityChanged && priorityId is not null)
        {
            changes.Add(("Priority", $"Priority {_link.SyncedPriority ?? "none"} → {_link.PortalPriority}: {names.Priority}"));
        }

        if (statusChanged)
        {
            changes.Add(("Status", $"Status {_link.SyncedStatus} → {_link.PortalStatus}: {names.Status}"));
        }

        if (clusterChanged && companyId is not null)
        {
            changes.Add(("Company", $"ClusterID {(_link.SyncedClusterId is null ? "(none)" : $"\"{_link.SyncedClusterId}\"")} → \"{_link.PortalClusterId}\": company {names.Company} ({plan.CompanyNote})"));
        }

        MarkFieldsSynced(priorityChanged, statusChanged, clusterChanged);
        TicketSnapshots.Apply(_link, updated);
        foreach (var (field, detail) in changes)
        {
            Ledger(SyncDirection.PortalToPsa, field, LedgerResult.Synced, detail, psaId: _link.PsaTicketId);
        }

        _run.Counters.Update();
        Wrote();
        await SaveAsync();
    }

    private void MarkFieldsSynced(bool priority, bool status, bool cluster)
    {
        if (priority)
        {
            if (_link.PortalPriority is null)
            {
                Ledger(SyncDirection.None, "Priority", LedgerResult.NotSynced, $"The portal ticket's priority was cleared; {Psa} keeps its priority.");
            }

            _link.SyncedPriority = _link.PortalPriority;
        }

        if (status)
        {
            _link.SyncedStatus = _link.PortalStatus;
        }

        if (cluster)
        {
            _link.SyncedClusterId = _link.PortalClusterId;
        }
    }

    private async Task AttachConfigurationAsync(TicketPlan plan, CancellationToken ct)
    {
        if (plan.ConfigurationId is not { } configurationId || plan.CompanyHold is not null
            || _link.SyncedClusterId != _link.PortalClusterId || _link.ConfigurationId == configurationId)
        {
            return;
        }

        // Attaching is repeatable: it is saved with the pass's next commit, and made again if that commit never happens.
        _own.PsaWroteUnseen();
        await _run.Psa.AttachConfigurationAsync(_link.PsaTicketId!, configurationId, ct);
        _link.ConfigurationId = configurationId;
        Ledger(SyncDirection.PortalToPsa, "Configuration", LedgerResult.Synced, $"Attached {plan.CompanyNote} to the ticket.", psaId: _link.PsaTicketId);
        Wrote();
    }

    /// <summary>The portal ticket's external id names the PSA ticket, so agents see it in the portal.</summary>
    private async Task SetExternalIdAsync(CancellationToken ct)
    {
        if (_link.ExternalIdSet || _link.PsaTicketId is null)
        {
            return;
        }

        try
        {
            _own.PortalWrote(await _run.Portal.SetExternalIdAsync(_link.PortalTicketId, _link.PsaTicketId, ct));
            Ledger(SyncDirection.PsaToPortal, "External id", LedgerResult.Synced, $"The portal ticket's external id is now {Psa} ticket #{_link.PsaTicketId}.",
                portalId: _link.PortalTicketId, psaId: _link.PsaTicketId);
            Wrote();
        }
        catch (PortalException e) when (e.Kind is PortalErrorKind.ValidationFailed or PortalErrorKind.NotFound)
        {
            Ledger(SyncDirection.PsaToPortal, "External id", LedgerResult.NotSynced, $"The portal refused the external id: {e.Message}", portalId: _link.PortalTicketId);
        }

        // Setting the external id is repeatable too: saved with the pass's next commit.
        _link.ExternalIdSet = true;
    }

    // ---- Writes with intents ----------------------------------------------------------------------------------------------

    /// <summary>
    /// Records the intent, makes the write, and resolves the intent. A write whose answer did not come is looked for at once; if it
    /// cannot be found and may still arrive (a timeout), the intent stays pending and the pass waits for the next run.
    /// </summary>
    private async Task<string> WriteAsync(
        IntentKind kind, string sourceKey, string text, string? authorId, string? authorName,
        Func<CancellationToken, Task<string>> write, Func<CancellationToken, Task<string?>> findAgain, bool followUp, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            // What earlier writes of this pass changed is kept; this one is not started.
            await SaveAsync();
            ct.ThrowIfCancellationRequested();
        }

        var intent = new SyncIntent
        {
            ConnectionId = _run.ConnectionId, TicketLinkId = _link.Id, Kind = kind, SourceKey = sourceKey, Text = text,
            AuthorId = authorId, AuthorName = authorName, State = IntentState.Pending, CreatedAt = Now,
        };
        _db.SyncIntents.Add(intent);
        _intents.Add(intent);
        // The intent is committed before the request leaves: whatever happens next, the next run knows to look for the result. The
        // same commit carries what the pass has not saved yet (the outcome of its previous write, its ledger entries and links).
        await SaveAsync();

        string? id;
        try
        {
            id = await write(ct);
        }
        catch (Exception e) when (IsUncertain(e) && !ct.IsCancellationRequested)
        {
            _own.Unseen(kind);
            var found = await findAgain(ct);
            if (found is not null)
            {
                Complete(intent, found, followUp, reconciled: true);
                await SaveAsync();
                return found;
            }

            if (!IsTimeout(e))
            {
                Abandon(intent);
            }

            await SaveAsync();
            throw;
        }
        catch (Exception e) when (e is PsaException or PortalException && !ct.IsCancellationRequested)
        {
            Abandon(intent);
            await SaveAsync();
            throw;
        }

        if (string.IsNullOrEmpty(id))
        {
            _own.Unseen(kind);
            // Applied, but the portal's answer did not say which comment it made: it is matched by its text on the next run.
            await SaveAsync();
            throw new PortalException(PortalErrorKind.Timeout, "The portal added a comment but did not say which; EasyConnect matches it on the next run.");
        }

        // The outcome is saved with the pass's next commit (the next write's intent, or the end of the pass). Should that commit never
        // happen, the intent is still pending and the next run finds the result by its text or external reference: never written twice.
        Complete(intent, id, followUp, reconciled: false);
        return id;
    }

    /// <summary>Marks an intent done and records what it made: the note link and the ledger entry.</summary>
    private void Complete(SyncIntent intent, string resultId, bool followUp = true, bool reconciled = false)
    {
        intent.State = IntentState.Done;
        intent.ResultId = resultId;
        intent.ResolvedAt = Now;
        Wrote();
        if (reconciled && intent.Kind == IntentKind.CreatePsaTicket)
        {
            Ledger(SyncDirection.PortalToPsa, "Ticket", LedgerResult.Reconciled,
                $"The answer to the create was lost, but {Psa} ticket #{resultId} was found by its external reference: it was not created twice.", psaId: resultId);
        }

        if (!followUp)
        {
            return;
        }

        var source = intent.SourceKey;
        var sourceId = source[(source.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var prefix = reconciled ? "Found again after an unanswered request (not written twice): " : "";
        var excerpt = $"\"{TicketText.Excerpt(intent.Text, 120)}\"";
        switch (intent.Kind, source.Split(':')[0])
        {
            case (IntentKind.CreatePsaNote, "comment"):
                AddLink(sourceId, resultId, NoteOrigin.PortalComment, intent);
                Ledger(SyncDirection.PortalToPsa, "Comment", reconciled ? LedgerResult.Reconciled : LedgerResult.Synced,
                    $"{prefix}Comment {sourceId} by {intent.AuthorName} became internal note #{resultId}" +
                    (intent.AuthorId is null ? $" (by the integration's member, with the author's name in the text)" : $" (by the mapped member)") + $": {excerpt}",
                    portalId: sourceId, psaId: resultId);
                _run.Counters.CommentToNote();
                break;
            case (IntentKind.CreatePsaNote, "conflict"):
                AddLink(null, resultId, NoteOrigin.ConflictCopy, intent);
                Ledger(SyncDirection.None, "Description", reconciled ? LedgerResult.Reconciled : LedgerResult.Synced,
                    $"{prefix}The losing description was kept as internal note #{resultId}.", psaId: resultId);
                break;
            case (IntentKind.CreatePsaNote, "description"):
                Ledger(SyncDirection.PortalToPsa, "Description", reconciled ? LedgerResult.Reconciled : LedgerResult.Synced,
                    $"{prefix}The ticket had no Discussion note; the description was added as note #{resultId}.", psaId: resultId);
                break;
            case (IntentKind.AddPortalComment, "note"):
                AddLink(resultId, sourceId, NoteOrigin.PsaNote, intent);
                Ledger(SyncDirection.PsaToPortal, "Note", reconciled ? LedgerResult.Reconciled : LedgerResult.Synced,
                    $"{prefix}Internal note #{sourceId} by {intent.AuthorName} became private comment {resultId}" +
                    (intent.AuthorId is null ? " (by the integration's user, with the author's name in the text)" : " (by the mapped user)") + $": {excerpt}",
                    portalId: resultId, psaId: sourceId);
                _run.Counters.NoteToComment();
                break;
            case (IntentKind.AddPortalComment, "description"):
                AddLink(resultId, null, NoteOrigin.DescriptionUpdate, intent);
                Ledger(SyncDirection.PsaToPortal, "Description", reconciled ? LedgerResult.Reconciled : LedgerResult.Synced,
                    $"{prefix}The {Psa} description was added to the portal as private comment {resultId} (the portal's description cannot change).", portalId: resultId);
                break;
        }
    }

    private void Abandon(SyncIntent intent)
    {
        intent.State = IntentState.Abandoned;
        intent.ResolvedAt = Now;
    }

    private SyncIntent? Pending(IntentKind kind, string sourceKey) =>
        _intents.FirstOrDefault(i => i.State == IntentState.Pending && i.Kind == kind && i.SourceKey == sourceKey);

    private bool Done(IntentKind kind, string sourceKey) =>
        _intents.Any(i => i.State == IntentState.Done && i.Kind == kind && i.SourceKey == sourceKey);

    private bool Expired(SyncIntent intent) => intent.CreatedAt + Options.UnconfirmedWriteWait <= Now;

    private TicketSyncOptions Options => _run.Options;

    private void Wait(string message)
    {
        _waiting = true;
        if (_link.LastError != message && _waitMessage is null)
        {
            Ledger(SyncDirection.None, "Ticket", LedgerResult.Failed, message);
        }

        _waitMessage ??= message;
    }

    /// <summary>Looks for the results of writes whose answers were lost; links what is found, lets the rest be written again once it cannot arrive any more.</summary>
    private async Task ReconcileIntentsAsync(CancellationToken ct)
    {
        foreach (var intent in _intents.Where(i => i.State == IntentState.Pending && i.Kind != IntentKind.CreatePsaTicket).ToList())
        {
            string? found;
            if (intent.Kind == IntentKind.CreatePsaNote)
            {
                found = FindNote(await NotesAsync(ct), intent.Text, intent.AuthorId);
            }
            else
            {
                found = FindComment(await CommentsAsync(ct), intent.Text, intent.AuthorId);
            }

            if (found is not null)
            {
                Complete(intent, found, reconciled: true);
            }
            else if (Expired(intent))
            {
                Abandon(intent);
            }
            else
            {
                Wait($"Waiting for an earlier {(intent.Kind == IntentKind.CreatePsaNote ? $"note to {Psa}" : "comment to the portal")} (sent {intent.CreatedAt:u}) to arrive; it is not sent twice.");
            }
        }
    }

    private string? FindNote(IReadOnlyList<PsaNote> notes, string text, string? memberId) => notes
        .Where(n => TicketText.Same(n.Text, text) && (memberId is null || n.MemberId == memberId) && !IsLinkedNote(n.Id) && !IsResult(n.Id))
        .OrderBy(n => n.CreatedAt).Select(n => n.Id).FirstOrDefault();

    private string? FindComment(IReadOnlyList<PortalComment> comments, string text, string? authorId) => comments
        .Where(c => !c.Public && c.Id.Length > 0 && TicketText.Same(c.Body, text) && (authorId is null || c.AuthorId == authorId) && !IsLinkedComment(c.Id) && !IsResult(c.Id))
        .Select(c => c.Id).FirstOrDefault();

    private bool IsResult(string id) => _intents.Any(i => i.State == IntentState.Done && i.ResultId == id);

    // ---- The description --------------------------------------------------------------------------------------------------

    /// <summary>
    /// Portal → PSA: the Discussion note is rewritten. PSA → portal: a private comment (the portal's description cannot change). Both
    /// changed since the last sync: the newer wins, the other is kept as a PSA note, and the ticket is flagged.
    /// </summary>
    private async Task SyncDescriptionAsync(CancellationToken ct)
    {
        var portalHash = TicketText.Hash(_link.PortalDescription);
        if (_link.PortalDescriptionHash is null)
        {
            // Adopted ticket: what its create sent is not known, so the current description counts as synced.
            _link.PortalDescriptionHash = portalHash;
        }

        var portalChanged = _link.PortalDescriptionHash != portalHash;
        if (!portalChanged && !(_link.PsaDirty || _refresh || _forceNotes))
        {
            return;
        }

        var note = DescriptionNote(await NotesAsync(ct));
        if (note is not null && _link.PsaDescriptionHash is null)
        {
            _link.PsaDescriptionHash = TicketText.Hash(note.Text);
        }

        var psaChanged = note is not null && TicketText.Hash(note.Text) != _link.PsaDescriptionHash;
        if (!portalChanged && !psaChanged)
        {
            return;
        }

        var portalText = TicketText.PsaDescription(_link.PortalSubject, _link.PortalDescription);
        if (portalChanged && psaChanged)
        {
            var portalWon = _link.PortalUpdatedAt >= note!.LastModified;
            if (portalWon)
            {
                await KeepConflictCopyAsync(portalWon, note.Text, ct);
                await RewriteDescriptionNoteAsync(note, portalText, ct);
            }
            else
            {
                await KeepConflictCopyAsync(portalWon, _link.PortalDescription, ct);
                await DescriptionToPortalAsync(note.Text, ct);
            }

            _link.ConflictAt = Now;
            _link.ConflictNote = portalWon
                ? $"The description changed on both sides; the portal's change ({_link.PortalUpdatedAt:u}) was newer and replaced the {Psa} description, which is kept as an internal note."
                : $"The description changed on both sides; the {Psa} change ({note.LastModified:u}) was newer and was added to the portal as a private comment; the portal's description is kept as an internal note.";
            Ledger(SyncDirection.None, "Description", LedgerResult.Conflict, _link.ConflictNote, portalId: _link.PortalTicketId, psaId: note.Id);
        }
        else if (portalChanged)
        {
            if (note is null)
            {
                await AddDescriptionNoteAsync(portalText, ct);
            }
            else
            {
                await RewriteDescriptionNoteAsync(note, portalText, ct);
            }
        }
        else
        {
            await DescriptionToPortalAsync(note!.Text, ct);
        }

        _link.PortalDescriptionHash = portalHash;
        await SaveAsync();
    }

    private async Task RewriteDescriptionNoteAsync(PsaNote note, string text, CancellationToken ct)
    {
        _own.PsaWrote(await _run.Psa.UpdateNoteTextAsync(_link.PsaTicketId!, note.Id, text, ct));
        _link.PsaDescriptionHash = TicketText.Hash(text);
        Ledger(SyncDirection.PortalToPsa, "Description", LedgerResult.Synced,
            $"The portal description changed; Discussion note #{note.Id} now holds it: \"{TicketText.Excerpt(text, 120)}\"", portalId: _link.PortalTicketId, psaId: note.Id);
        Wrote();
        await SaveAsync();
    }

    private async Task AddDescriptionNoteAsync(string text, CancellationToken ct)
    {
        var source = $"description:{TicketText.Hash(text)}";
        if (!Done(IntentKind.CreatePsaNote, source) && Pending(IntentKind.CreatePsaNote, source) is null)
        {
            await WriteAsync(IntentKind.CreatePsaNote, source, text, null, null,
                async token => OwnNote(await _run.Psa.CreateNoteAsync(_link.PsaTicketId!, new PsaNoteCreate(text, IsDescription: true, IsInternal: false, null), token)).Id,
                async token => FindNote(await FreshNotesAsync(token), text, null), followUp: true, ct);
        }

        _link.PsaDescriptionHash = TicketText.Hash(text);
    }

    private async Task DescriptionToPortalAsync(string psaText, CancellationToken ct)
    {
        var hash = TicketText.Hash(psaText);
        var source = $"description:{hash}";
        if (!Done(IntentKind.AddPortalComment, source) && Pending(IntentKind.AddPortalComment, source) is null)
        {
            var body = TicketText.DescriptionUpdated(Kind, psaText);
            try
            {
                await WriteAsync(IntentKind.AddPortalComment, source, body, null, Psa,
                    async token => OwnComment(await _run.Portal.AddPrivateCommentAsync(_link.PortalTicketId, body, null, token)).Id,
                    async token => FindComment(await FreshCommentsAsync(token), body, null), followUp: true, ct);
            }
            catch (PortalException e) when (e.Kind is PortalErrorKind.ValidationFailed or PortalErrorKind.NotFound)
            {
                // Zendesk refuses every update of a closed ticket (422): the description stays in the PSA and is not sent again.
                Ledger(SyncDirection.PsaToPortal, "Description", LedgerResult.NotSynced,
                    $"The portal refused the changed {Psa} description ({e.Message}); a closed portal ticket takes no more comments. It stays in {Psa}'s Discussion note.",
                    portalId: _link.PortalTicketId);
            }
        }

        _link.PsaDescriptionHash = hash;
    }

    private async Task KeepConflictCopyAsync(bool portalWon, string losingText, CancellationToken ct)
    {
        var text = TicketText.ConflictCopy(portalWon, Kind, losingText);
        var source = $"conflict:{TicketText.Hash(text)}";
        if (Done(IntentKind.CreatePsaNote, source) || Pending(IntentKind.CreatePsaNote, source) is not null)
        {
            return;
        }

        await WriteAsync(IntentKind.CreatePsaNote, source, text, null, "EasyConnect",
            async token => OwnNote(await _run.Psa.CreateNoteAsync(_link.PsaTicketId!, new PsaNoteCreate(text, IsDescription: false, IsInternal: true, null), token)).Id,
            async token => FindNote(await FreshNotesAsync(token), text, null), followUp: true, ct);
    }

    /// <summary>The PSA side of the description: the ticket's first Discussion note.</summary>
    private static PsaNote? DescriptionNote(IReadOnlyList<PsaNote> notes) =>
        notes.Where(n => n.IsDescription).OrderBy(n => n.CreatedAt).ThenBy(n => n.Id.Length).ThenBy(n => n.Id, StringComparer.Ordinal).FirstOrDefault();

    // ---- Comments and notes -----------------------------------------------------------------------------------------------

    /// <summary>Every portal comment after the description that has no note yet becomes an internal PSA note, oldest first.</summary>
    private async Task CommentsToNotesAsync(CancellationToken ct)
    {
        if (!(_link.PortalDirty || _refresh || _forceComments))
        {
            _commentsDone = true;
            return;
        }

        var comments = await CommentsAsync(ct);
        foreach (var comment in comments.Skip(1))
        {
            var source = $"comment:{comment.Id}";
            if (comment.Id.Length == 0 || IsLinkedComment(comment.Id) || IsResult(comment.Id) || Pending(IntentKind.CreatePsaNote, source) is not null)
            {
                continue;
            }

            if (!comment.Public && IsOwnWrite(IntentKind.AddPortalComment, comment.Body, comment.AuthorId) is { } own)
            {
                // A comment EasyConnect wrote whose answer never came back: it is ours, not a new one to copy.
                AddLink(comment.Id, own.SourceKey.StartsWith("note:", StringComparison.Ordinal) ? own.SourceKey[5..] : null,
                    own.SourceKey.StartsWith("note:", StringComparison.Ordinal) ? NoteOrigin.PsaNote : NoteOrigin.DescriptionUpdate, own);
                Ledger(SyncDirection.None, "Comment", LedgerResult.Reconciled, $"Comment {comment.Id} is one EasyConnect wrote earlier; it is not copied back.", portalId: comment.Id);
                continue;
            }

            var memberId = comment.AuthorEmail is { Length: > 0 } email ? await _run.MemberForEmailAsync(email, ct) : null;
            var author = comment.AuthorName ?? comment.AuthorEmail ?? "someone";
            try
            {
                await AddNoteAsync(source, memberId is null ? TicketText.FromPortal(comment.AuthorName, comment.AuthorEmail, comment.Body) : comment.Body, memberId, author, ct);
            }
            catch (PsaException e) when (e.Kind == PsaErrorKind.ValidationFailed && memberId is not null)
            {
                // The mapped member may be inactive in the PSA: the integration's member writes it, naming the author.
                await AddNoteAsync(source, TicketText.FromPortal(comment.AuthorName, comment.AuthorEmail, comment.Body), null, author, ct);
            }
        }

        _commentsDone = true;
    }

    private async Task AddNoteAsync(string source, string text, string? memberId, string author, CancellationToken ct)
    {
        try
        {
            await WriteAsync(IntentKind.CreatePsaNote, source, text, memberId, author,
                async token => OwnNote(await _run.Psa.CreateNoteAsync(_link.PsaTicketId!, new PsaNoteCreate(text, IsDescription: false, IsInternal: true, memberId), token)).Id,
                async token => FindNote(await FreshNotesAsync(token), text, memberId), followUp: true, ct);
        }
        catch (PsaException e) when (e.Kind == PsaErrorKind.ValidationFailed && memberId is null)
        {
            _holds.Add(new TicketHold(HoldKind.PsaRefused, $"{Psa} refused a note for portal comment {source[8..]}: {e.Message}"));
            throw new TicketHeldException();
        }
    }

    /// <summary>Every internal PSA note that has no comment yet becomes a private portal comment, oldest first.</summary>
    private async Task NotesToCommentsAsync(CancellationToken ct)
    {
        if (!(_link.PsaDirty || _refresh || _forceNotes))
        {
            _notesDone = true;
            return;
        }

        var notes = await NotesAsync(ct);
        var description = DescriptionNote(notes);
        foreach (var note in notes.Where(n => n.IsInternal && n.Id != description?.Id).OrderBy(n => n.CreatedAt).ThenBy(n => n.Id.Length).ThenBy(n => n.Id, StringComparer.Ordinal))
        {
            var source = $"note:{note.Id}";
            if (IsLinkedNote(note.Id) || IsResult(note.Id) || Pending(IntentKind.AddPortalComment, source) is not null)
            {
                continue;
            }

            if (IsOwnWrite(IntentKind.CreatePsaNote, note.Text, note.MemberId) is { } own)
            {
                AddLink(own.SourceKey.StartsWith("comment:", StringComparison.Ordinal) ? own.SourceKey[8..] : null, note.Id,
                    own.SourceKey.StartsWith("comment:", StringComparison.Ordinal) ? NoteOrigin.PortalComment : NoteOrigin.ConflictCopy, own);
                Ledger(SyncDirection.None, "Note", LedgerResult.Reconciled, $"Note #{note.Id} is one EasyConnect wrote earlier; it is not copied back.", psaId: note.Id);
                continue;
            }

            var (name, email) = note.MemberId is { } member ? await _run.MemberAsync(member, ct) : (note.CreatedBy ?? "A technician", null);
            var authorId = email is null ? null : await _run.PortalUserIdAsync(email, ct);
            var body = authorId is null ? TicketText.FromPsa(name, Kind, note.Text) : note.Text;
            try
            {
                await WriteAsync(IntentKind.AddPortalComment, source, body, authorId, name,
                    async token => OwnComment(await _run.Portal.AddPrivateCommentAsync(_link.PortalTicketId, body, authorId, token)).Id,
                    async token => FindComment(await FreshCommentsAsync(token), body, authorId), followUp: true, ct);
            }
            catch (PortalException e) when (e.Kind is PortalErrorKind.ValidationFailed or PortalErrorKind.NotFound)
            {
                AddLink(null, note.Id, NoteOrigin.Refused, null, TicketText.Excerpt(note.Text), name);
                Ledger(SyncDirection.PsaToPortal, "Note", LedgerResult.NotSynced,
                    $"The portal refused internal note #{note.Id} ({e.Message}); a closed portal ticket takes no more comments. The note stays in {Psa}.", psaId: note.Id);
                await SaveAsync();
            }
        }

        _notesDone = true;
        _notesCopied = true;
    }

    /// <summary>A comment or note that matches something EasyConnect itself wrote on this ticket whose answer never came back.</summary>
    private SyncIntent? IsOwnWrite(IntentKind kind, string text, string? authorId) => _intents
        .FirstOrDefault(i => i.Kind == kind && TicketText.Same(i.Text, text) && (i.AuthorId is null || authorId is null || i.AuthorId == authorId)
            && (i.State != IntentState.Done || !IsLinkedResult(i)));

    private bool IsLinkedResult(SyncIntent intent) => intent.ResultId is { } id && (IsLinkedComment(id) || IsLinkedNote(id));

    private bool IsLinkedComment(string id) => _links.Any(l => l.PortalCommentId == id);

    private bool IsLinkedNote(string id) => _links.Any(l => l.PsaNoteId == id);

    private void AddLink(string? commentId, string? noteId, NoteOrigin origin, SyncIntent? intent, string? excerpt = null, string? author = null)
    {
        if ((commentId is not null && IsLinkedComment(commentId)) || (noteId is not null && IsLinkedNote(noteId)))
        {
            return;
        }

        var link = new NoteLink
        {
            ConnectionId = _run.ConnectionId, TicketLinkId = _link.Id, PortalCommentId = commentId, PsaNoteId = noteId, Origin = origin,
            Excerpt = excerpt ?? TicketText.Excerpt(intent?.Text ?? "", 280), Author = author ?? intent?.AuthorName, CreatedAt = Now,
        };
        _db.NoteLinks.Add(link);
        _links.Add(link);
    }

    // ---- Reading both sides -----------------------------------------------------------------------------------------------

    private async Task<IReadOnlyList<PortalComment>> CommentsAsync(CancellationToken ct) => _comments ??= await ListCommentsAsync(ct);

    private async Task<IReadOnlyList<PsaNote>> NotesAsync(CancellationToken ct) => _notes ??= await ListNotesAsync(ct);

    private async Task<IReadOnlyList<PortalComment>> FreshCommentsAsync(CancellationToken ct) => _comments = await ListCommentsAsync(ct);

    private async Task<IReadOnlyList<PortalComment>> ListCommentsAsync(CancellationToken ct)
    {
        var comments = await _run.Portal.ListCommentsAsync(_link.PortalTicketId, ct);
        _own.PortalCommentsRead(comments.Count);
        return comments;
    }

    /// <summary>A note EasyConnect wrote: its time is the PSA ticket's new stamp.</summary>
    private PsaNote OwnNote(PsaNote note)
    {
        _own.PsaWrote(note);
        return note;
    }

    /// <summary>A comment EasyConnect wrote: its time is the portal ticket's new updated_at.</summary>
    private PortalComment OwnComment(PortalComment comment)
    {
        _own.PortalWrote(comment);
        return comment;
    }

    private async Task<IReadOnlyList<PsaNote>> FreshNotesAsync(CancellationToken ct) => _notes = await ListNotesAsync(ct);

    private async Task<IReadOnlyList<PsaNote>> ListNotesAsync(CancellationToken ct)
    {
        // The first read is the earliest: every list this pass works from was taken at or after it.
        _notesReadAt ??= Now;
        var notes = await _run.Psa.ListNotesAsync(_link.PsaTicketId!, ct);
        _own.PsaNotesRead();
        return notes;
    }

    /// <summary>
    /// Whether the notes were read so long after the second of the PSA ticket's last-modified time that the PSA can no longer stamp a
    /// change with that second: the second is over, and so is the overlap allowed for clock skew and late writes (the same allowance
    /// the read of changed PSA tickets relies on). Then a later read that finds the same last-modified time has nothing new, and the
    /// ticket is not looked at again until the time moves.
    /// </summary>
    private bool NotesReadAfterTheirSecond() =>
        _notesReadAt is { } readAt && _link.PsaLastModified is { } stamp && readAt >= stamp + TimeSpan.FromSeconds(1) + Options.PsaOverlap;

    // ---- Holds, ledger, saving --------------------------------------------------------------------------------------------

    /// <summary>Holds the ticket with every reason found in this pass, or releases it when none is left.</summary>
    private void ApplyHolds()
    {
        if (_holds.Count > 0)
        {
            var reason = string.Join(" ", _holds.Select(h => h.Reason).Distinct());
            if (_link.HeldReason != reason)
            {
                Ledger(SyncDirection.None, "Ticket", LedgerResult.Held, reason);
                _link.HeldSince ??= Now;
                _run.Counters.Hold();
            }

            _link.HeldReason = reason;
            _link.HeldKind = _holds[0].Kind;
            return;
        }

        if (_link.HeldReason is { } released && !_waiting && _link.LastError is null)
        {
            Ledger(SyncDirection.None, "Ticket", LedgerResult.Released, $"No longer held; the cause was fixed. It had been held because: {released}");
            _link.HeldReason = null;
            _link.HeldKind = null;
            _link.HeldSince = null;
        }
    }

    private void Ledger(SyncDirection direction, string subject, LedgerResult result, string detail, string? portalId = null, string? psaId = null) =>
        _db.TicketLedger.Add(new TicketLedgerEntry
        {
            ConnectionId = _run.ConnectionId, TicketLinkId = _link.Id, At = Now, Direction = direction, Subject = subject, Result = result,
            PortalId = portalId, PsaId = psaId, Detail = detail, RunId = _run.RunId,
        });

    private void Wrote() => _wrote = true;

    /// <summary>What a remote write changed is saved at once, even when the run is being stopped, so it is never done twice.</summary>
    private Task SaveAsync() => _db.SaveChangesAsync(CancellationToken.None);

    private static bool IsUncertain(Exception e) =>
        e is PsaException { Kind: PsaErrorKind.Timeout or PsaErrorKind.Unavailable } or PortalException { Kind: PortalErrorKind.Timeout or PortalErrorKind.Unavailable };

    private static bool IsTimeout(Exception e) => e is PsaException { Kind: PsaErrorKind.Timeout } or PortalException { Kind: PortalErrorKind.Timeout };
}

/// <summary>Thrown inside a pass when a hold stops the rest of it; the hold itself is on the pass.</summary>
internal sealed class TicketHeldException : Exception;

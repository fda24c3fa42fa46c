using EasyConnect.Sync.Http;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Tickets.Engine;

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
/// One ticket's sync within a run, in order: a resync's fresh reads, the PSA ticket (<see cref="PsaTicketCreation"/>), its fields
/// (<see cref="FieldSync"/>), the writes an earlier attempt left unfinished (<see cref="IntentJournal"/>), the description
/// (<see cref="DescriptionSync"/>) and the conversation (<see cref="ConversationSync"/>); then what the pass found is saved on the
/// ticket's link and ledger. The parts share the pass through one <see cref="TicketPassContext"/>.
/// </summary>
internal sealed class TicketPass
{
    private readonly TicketPassContext _pass;
    private readonly PsaTicketCreation _creation;
    private readonly FieldSync _fields;
    private readonly DescriptionSync _description;
    private readonly ConversationSync _conversation;

    private TicketPass(TicketPassContext pass)
    {
        _pass = pass;
        _creation = new PsaTicketCreation(pass);
        _fields = new FieldSync(pass);
        _description = new DescriptionSync(pass);
        _conversation = new ConversationSync(pass);
    }

    /// <summary>Syncs one ticket; never throws for PSA or portal errors (they end up on the ticket), only for cancellation.</summary>
    public static async Task<(TicketPassOutcome Outcome, string? Error)> RunAsync(
        TicketRun run, EasyConnectDbContext db, TimeProvider clock, long linkId, bool refresh, CancellationToken cancellationToken)
    {
        var pass = await TicketPassContext.LoadAsync(run, db, clock, linkId, refresh, cancellationToken);
        if (pass is null)
        {
            return (TicketPassOutcome.Synced, null);
        }

        run.Counters.Examine();
        return await new TicketPass(pass).RunAsync(cancellationToken);
    }

    private TicketLink Link => _pass.Link;

    private async Task<(TicketPassOutcome, string?)> RunAsync(CancellationToken ct)
    {
        var progress = _pass.Progress;
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
            Link.LastError = progress.WaitMessage;
            if (!progress.Waiting)
            {
                Link.PortalDirty &= !progress.CommentsDone;
                Link.PsaDirty &= !progress.NotesDone;
                Link.PsaRecheck &= !(progress.NotesCopied && _pass.Sides.NotesReadAfterTheirSecond());
                Link.LastSyncedAt = _pass.Now;
            }

            _pass.Own.ApplyTo(Link);
            if (!progress.Waiting && _pass.Own.PsaWritten && !_pass.Product.CreateAnswersCarryStamps && Link.PsaTicketId is { } psaId)
            {
                // The answers carried no stamps: the read of changes at the end of the run confirms these writes as EasyConnect's own.
                _pass.Run.Unstamped[psaId] = Link.Id;
            }

            _pass.Ledger.ApplyHolds();
            await _pass.SaveAsync();
            if (progress.Wrote)
            {
                _pass.Run.Counters.Write();
            }

            if (progress.Waiting)
            {
                _pass.Run.Counters.Wait();
                return (TicketPassOutcome.Waiting, null);
            }

            return Link.HeldReason is null ? (TicketPassOutcome.Synced, null) : (TicketPassOutcome.Held, Link.HeldReason);
        }
        catch (Exception e) when (e is PsaException or PortalException && !ct.IsCancellationRequested)
        {
            var fatal = e is PsaException { Kind: RemoteErrorKind.AuthenticationFailed or RemoteErrorKind.PermissionMissing }
                or PortalException { Kind: RemoteErrorKind.AuthenticationFailed or RemoteErrorKind.PermissionMissing };
            var message = e.Message;
            if (Link.LastError != message)
            {
                _pass.Ledger.Add(SyncDirection.None, "Ticket", LedgerResult.Failed, $"{message} It is tried again on the next run.");
            }

            Link.LastError = message;
            _pass.Ledger.ApplyHolds();
            await _pass.SaveAsync();
            _pass.Run.Counters.Fail();
            return (fatal ? TicketPassOutcome.Fatal : TicketPassOutcome.Failed, message);
        }
        catch (OperationCanceledException) when (_pass.Db.ChangeTracker.HasChanges())
        {
            // The run is being stopped: what the pass's writes changed and has not saved yet is saved, so none is made twice.
            await _pass.SaveAsync();
            throw;
        }
    }

    private async Task SyncAsync(CancellationToken ct)
    {
        if (_pass.Refresh)
        {
            await RefreshAsync(ct);
        }

        if (Link.PortalStatus == "deleted")
        {
            Deleted();
            _pass.Progress.CommentsDone = _pass.Progress.NotesDone = true;
            return;
        }

        var plan = await _pass.Run.PlanAsync(Link, ct);
        if (Link.PsaTicketId is null && !await _creation.EnsureAsync(plan, ct))
        {
            return;
        }

        await _fields.UpdateFieldsAsync(plan, ct);
        await _fields.AttachConfigurationAsync(plan, ct);
        await _fields.SetExternalIdAsync(ct);
        await _pass.Journal.ReconcileAsync(ct);
        await _description.SyncAsync(ct);
        await _conversation.CommentsToNotesAsync(ct);
        await _conversation.NotesToCommentsAsync(ct);
    }

    /// <summary>A resync reads both tickets afresh instead of trusting the last snapshots.</summary>
    private async Task RefreshAsync(CancellationToken ct)
    {
        var ticket = await _pass.Portal.GetTicketAsync(Link.PortalTicketId, ct);
        if (ticket is null)
        {
            Link.PortalStatus = "deleted";
        }
        else
        {
            TicketSnapshots.Apply(Link, ticket);
        }

        Link.PortalDirty = true;
        if (Link.PsaTicketId is { } psaId && await _pass.Psa.GetTicketAsync(psaId, ct) is { } psaTicket)
        {
            TicketSnapshots.Apply(Link, psaTicket);
        }

        Link.PsaDirty = Link.PsaTicketId is not null;
    }

    private void Deleted()
    {
        if (Link.SyncedStatus == "deleted")
        {
            return;
        }

        var psa = _pass.PsaName;
        Link.SyncedStatus = "deleted";
        _pass.Holds.Clear();
        _pass.Ledger.Add(SyncDirection.None, "Ticket", LedgerResult.NotSynced, Link.PsaTicketId is null
            ? $"The portal ticket was deleted before it was synced; nothing was created in {psa}."
            : $"The portal ticket was deleted. {psa} ticket #{Link.PsaTicketId} is kept: EasyConnect never deletes PSA tickets.");
    }
}

using EasyConnect.Sync.Http;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Tickets.Engine;

/// <summary>
/// The ticket's intents: every non-idempotent remote write is recorded (committed) before it is made and resolved after it; a write
/// whose answer was lost is looked for before it is made again, and what it made is linked and written to the ledger once.
/// </summary>
internal sealed class IntentJournal(TicketPassContext pass, List<SyncIntent> intents)
{
    /// <summary>The pending intent of this kind for this source, if any.</summary>
    public SyncIntent? Pending(IntentKind kind, IntentSource source) =>
        intents.FirstOrDefault(i => i.State == IntentState.Pending && i.Kind == kind && i.SourceKey == source.Key);

    /// <summary>Whether a write of this kind for this source was made.</summary>
    public bool Done(IntentKind kind, IntentSource source) =>
        intents.Any(i => i.State == IntentState.Done && i.Kind == kind && i.SourceKey == source.Key);

    /// <summary>Whether nothing written for this source is pending or done: it is still to be written.</summary>
    public bool ToWrite(IntentKind kind, IntentSource source) => !Done(kind, source) && Pending(kind, source) is null;

    /// <summary>A write this old whose result was never found cannot arrive any more.</summary>
    public bool Expired(SyncIntent intent) => intent.CreatedAt + pass.Options.UnconfirmedWriteWait <= pass.Now;

    /// <summary>Whether a portal comment id is what one of this ticket's comment writes made.</summary>
    /// <remarks>
    /// Only the writes to the same side count: a portal comment and a PSA note may carry the same number (the two systems number
    /// independently), and taking a new comment for the echo of a note EasyConnect wrote would leave it unsynced for good.
    /// </remarks>
    public bool IsCommentResult(string commentId) => intents.Any(i => i.State == IntentState.Done && i.Kind == IntentKind.AddPortalComment && i.ResultId == commentId);

    /// <summary>Whether a PSA note id is what one of this ticket's note writes made (see <see cref="IsCommentResult"/>).</summary>
    public bool IsNoteResult(string noteId) => intents.Any(i => i.State == IntentState.Done && i.Kind == IntentKind.CreatePsaNote && i.ResultId == noteId);

    /// <summary>A comment or note that matches something EasyConnect itself wrote on this ticket whose answer never came back.</summary>
    public SyncIntent? OwnWrite(IntentKind kind, string text, string? authorId) => intents
        .FirstOrDefault(i => i.Kind == kind && TicketText.Same(i.Text, text) && (i.AuthorId is null || authorId is null || i.AuthorId == authorId)
            && (i.State != IntentState.Done || !IsLinkedResult(i)));

    /// <summary>
    /// Records the intent, makes the write, and resolves the intent. A write whose answer did not come is looked for at once; if it
    /// cannot be found and may still arrive (a timeout), the intent stays pending and the pass waits for the next run.
    /// </summary>
    public async Task<string> WriteAsync(
        IntentKind kind, IntentSource source, string text, string? authorId, string? authorName,
        Func<CancellationToken, Task<string>> write, Func<CancellationToken, Task<string?>> findAgain, bool followUp, CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            // What earlier writes of this pass changed is kept; this one is not started.
            await pass.SaveAsync();
            ct.ThrowIfCancellationRequested();
        }

        var intent = new SyncIntent
        {
            ConnectionId = pass.Run.ConnectionId, TicketLinkId = pass.Link.Id, Kind = kind, SourceKey = source.Key, Text = text,
            AuthorId = authorId, AuthorName = authorName, State = IntentState.Pending, CreatedAt = pass.Now,
        };
        pass.Db.SyncIntents.Add(intent);
        intents.Add(intent);
        // The intent is committed before the request leaves: whatever happens next, the next run knows to look for the result. The
        // same commit carries what the pass has not saved yet (the outcome of its previous write, its ledger entries and links).
        await pass.SaveAsync();

        string? id;
        try
        {
            id = await write(ct);
        }
        catch (Exception e) when (IsUncertain(e) && !ct.IsCancellationRequested)
        {
            pass.Own.Unseen(kind);
            var found = await findAgain(ct);
            if (found is not null)
            {
                Complete(intent, found, followUp, reconciled: true);
                await pass.SaveAsync();
                return found;
            }

            if (!IsTimeout(e))
            {
                Abandon(intent);
            }

            await pass.SaveAsync();
            throw;
        }
        catch (Exception e) when (e is PsaException or PortalException && !ct.IsCancellationRequested)
        {
            Abandon(intent);
            await pass.SaveAsync();
            throw;
        }

        if (string.IsNullOrEmpty(id))
        {
            pass.Own.Unseen(kind);
            // Applied, but the portal's answer did not say which comment it made: it is matched by its text on the next run.
            await pass.SaveAsync();
            throw new PortalException(RemoteErrorKind.Timeout, "The portal added a comment but did not say which; EasyConnect matches it on the next run.");
        }

        // The outcome is saved with the pass's next commit (the next write's intent, or the end of the pass). Should that commit never
        // happen, the intent is still pending and the next run finds the result by its text or external reference: never written twice.
        Complete(intent, id, followUp, reconciled: false);
        return id;
    }

    /// <summary>Marks an intent done and records what it made: the note link and the ledger entry.</summary>
    public void Complete(SyncIntent intent, string resultId, bool followUp = true, bool reconciled = false)
    {
        intent.State = IntentState.Done;
        intent.ResultId = resultId;
        intent.ResolvedAt = pass.Now;
        pass.Wrote();
        var psa = pass.PsaName;
        if (reconciled && intent.Kind == IntentKind.CreatePsaTicket)
        {
            pass.Ledger.Add(SyncDirection.PortalToPsa, "Ticket", LedgerResult.Reconciled,
                $"The answer to the create was lost, but {psa} ticket #{resultId} was found by its external reference: it was not created twice.", psaId: resultId);
        }

        if (!followUp)
        {
            return;
        }

        var prefix = reconciled ? "Found again after an unanswered request (not written twice): " : "";
        var excerpt = $"\"{TicketText.Excerpt(intent.Text, 120)}\"";
        var result = reconciled ? LedgerResult.Reconciled : LedgerResult.Synced;
        switch (intent.Kind, IntentSource.Parse(intent.SourceKey))
        {
            case (IntentKind.CreatePsaNote, PortalCommentSource { CommentId: var commentId }):
                pass.NoteLinks.Add(commentId, resultId, NoteOrigin.PortalComment, intent);
                pass.Ledger.Add(SyncDirection.PortalToPsa, "Comment", result,
                    $"{prefix}Comment {commentId} by {intent.AuthorName} became {pass.Product.Nouns.Note} #{resultId}" +
                    (intent.AuthorId is null ? $" (by the integration's {pass.Product.Nouns.Member}, with the author's name in the text)" : $" (by the mapped {pass.Product.Nouns.Member})") + $": {excerpt}",
                    portalId: commentId, psaId: resultId);
                pass.Run.Counters.CommentToNote();
                break;
            case (IntentKind.CreatePsaNote, ConflictCopySource):
                pass.NoteLinks.Add(null, resultId, NoteOrigin.ConflictCopy, intent);
                pass.Ledger.Add(SyncDirection.None, "Description", result, $"{prefix}The losing description was kept as {pass.Product.Nouns.Note} #{resultId}.", psaId: resultId);
                break;
            case (IntentKind.AddPortalComment, PsaNoteSource { NoteId: var noteId }):
                pass.NoteLinks.Add(resultId, noteId, NoteOrigin.PsaNote, intent);
                pass.Ledger.Add(SyncDirection.PsaToPortal, "Note", result,
                    $"{prefix}Internal note #{noteId} by {intent.AuthorName} became private comment {resultId}" +
                    (intent.AuthorId is null ? " (by the integration's user, with the author's name in the text)" : " (by the mapped user)") + $": {excerpt}",
                    portalId: resultId, psaId: noteId);
                pass.Run.Counters.NoteToComment();
                break;
            case (IntentKind.AddPortalComment, DescriptionSource):
                pass.NoteLinks.Add(resultId, null, NoteOrigin.DescriptionUpdate, intent);
                pass.Ledger.Add(SyncDirection.PsaToPortal, "Description", result,
                    $"{prefix}The {psa} description was added to the portal as private comment {resultId} (the portal's description cannot change).", portalId: resultId);
                break;
        }
    }

    public void Abandon(SyncIntent intent)
    {
        intent.State = IntentState.Abandoned;
        intent.ResolvedAt = pass.Now;
    }

    /// <summary>Looks for the results of writes whose answers were lost; links what is found, lets the rest be written again once it cannot arrive any more.</summary>
    public async Task ReconcileAsync(CancellationToken ct)
    {
        foreach (var intent in intents.Where(i => i.State == IntentState.Pending && i.Kind != IntentKind.CreatePsaTicket).ToList())
        {
            string? found;
            var source = IntentSource.Parse(intent.SourceKey);
            if (intent.Kind == IntentKind.CreatePsaNote && source is DescriptionSource)
            {
                if (await LegacyDescriptionArrivedAsync(intent, ct))
                {
                    continue;
                }

                found = null;
            }
            else if (intent.Kind == IntentKind.CreatePsaNote)
            {
                found = FindNote((await pass.Sides.ConversationAsync(ct)).Notes, intent.Text, intent.AuthorId);
            }
            else
            {
                found = FindComment(await pass.Sides.CommentsAsync(ct), intent.Text, intent.AuthorId);
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
                pass.Wait($"Waiting for an earlier {(intent.Kind == IntentKind.CreatePsaNote ? $"note to {pass.PsaName}" : "comment to the portal")} (sent {intent.CreatedAt:u}) to arrive; it is not sent twice.");
            }
        }
    }

    /// <summary>The unlinked, unclaimed note with this text (and member, when given), oldest first.</summary>
    public string? FindNote(IReadOnlyList<PsaNote> notes, string text, string? memberId) => notes
        .Where(n => TicketText.Same(n.Text, text) && (memberId is null || n.MemberId == memberId) && !pass.NoteLinks.IsLinkedNote(n.Id) && !IsNoteResult(n.Id))
        .OrderBy(n => n.CreatedAt).Select(n => n.Id).FirstOrDefault();

    /// <summary>The unlinked, unclaimed private comment with this text (and author, when given).</summary>
    public string? FindComment(IReadOnlyList<PortalComment> comments, string text, string? authorId) => comments
        .Where(c => !c.Public && c.Id.Length > 0 && TicketText.Same(c.Body, text) && (authorId is null || c.AuthorId == authorId)
            && !pass.NoteLinks.IsLinkedComment(c.Id) && !IsCommentResult(c.Id))
        .Select(c => c.Id).FirstOrDefault();

    /// <summary>
    /// An intent to add a missing ConnectWise Discussion note, from the versions before the description became the ticket's own:
    /// when the PSA's description now holds its text, the note arrived. Done without a result id, since the description is no
    /// note of the conversation that anything may match.
    /// </summary>
    private async Task<bool> LegacyDescriptionArrivedAsync(SyncIntent intent, CancellationToken ct)
    {
        if ((await pass.Sides.ConversationAsync(ct)).Description is not { } description || !TicketText.Same(description.Text, intent.Text))
        {
            return false;
        }

        intent.State = IntentState.Done;
        intent.ResolvedAt = pass.Now;
        pass.Wrote();
        pass.Link.PsaDescriptionHash = TicketText.Hash(description.Text);
        pass.Ledger.Add(SyncDirection.PortalToPsa, "Description", LedgerResult.Reconciled,
            $"Found again after an unanswered request (not written twice): {pass.PsaName} ticket #{pass.Link.PsaTicketId}'s description holds the portal's.",
            psaId: pass.Link.PsaTicketId);
        return true;
    }

    private bool IsLinkedResult(SyncIntent intent) => intent.ResultId is { } id && intent.Kind switch
    {
        IntentKind.AddPortalComment => pass.NoteLinks.IsLinkedComment(id),
        IntentKind.CreatePsaNote => pass.NoteLinks.IsLinkedNote(id),
        _ => false,
    };

    private static bool IsUncertain(Exception e) =>
        e is PsaException { Kind: RemoteErrorKind.Timeout or RemoteErrorKind.Unavailable } or PortalException { Kind: RemoteErrorKind.Timeout or RemoteErrorKind.Unavailable };

    private static bool IsTimeout(Exception e) => e is PsaException { Kind: RemoteErrorKind.Timeout } or PortalException { Kind: RemoteErrorKind.Timeout };
}

using EasyConnect.Sync.Http;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Tickets.Engine;

/// <summary>
/// Comments ⇄ notes: every portal comment after the description becomes an internal PSA note, every internal PSA note a private
/// portal comment, each by the mapped member or user when there is one (else by the integration, naming the author). What
/// EasyConnect wrote itself is linked and never copied back.
/// </summary>
internal sealed class ConversationSync(TicketPassContext pass)
{
    private TicketLink Link => pass.Link;

    /// <summary>Every portal comment after the description that has no note yet becomes an internal PSA note, oldest first.</summary>
    public async Task CommentsToNotesAsync(CancellationToken ct)
    {
        if (!(Link.PortalDirty || pass.Refresh || pass.Progress.ForceComments))
        {
            pass.Progress.CommentsDone = true;
            return;
        }

        var comments = await pass.Sides.CommentsAsync(ct);
        foreach (var comment in comments.Skip(1))
        {
            var source = new PortalCommentSource(comment.Id);
            if (comment.Id.Length == 0 || pass.NoteLinks.IsLinkedComment(comment.Id) || pass.Journal.IsCommentResult(comment.Id)
                || pass.Journal.Pending(IntentKind.CreatePsaNote, source) is not null)
            {
                continue;
            }

            if (!comment.Public && pass.Journal.OwnWrite(IntentKind.AddPortalComment, comment.Body, comment.AuthorId) is { } own)
            {
                // A comment EasyConnect wrote whose answer never came back: it is ours, not a new one to copy.
                var note = IntentSource.Parse(own.SourceKey) as PsaNoteSource;
                pass.NoteLinks.Add(comment.Id, note?.NoteId, note is null ? NoteOrigin.DescriptionUpdate : NoteOrigin.PsaNote, own);
                pass.Ledger.Add(SyncDirection.None, "Comment", LedgerResult.Reconciled, $"Comment {comment.Id} is one EasyConnect wrote earlier; it is not copied back.", portalId: comment.Id);
                continue;
            }

            var memberId = comment.AuthorEmail is { Length: > 0 } email ? await pass.Run.MemberForEmailAsync(email, ct) : null;
            var author = comment.AuthorName ?? comment.AuthorEmail ?? "someone";
            try
            {
                await AddNoteAsync(source, memberId is null ? TicketText.FromPortal(comment.AuthorName, comment.AuthorEmail, comment.Body) : comment.Body, memberId, author, ct);
            }
            catch (PsaException e) when (e.Kind == RemoteErrorKind.ValidationFailed && memberId is not null)
            {
                // The mapped member may be inactive in the PSA: the integration's member writes it, naming the author.
                await AddNoteAsync(source, TicketText.FromPortal(comment.AuthorName, comment.AuthorEmail, comment.Body), null, author, ct);
            }
        }

        pass.Progress.CommentsDone = true;
    }

    /// <summary>Every internal PSA note that has no comment yet becomes a private portal comment, oldest first.</summary>
    public async Task NotesToCommentsAsync(CancellationToken ct)
    {
        if (!(Link.PsaDirty || pass.Refresh || pass.Progress.ForceNotes))
        {
            pass.Progress.NotesDone = true;
            return;
        }

        var notes = (await pass.Sides.ConversationAsync(ct)).Notes;
        foreach (var note in notes.Where(n => n.Visibility == PsaNoteVisibility.Internal)
            .OrderBy(n => n.CreatedAt).ThenBy(n => n.Id.Length).ThenBy(n => n.Id, StringComparer.Ordinal))
        {
            var source = new PsaNoteSource(note.Id);
            if (pass.NoteLinks.IsLinkedNote(note.Id) || pass.Journal.IsNoteResult(note.Id) || pass.Journal.Pending(IntentKind.AddPortalComment, source) is not null)
            {
                continue;
            }

            if (pass.Journal.OwnWrite(IntentKind.CreatePsaNote, note.Text, note.MemberId) is { } own)
            {
                var comment = IntentSource.Parse(own.SourceKey) as PortalCommentSource;
                pass.NoteLinks.Add(comment?.CommentId, note.Id, comment is null ? NoteOrigin.ConflictCopy : NoteOrigin.PortalComment, own);
                pass.Ledger.Add(SyncDirection.None, "Note", LedgerResult.Reconciled, $"Note #{note.Id} is one EasyConnect wrote earlier; it is not copied back.", psaId: note.Id);
                continue;
            }

            await CopyNoteAsync(note, source, ct);
        }

        pass.Progress.NotesDone = true;
        pass.Progress.NotesCopied = true;
    }

    private async Task AddNoteAsync(PortalCommentSource source, string text, string? memberId, string author, CancellationToken ct)
    {
        try
        {
            await pass.Journal.WriteAsync(IntentKind.CreatePsaNote, source, text, memberId, author,
                async token => pass.OwnNote(await pass.Psa.CreateNoteAsync(Link.PsaTicketId!, new PsaNoteCreate(text, PsaNoteVisibility.Internal, memberId, pass.Run.Settings.NoteOptions), token)).Id,
                async token => pass.Journal.FindNote((await pass.Sides.FreshConversationAsync(token)).Notes, text, memberId), followUp: true, ct);
        }
        catch (PsaException e) when (e.Kind == RemoteErrorKind.ValidationFailed && memberId is null)
        {
            pass.Holds.Add(new TicketHold(HoldKind.PsaRefused, $"{pass.PsaName} refused a note for portal comment {source.CommentId}: {e.Message}"));
            throw new TicketHeldException();
        }
    }

    private async Task CopyNoteAsync(PsaNote note, PsaNoteSource source, CancellationToken ct)
    {
        var (name, email) = note.MemberId is { } member ? await pass.Run.MemberAsync(member, ct) : (note.CreatedBy ?? "A technician", null);
        var authorId = email is null ? null : await pass.Run.PortalUserIdAsync(email, ct);
        var body = authorId is null ? TicketText.FromPsa(name, pass.Kind, note.Text) : note.Text;
        try
        {
            await pass.Journal.WriteAsync(IntentKind.AddPortalComment, source, body, authorId, name,
                async token => pass.OwnComment(await pass.Portal.AddPrivateCommentAsync(Link.PortalTicketId, body, authorId, token)).Id,
                async token => pass.Journal.FindComment(await pass.Sides.FreshCommentsAsync(token), body, authorId), followUp: true, ct);
        }
        catch (PortalException e) when (e.Kind is RemoteErrorKind.ValidationFailed or RemoteErrorKind.NotFound)
        {
            pass.NoteLinks.Add(null, note.Id, NoteOrigin.Refused, null, TicketText.Excerpt(note.Text), name);
            pass.Ledger.Add(SyncDirection.PsaToPortal, "Note", LedgerResult.NotSynced,
                $"The portal refused {pass.Product.Nouns.Note} #{note.Id} ({e.Message}); a closed portal ticket takes no more comments. The note stays in {pass.PsaName}.", psaId: note.Id);
            await pass.SaveAsync();
        }
    }
}

namespace EasyConnect.Sync.Tickets.Engine;

/// <summary>The ticket's note links: which portal comment carries which PSA note. A linked comment or note is never copied again.</summary>
internal sealed class NoteLinkSet(TicketPassContext pass, List<NoteLink> links)
{
    public bool IsLinkedComment(string id) => links.Any(l => l.PortalCommentId == id);

    public bool IsLinkedNote(string id) => links.Any(l => l.PsaNoteId == id);

    /// <summary>Links a comment and a note (either may be missing); nothing happens when either is linked already.</summary>
    public void Add(string? commentId, string? noteId, NoteOrigin origin, SyncIntent? intent, string? excerpt = null, string? author = null)
    {
        if ((commentId is not null && IsLinkedComment(commentId)) || (noteId is not null && IsLinkedNote(noteId)))
        {
            return;
        }

        var link = new NoteLink
        {
            ConnectionId = pass.Run.ConnectionId, TicketLinkId = pass.Link.Id, PortalCommentId = commentId, PsaNoteId = noteId, Origin = origin,
            Excerpt = excerpt ?? TicketText.Excerpt(intent?.Text ?? "", 280), Author = author ?? intent?.AuthorName, CreatedAt = pass.Now,
        };
        pass.Db.NoteLinks.Add(link);
        links.Add(link);
    }
}

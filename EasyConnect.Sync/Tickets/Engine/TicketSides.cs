using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Tickets.Engine;

/// <summary>What the pass read of both sides' conversations: each is read once, and again only to look for a write's result.</summary>
internal sealed class TicketSides(TicketPassContext pass)
{
    private IReadOnlyList<PortalComment>? _comments;
    private PsaConversation? _conversation;
    private DateTimeOffset? _conversationReadAt;

    /// <summary>The portal ticket's comments, oldest first (the first is its description).</summary>
    public async Task<IReadOnlyList<PortalComment>> CommentsAsync(CancellationToken ct) => _comments ??= await ListCommentsAsync(ct);

    /// <summary>The PSA ticket's description and notes.</summary>
    public async Task<PsaConversation> ConversationAsync(CancellationToken ct) => _conversation ??= await ReadConversationAsync(ct);

    public async Task<IReadOnlyList<PortalComment>> FreshCommentsAsync(CancellationToken ct) => _comments = await ListCommentsAsync(ct);

    public async Task<PsaConversation> FreshConversationAsync(CancellationToken ct) => _conversation = await ReadConversationAsync(ct);

    /// <summary>
    /// Whether the notes were read so long after the second of the PSA ticket's last-modified time that the PSA can no longer stamp a
    /// change with that second: the second is over, and so is the overlap allowed for clock skew and late writes (the same allowance
    /// the read of changed PSA tickets relies on). Then a later read that finds the same last-modified time has nothing new, and the
    /// ticket is not looked at again until the time moves.
    /// </summary>
    public bool NotesReadAfterTheirSecond() =>
        _conversationReadAt is { } readAt && pass.Link.PsaLastModified is { } stamp && readAt >= stamp + TimeSpan.FromSeconds(1) + pass.Options.PsaOverlap;

    private async Task<IReadOnlyList<PortalComment>> ListCommentsAsync(CancellationToken ct)
    {
        var comments = await pass.Portal.ListCommentsAsync(pass.Link.PortalTicketId, ct);
        pass.Own.PortalCommentsRead(comments.Count);
        return comments;
    }

    private async Task<PsaConversation> ReadConversationAsync(CancellationToken ct)
    {
        // The first read is the earliest: every list this pass works from was taken at or after it.
        _conversationReadAt ??= pass.Now;
        var conversation = await pass.Psa.ReadConversationAsync(pass.Link.PsaTicketId!, ct);
        pass.Own.PsaNotesRead();
        return conversation;
    }
}

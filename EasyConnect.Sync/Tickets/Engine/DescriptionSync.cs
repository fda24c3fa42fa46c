using EasyConnect.Sync.Http;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Tickets.Engine;

/// <summary>
/// The description, both ways. Portal → PSA: the PSA ticket's description is set (the adapter knows where the PSA keeps it).
/// PSA → portal: a private comment, since the portal's description cannot change. Both changed since the last sync: the newer
/// wins, the other is kept as an internal PSA note, and the ticket is flagged.
/// </summary>
internal sealed class DescriptionSync(TicketPassContext pass)
{
    private TicketLink Link => pass.Link;

    public async Task SyncAsync(CancellationToken ct)
    {
        var portalHash = TicketText.Hash(Link.PortalDescription);
        if (Link.PortalDescriptionHash is null)
        {
            // Adopted ticket: what its create sent is not known, so the current description counts as synced.
            Link.PortalDescriptionHash = portalHash;
        }

        var portalChanged = Link.PortalDescriptionHash != portalHash;
        if (!portalChanged && !(Link.PsaDirty || pass.Refresh || pass.Progress.ForceNotes))
        {
            return;
        }

        var psaDescription = (await pass.Sides.ConversationAsync(ct)).Description;
        if (psaDescription is not null && Link.PsaDescriptionHash is null)
        {
            Link.PsaDescriptionHash = TicketText.Hash(psaDescription.Text);
        }

        var psaChanged = psaDescription is not null && TicketText.Hash(psaDescription.Text) != Link.PsaDescriptionHash;
        if (!portalChanged && !psaChanged)
        {
            return;
        }

        var portalText = TicketText.PsaDescription(Link.PortalSubject, Link.PortalDescription, pass.SummaryLimit);
        if (portalChanged && psaChanged)
        {
            var portalWon = Link.PortalUpdatedAt >= psaDescription!.LastModified;
            if (portalWon)
            {
                await KeepConflictCopyAsync(portalWon, psaDescription.Text, ct);
                await WriteToPsaAsync(portalText, ct);
            }
            else
            {
                await KeepConflictCopyAsync(portalWon, Link.PortalDescription, ct);
                await AddToPortalAsync(psaDescription.Text, ct);
            }

            var psa = pass.PsaName;
            Link.ConflictAt = pass.Now;
            Link.ConflictNote = portalWon
                ? $"The description changed on both sides; the portal's change ({Link.PortalUpdatedAt:u}) was newer and replaced the {psa} description, which is kept as an internal note."
                : $"The description changed on both sides; the {psa} change ({psaDescription.LastModified:u}) was newer and was added to the portal as a private comment; the portal's description is kept as an internal note.";
            pass.Ledger.Add(SyncDirection.None, "Description", LedgerResult.Conflict, Link.ConflictNote, portalId: Link.PortalTicketId, psaId: Link.PsaTicketId);
        }
        else if (portalChanged)
        {
            await WriteToPsaAsync(portalText, ct);
        }
        else
        {
            await AddToPortalAsync(psaDescription!.Text, ct);
        }

        Link.PortalDescriptionHash = portalHash;
        await pass.SaveAsync();
    }

    /// <summary>Sets the PSA ticket's description; repeatable, so it needs no intent.</summary>
    private async Task WriteToPsaAsync(string text, CancellationToken ct)
    {
        pass.Own.PsaWrote(await pass.Psa.UpdateTicketAsync(Link.PsaTicketId!, new PsaTicketUpdate(Description: text), ct));
        Link.PsaDescriptionHash = TicketText.Hash(text);
        pass.Ledger.Add(SyncDirection.PortalToPsa, "Description", LedgerResult.Synced,
            $"The portal description changed; {pass.PsaName} ticket #{Link.PsaTicketId}'s description now holds it: \"{TicketText.Excerpt(text, 120)}\"",
            portalId: Link.PortalTicketId, psaId: Link.PsaTicketId);
        pass.Wrote();
        await pass.SaveAsync();
    }

    private async Task AddToPortalAsync(string psaText, CancellationToken ct)
    {
        var hash = TicketText.Hash(psaText);
        var source = new DescriptionSource(hash);
        if (pass.Journal.ToWrite(IntentKind.AddPortalComment, source))
        {
            var body = TicketText.DescriptionUpdated(pass.Kind, psaText);
            try
            {
                await pass.Journal.WriteAsync(IntentKind.AddPortalComment, source, body, null, pass.PsaName,
                    async token => pass.OwnComment(await pass.Portal.AddPrivateCommentAsync(Link.PortalTicketId, body, null, token)).Id,
                    async token => pass.Journal.FindComment(await pass.Sides.FreshCommentsAsync(token), body, null), followUp: true, ct);
            }
            catch (PortalException e) when (e.Kind is RemoteErrorKind.ValidationFailed or RemoteErrorKind.NotFound)
            {
                // Zendesk refuses every update of a closed ticket (422): the description stays in the PSA and is not sent again.
                pass.Ledger.Add(SyncDirection.PsaToPortal, "Description", LedgerResult.NotSynced,
                    $"The portal refused the changed {pass.PsaName} description ({e.Message}); a closed portal ticket takes no more comments. It stays in {pass.PsaName}'s description.",
                    portalId: Link.PortalTicketId);
            }
        }

        Link.PsaDescriptionHash = hash;
    }

    private async Task KeepConflictCopyAsync(bool portalWon, string losingText, CancellationToken ct)
    {
        var text = TicketText.ConflictCopy(portalWon, pass.Kind, losingText);
        var source = new ConflictCopySource(TicketText.Hash(text));
        if (!pass.Journal.ToWrite(IntentKind.CreatePsaNote, source))
        {
            return;
        }

        await pass.Journal.WriteAsync(IntentKind.CreatePsaNote, source, text, null, "EasyConnect",
            async token => pass.OwnNote(await pass.Psa.CreateNoteAsync(Link.PsaTicketId!, new PsaNoteCreate(text, PsaNoteVisibility.Internal, null, pass.Run.Settings.NoteOptions), token)).Id,
            async token => pass.Journal.FindNote((await pass.Sides.FreshConversationAsync(token)).Notes, text, null), followUp: true, ct);
    }
}

using EasyConnect.Sync.Http;
using System.Collections.Concurrent;
using EasyConnect.Sync.Psa.ConnectWise.Dtos;
using static EasyConnect.Sync.Psa.ConnectWise.ConnectWiseRecords;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>
/// A ticket's description and notes. ConnectWise has no description field: the initial description is the ticket's first
/// Discussion note (<c>detailDescriptionFlag</c>), so reading the conversation splits it off and writing the description
/// rewrites that note, or adds it when it is missing.
/// </summary>
internal sealed partial class ConnectWiseClient
{
    // A run reads a ticket's conversation before it changes the description: remembering the note saves a second read of the notes.
    private const int RememberedDescriptionNotes = 10_000;
    private readonly ConcurrentDictionary<int, int?> _descriptionNotes = new();

    public async Task<PsaConversation> ReadConversationAsync(string ticketId, CancellationToken cancellationToken)
    {
        var id = ParseId(ticketId, "ticket");
        var (description, notes) = SplitDescription(await ListNotesAsync(id, cancellationToken));
        Remember(id, description is null ? null : description.Id);
        return new PsaConversation(
            description is null ? null : new PsaDescription(description.Text ?? "", NoteModified(description)),
            notes.Select(n => ToNote(n, id)).ToList());
    }

    public async Task<PsaNote> CreateNoteAsync(string ticketId, PsaNoteCreate note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(note);
        var id = ParseId(ticketId, "ticket");
        var api = await ApiAsync(cancellationToken);
        var body = new CwNoteCreate
        {
            Text = note.Text,
            // ConnectWise's customer-visible notes are Discussion notes; the first of those is the description, written only by WriteDescriptionAsync.
            DetailDescriptionFlag = note.Visibility == PsaNoteVisibility.External,
            InternalAnalysisFlag = note.Visibility == PsaNoteVisibility.Internal,
            Member = note.MemberId is null ? null : CwReference.To(ParseId(note.MemberId, "member")),
        };
        return ToNote(await Call(Op($"add a note to ticket {id}", "Service Desk > Service Tickets (add notes)", write: true), () => api.CreateNoteAsync(id, body, cancellationToken), cancellationToken), id);
    }

    /// <summary>Rewrites the description note, or adds it when the ticket has none; the notes are read only when not remembered.</summary>
    private async Task WriteDescriptionAsync(int ticketId, string text, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        if (!_descriptionNotes.TryRemove(ticketId, out var noteId))
        {
            noteId = SplitDescription(await ListNotesAsync(ticketId, cancellationToken)).Description?.Id;
        }

        var api = await ApiAsync(cancellationToken);
        if (noteId is { } note)
        {
            IReadOnlyList<CwPatchOperation> operations = [new("replace", "text", text)];
            try
            {
                await Call(Op($"change note {note} of ticket {ticketId}", "Service Desk > Service Tickets (edit notes)"),
                    () => api.PatchNoteAsync(ticketId, note, operations, cancellationToken), cancellationToken);
                return;
            }
            catch (PsaException e) when (e.Kind == RemoteErrorKind.NotFound)
            {
                // The remembered note was deleted since it was read: look again.
                noteId = SplitDescription(await ListNotesAsync(ticketId, cancellationToken)).Description?.Id;
                if (noteId is { } again)
                {
                    await Call(Op($"change note {again} of ticket {ticketId}", "Service Desk > Service Tickets (edit notes)"),
                        () => api.PatchNoteAsync(ticketId, again, operations, cancellationToken), cancellationToken);
                    return;
                }
            }
        }

        var body = new CwNoteCreate { Text = text, DetailDescriptionFlag = true, InternalAnalysisFlag = false };
        // An add whose answer is lost is not repeated here; the next write reads the notes, finds it as the description and rewrites it.
        await Call(Op($"add the description note to ticket {ticketId}", "Service Desk > Service Tickets (add notes)", write: true),
            () => api.CreateNoteAsync(ticketId, body, cancellationToken), cancellationToken);
    }

    private async Task<List<CwNote>> ListNotesAsync(int ticketId, CancellationToken cancellationToken)
    {
        var api = await ApiAsync(cancellationToken);
        var notes = new List<CwNote>();
        await foreach (var page in Pages(Op($"read the notes of ticket {ticketId}", "Service Desk > Service Tickets"), (q, p) => api.GetNotesAsync(ticketId, q, p, cancellationToken), null, cancellationToken))
        {
            notes.AddRange(page);
        }

        return notes;
    }

    private void Remember(int ticketId, int? noteId)
    {
        if (_descriptionNotes.Count >= RememberedDescriptionNotes)
        {
            _descriptionNotes.Clear();
        }

        _descriptionNotes[ticketId] = noteId;
    }
}

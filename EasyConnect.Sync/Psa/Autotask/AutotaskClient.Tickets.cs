using System.Text.Json;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Http;
using static EasyConnect.Sync.Http.LenientJsonElement;
using static EasyConnect.Sync.Psa.Autotask.AutotaskRecords;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>Tickets, their notes and the connection test.</summary>
internal sealed partial class AutotaskClient
{
    private const int NoteTitleLength = 250;
    private string? _noteType;

    public async Task<PsaTicket?> GetTicketAsync(string ticketId, CancellationToken cancellationToken)
    {
        var id = ParseId(ticketId, "ticket");
        try
        {
            var answer = await CallAsync(Op($"read ticket {id}", Tickets), api => api.GetAsync(Tickets, id, cancellationToken), cancellationToken);
            // Autotask answers a missing id with 200 {"item": null}, not 404.
            return answer.Item is { ValueKind: JsonValueKind.Object } item ? ToTicket(item) : null;
        }
        catch (PsaException e) when (e.Kind == RemoteErrorKind.NotFound)
        {
            return null;
        }
    }

    public async Task<PsaTicket?> FindTicketByExternalReferenceAsync(string externalReference, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(externalReference);
        var op = Op("search tickets", Tickets);
        var page = await CallAsync(op, api => api.QueryAsync(Tickets, AutotaskQuery.Of(AutotaskFilter.Eq("externalID", externalReference), 1), cancellationToken), cancellationToken);
        var items = page.Items ?? throw AutotaskErrors.EmptyAnswer(op, "its items");
        return items.Count == 0 ? null : ToTicket(items[0]);
    }

    public async Task<PsaTicket> CreateTicketAsync(PsaTicketCreate ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var body = new JsonObject
        {
            ["title"] = ticket.Summary,
            ["description"] = ticket.Description,
            ["queueID"] = ParseId(ticket.BoardId, "queue"),
            // Autotask requires a company; 0 is the MSP's own company.
            ["companyID"] = ticket.CompanyId is null ? 0 : ParseId(ticket.CompanyId, "company"),
            ["externalID"] = ticket.ExternalReference,
        };
        AddPicklist(body, "status", ticket.StatusId);
        AddPicklist(body, "priority", ticket.PriorityId);
        if (ticket.ConfigurationId is not null)
        {
            // Tickets create takes the configuration item: no update afterwards to attach it.
            body["configurationItemID"] = ParseId(ticket.ConfigurationId, "configuration item");
        }

        var op = Op("create a ticket", "Tickets (add)", write: true);
        Dtos.AtItemId created;
        try
        {
            created = await CallAsync(op, api => api.CreateAsync(Tickets, body, cancellationToken), cancellationToken);
        }
        catch (PsaException e) when (e.Kind == RemoteErrorKind.ValidationFailed)
        {
            // Autotask names the field it refuses but not the value ("Reference value on field: companyID … does not exist"):
            // the values sent let the admin see which setting is wrong.
            throw new PsaException(e.Kind, $"{e.Message} (sent queue {body["queueID"]}, company {body["companyID"]}, status {body["status"]?.ToJsonString() ?? "default"}, priority {body["priority"]?.ToJsonString() ?? "default"}" +
                (ticket.ConfigurationId is null ? ")" : $", configuration item {ticket.ConfigurationId})"),
                e.Field, e.StatusCode, e);
        }

        var id = created.ItemId ?? throw AutotaskErrors.EmptyAnswer(op, "the new ticket's id");
        // The answer names the new id only. The ticket is what was sent; it is not read back (a call per ticket, and a new record can
        // briefly read as missing): its stamps are not known here, which the product says (CreateAnswersCarryStamps), and the ticket
        // sync learns them for all the tickets a run wrote at the end of the run.
        return ToTicket(JsonSerializer.SerializeToElement(Copy(body, id))) with { LastModified = _time.GetUtcNow(), CreatedAt = _time.GetUtcNow() };
    }

    public async Task<PsaTicket> UpdateTicketAsync(string ticketId, PsaTicketUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var id = ParseId(ticketId, "ticket");
        var changes = new JsonObject { ["id"] = id };
        if (update.Summary is not null)
        {
            changes["title"] = update.Summary;
        }

        if (update.Description is not null)
        {
            // Autotask keeps the description on the ticket: writing the same text twice changes nothing.
            changes["description"] = update.Description;
        }

        AddPicklist(changes, "status", update.StatusId);
        AddPicklist(changes, "priority", update.PriorityId);
        if (update.CompanyId is not null)
        {
            changes["companyID"] = ParseId(update.CompanyId, "company");
        }

        if (update.BoardId is not null)
        {
            changes["queueID"] = ParseId(update.BoardId, "queue");
        }

        if (changes.Count > 1)
        {
            await CallAsync(Op($"update ticket {id}", "Tickets (edit)", write: true), api => api.PatchAsync(Tickets, changes, cancellationToken), cancellationToken);
        }

        return await GetTicketAsync(ticketId, cancellationToken)
            ?? throw new PsaException(RemoteErrorKind.NotFound, $"Autotask has no ticket {id}.", statusCode: 404);
    }

    public async Task<PsaConversation> ReadConversationAsync(string ticketId, CancellationToken cancellationToken)
    {
        var id = ParseId(ticketId, "ticket");
        var ticket = await GetTicketAsync(ticketId, cancellationToken)
            ?? throw new PsaException(RemoteErrorKind.NotFound, $"Autotask has no ticket {id}.", statusCode: 404);
        var notes = new List<PsaNote>();
        await foreach (var page in QueryPagesAsync(TicketNotes, AutotaskFilter.Eq("ticketID", id), Op($"read the notes of ticket {id}", "Tickets"), cancellationToken))
        {
            notes.AddRange(page.Select(ToNote));
        }

        var ordered = notes.OrderBy(n => n.CreatedAt).ThenBy(n => n.Id.Length).ThenBy(n => n.Id, StringComparer.Ordinal).ToList();
        var description = string.IsNullOrEmpty(ticket.Description) ? null : new PsaDescription(ticket.Description, ticket.LastModified);
        return new(description, ordered);
    }

    public async Task<PsaNote> CreateNoteAsync(string ticketId, PsaNoteCreate note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(note);
        var id = ParseId(ticketId, "ticket");
        var body = new JsonObject
        {
            ["ticketID"] = id,
            ["title"] = TitleOf(note.Text),
            ["description"] = note.Text,
            ["noteType"] = ParseId(Chosen(note, AutotaskProduct.NoteType) ?? await NoteTypeAsync(cancellationToken), "note type"),
            ["publish"] = note.Visibility == PsaNoteVisibility.External ? PublishAll : InternalPublish(note),
        };
        var author = note.MemberId is null ? null : ParseId(note.MemberId, "resource").ToString(System.Globalization.CultureInfo.InvariantCulture);
        var op = Op($"add a note to ticket {id}", "Tickets (add notes)", write: true);
        var created = await CallAsync(op, api => api.CreateTicketNoteAsync(id, body, author, cancellationToken), cancellationToken);
        var noteId = created.ItemId ?? throw AutotaskErrors.EmptyAnswer(op, "the new note's id");
        // Not read back, as a new ticket is not: the note is what was sent, under the id Autotask gave it.
        var now = _time.GetUtcNow();
        return new(noteId.ToString(System.Globalization.CultureInfo.InvariantCulture), id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            note.Text, note.Visibility, note.MemberId, null, now, now);
    }

    public async IAsyncEnumerable<IReadOnlyList<PsaNote>> ReadNotesAsync(
        IReadOnlyList<string> ticketIds, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticketIds);
        // One query per 500 tickets (the most conditions a query is documented to take), each paged at 500 notes.
        foreach (var chunk in ticketIds.Select(t => ParseId(t, "ticket")).Distinct().Chunk(500))
        {
            await foreach (var page in QueryPagesAsync(TicketNotes, AutotaskFilter.In("ticketID", chunk), Op($"read the notes of {chunk.Length} tickets", "Tickets"), cancellationToken))
            {
                yield return page.Select(ToNote).ToList();
            }
        }
    }

    public async Task AttachConfigurationAsync(string ticketId, string configurationId, CancellationToken cancellationToken)
    {
        var id = ParseId(ticketId, "ticket");
        var changes = new JsonObject { ["id"] = id, ["configurationItemID"] = ParseId(configurationId, "configuration item") };
        // One configuration item per ticket: setting it again is not an error.
        await CallAsync(Op($"attach configuration item {configurationId} to ticket {id}", "Tickets (edit)", write: true),
            api => api.PatchAsync(Tickets, changes, cancellationToken), cancellationToken);
    }

    public async Task<IReadOnlyList<PsaNoteSettingChoices>> ReadNoteSettingsAsync(CancellationToken cancellationToken)
    {
        var fields = await FieldsAsync(TicketNotes, cancellationToken);
        // A portal comment stays internal: "All Autotask Users" would show it to the customer, so it is never offered.
        var publish = ActiveValues(fields, AutotaskProduct.NotePublish).Where(v => v.Value.Value != PublishAllText).Select(v => v.Value).ToList();
        var types = ActiveValues(fields, AutotaskProduct.NoteType).Select(v => v.Value).ToList();
        var internalDefault = publish.FirstOrDefault(v => v.Value == PublishInternalText) ?? publish.FirstOrDefault();
        return
        [
            new(AutotaskProduct.NotePublish, publish.Select(Choice).ToList(), internalDefault?.Value),
            new(AutotaskProduct.NoteType, types.Select(Choice).ToList(), DefaultNoteType(types)?.Value),
        ];

        static PsaChoice Choice(Dtos.AtPicklistValue v) => new(v.Value!, v.Label ?? v.Value!);
    }

    /// <summary>The note type EasyConnect writes when none is chosen: the tenant's default active value of TicketNotes.noteType.</summary>
    private async Task<string> NoteTypeAsync(CancellationToken cancellationToken)
    {
        if (_noteType is { } known)
        {
            return known;
        }

        var values = ActiveValues(await FieldsAsync(TicketNotes, cancellationToken), AutotaskProduct.NoteType).Select(v => v.Value).ToList();
        var chosen = DefaultNoteType(values)
            ?? throw new PsaException(RemoteErrorKind.ValidationFailed, "Autotask offers no active note type for ticket notes.", AutotaskProduct.NoteType);
        return _noteType = chosen.Value!;
    }

    private static Dtos.AtPicklistValue? DefaultNoteType(IReadOnlyList<Dtos.AtPicklistValue> active) =>
        active.FirstOrDefault(v => v.IsDefaultValue == true) ?? active.FirstOrDefault();

    private static string? Chosen(PsaNoteCreate note, string key) =>
        note.Settings is { } settings && settings.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    // The publish level chosen in Advanced Settings, never "All Autotask Users" for an internal note.
    private static long InternalPublish(PsaNoteCreate note) =>
        Chosen(note, AutotaskProduct.NotePublish) is { } chosen && chosen != PublishAllText ? ParseId(chosen, "publish level") : PublishInternal;

    private static string TitleOf(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        line = line.Length == 0 ? "Note" : line;
        return line.Length <= NoteTitleLength ? line : line[..(NoteTitleLength - 1)] + "…";
    }

    private static void AddPicklist(JsonObject body, string field, string? value)
    {
        if (value is not null)
        {
            body[field] = ParseId(value, field);
        }
    }

    private static JsonObject Copy(JsonObject body, long id)
    {
        var copy = (JsonObject)body.DeepClone();
        copy["id"] = id;
        return copy;
    }

    public async Task<IReadOnlyList<PsaCheckItem>> TestConnectionAsync(IProgress<PsaCheckItem>? progress, CancellationToken cancellationToken)
    {
        const string zone = "Find the Autotask zone", signIn = "Authentication";
        var reads = new (string Name, string Entity, string Permission)[]
        {
            ("Tickets: read", Tickets, "Tickets"),
            ("Ticket notes: read", TicketNotes, "Tickets"),
            ("Companies: read", Companies, "Companies"),
            ("Configuration items: read", ConfigurationItems, "Configuration Items"),
            ("Resources: read", Resources, "Resources"),
            // The mirror removes tickets deleted in Autotask through this log.
            ("Deleted ticket logs: read", DeletedTicketLogs, "Deleted Ticket Logs"),
        };
        const string ticketFields = "Ticket queues, statuses and priorities", noteFields = "Ticket note types";
        var checks = new PsaCheckList(progress, [zone, signIn, .. reads.Select(r => r.Name), ticketFields, noteFields], cancellationToken);
        checks.Start(zone);
        try
        {
            // Looked up afresh: the database it names is the instance Connect compares and stores.
            var found = await ZoneAsync(cancellationToken, fresh: true);
            checks.Done(new(zone, true, $"Found the API user's {found.Instance.DisplayName} at {found.Base.Authority}."));
        }
        catch (PsaException e) when (!cancellationToken.IsCancellationRequested)
        {
            checks.Done(new(zone, false, e.Message));
            return checks.Items;
        }

        checks.Start(signIn);
        try
        {
            await CallAsync(Op("sign in", ""), api => Boxed(api.GetThresholdInformationAsync(cancellationToken)), cancellationToken);
            checks.Done(new(signIn, true, "Autotask accepted the user name, the secret and the integration code."));
        }
        catch (PsaException e) when (!cancellationToken.IsCancellationRequested)
        {
            checks.Done(new(signIn, false, e.Message));
            return checks.Items;
        }

        foreach (var (name, entity, permission) in reads)
        {
            await checks.CheckAsync(name, async () =>
            {
                var op = Op($"read {entity}", permission);
                var page = await CallAsync(op, api => api.QueryAsync(entity, AutotaskQuery.Of(AutotaskFilter.Gte("id", 0), 1, ["id"]), cancellationToken), cancellationToken);
                _ = page.Items ?? throw AutotaskErrors.EmptyAnswer(op, "its items");
                return "Allowed.";
            });
        }

        await checks.CheckAsync(ticketFields, async () =>
        {
            var fields = await FieldsAsync(Tickets, cancellationToken);
            var empty = new[] { ("queueID", "queues"), ("status", "statuses"), ("priority", "priorities") }
                .Where(f => ActiveValues(fields, f.Item1).Count == 0).Select(f => f.Item2).ToList();
            return empty.Count == 0 ? "Read." : throw new PsaException(RemoteErrorKind.PermissionMissing, $"Autotask offers no active ticket {string.Join(", ", empty)}.");
        });
        await checks.CheckAsync(noteFields, async () =>
        {
            var fields = await FieldsAsync(TicketNotes, cancellationToken);
            return ActiveValues(fields, "noteType").Count > 0 ? "Read." : throw new PsaException(RemoteErrorKind.PermissionMissing, "Autotask offers no active note type.");
        });
        return checks.Items;
    }

    private static async Task<object> Boxed(Task<JsonElement> call) => await call;
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa.Halo.Dtos;
using static EasyConnect.Sync.Http.LenientJsonElement;
using static EasyConnect.Sync.Psa.Halo.HaloRecords;

namespace EasyConnect.Sync.Psa.Halo;

/// <summary>Tickets, their actions and the connection test.</summary>
internal sealed partial class HaloClient
{
    public async Task<PsaTicket?> GetTicketAsync(string ticketId, CancellationToken cancellationToken)
    {
        var raw = await TicketRawAsync(ParseId(ticketId, "ticket"), cancellationToken);
        return raw is { } ticket ? ToTicket(ticket) : null;
    }

    private async Task<JsonElement?> TicketRawAsync(long id, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await CallAsync(Op($"read ticket {id}", "Tickets: read"), api => api.GetTicketAsync(id, "true", cancellationToken), cancellationToken);
            // A deleted ticket can still be read by id, flagged deleted.
            return Single(answer) is { } ticket && Bool(ticket, "deleted") != true ? ticket : null;
        }
        catch (PsaException e) when (e.Kind == RemoteErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// The portal ticket id is kept in the ticket's <c>client_reference</c> (the customer's own reference for the ticket), which the
    /// list filters by (<c>client_ref</c>). Only an exact match counts, however loosely an instance matches.
    /// </summary>
    public async Task<PsaTicket?> FindTicketByExternalReferenceAsync(string externalReference, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(externalReference);
        var op = Op("search tickets", "Tickets: read");
        var query = new HaloListQuery { Paginate = "true", PageSize = _options.PageSize, PageNo = 1, Order = "id", OrderDesc = "false", ClientReference = externalReference };
        var answer = await CallAsync(op, api => api.GetTicketsAsync(query, cancellationToken), cancellationToken);
        var rows = Rows(answer, "tickets") ?? throw HaloErrors.EmptyAnswer(op, "its tickets");
        var match = rows.FirstOrDefault(r => string.Equals(Text(r, "client_reference")?.Trim(), externalReference, StringComparison.Ordinal) && Bool(r, "deleted") != true);
        if (match.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return HasDetails(match) ? ToTicket(match) : await GetTicketAsync(IdOf(match), cancellationToken) ?? ToTicket(match);
    }

    public async Task<PsaTicket> CreateTicketAsync(PsaTicketCreate ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var body = new JsonObject
        {
            ["summary"] = ticket.Summary,
            ["details_html"] = HaloText.ToHtml(ticket.Description),
            // Halo names a ticket's team; EasyConnect's board id for Halo is the team's name.
            ["team"] = ticket.BoardId,
            ["client_reference"] = ticket.ExternalReference,
        };
        if (ticket.CompanyId is not null)
        {
            body["client_id"] = ParseId(ticket.CompanyId, "client");
        }

        if (ticket.StatusId is not null)
        {
            body["status_id"] = ParseId(ticket.StatusId, "status");
        }

        if (ticket.PriorityId is not null)
        {
            body["priority_id"] = PriorityWithinSla(ticket.PriorityId);
        }

        long? asset = ticket.ConfigurationId is null ? null : ParseId(ticket.ConfigurationId, "asset");
        if (asset is not null)
        {
            // The create takes the ticket's assets, so the asset needs no read and update of its own afterwards.
            body["assets"] = new JsonArray(new JsonObject { ["id"] = asset });
        }

        var op = Op("create a ticket", "Tickets: edit", write: true);
        JsonElement answer;
        try
        {
            answer = await CallAsync(op, api => api.PostTicketsAsync([body.DeepClone()], cancellationToken), cancellationToken);
        }
        catch (PsaException e) when (e.Kind == RemoteErrorKind.ValidationFailed)
        {
            // The values sent let the admin see which mapping or setting is wrong.
            throw new PsaException(e.Kind, $"{e.Message} (sent team \"{ticket.BoardId}\", client {body["client_id"]?.ToJsonString() ?? "none"}, " +
                $"status {body["status_id"]?.ToJsonString() ?? "default"}, priority {body["priority_id"]?.ToJsonString() ?? "default"}" +
                (asset is null ? ")" : $", asset {asset})"), e.Field, e.StatusCode, e);
        }

        if (Single(answer) is { } created && Text(created, "id") is { } id && id != "0")
        {
            if (HasDetails(created))
            {
                return Carrying(ToTicket(created), created, asset);
            }

            // The ticket exists either way: a failed read-back must not have it created again.
            try
            {
                if (await TicketRawAsync(long.Parse(id, CultureInfo.InvariantCulture), cancellationToken) is { } read)
                {
                    return Carrying(ToTicket(read), read, asset);
                }
            }
            catch (PsaException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            // Halo accepted the create with the asset in it, so the ticket holds it.
            var copy = (JsonObject)body.DeepClone();
            copy["id"] = long.Parse(id, CultureInfo.InvariantCulture);
            return ToTicket(JsonSerializer.SerializeToElement(copy)) with
            {
                LastModified = _time.GetUtcNow(), CreatedAt = _time.GetUtcNow(), ConfigurationId = ticket.ConfigurationId,
            };
        }

        // An answer without the new ticket: look it up by the reference it was created with (the engine then attaches the asset itself).
        return await FindTicketByExternalReferenceAsync(ticket.ExternalReference, cancellationToken) ?? throw HaloErrors.EmptyAnswer(op, "the new ticket");
    }

    /// <summary>The created ticket, saying it holds the asset sent with the create when its record lists it, so the engine skips the attach.</summary>
    private static PsaTicket Carrying(PsaTicket ticket, JsonElement raw, long? asset) =>
        asset is { } wanted && Property(raw, "assets") is { ValueKind: JsonValueKind.Array } assets && assets.EnumerateArray().Any(a => Long(a, "id") == wanted)
            ? ticket with { ConfigurationId = wanted.ToString(CultureInfo.InvariantCulture) }
            : ticket;

    public async Task<PsaTicket> UpdateTicketAsync(string ticketId, PsaTicketUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var id = ParseId(ticketId, "ticket");
        var changes = new JsonObject { ["id"] = id };
        if (update.Summary is not null)
        {
            changes["summary"] = update.Summary;
        }

        if (update.Description is not null)
        {
            // The description is a field of the ticket: writing the same text twice changes nothing.
            changes["details_html"] = HaloText.ToHtml(update.Description);
        }

        if (update.StatusId is not null)
        {
            changes["status_id"] = ParseId(update.StatusId, "status");
        }

        if (update.PriorityId is not null)
        {
            changes["priority_id"] = PriorityWithinSla(update.PriorityId);
        }

        if (update.CompanyId is not null)
        {
            var client = ParseId(update.CompanyId, "client");
            changes["client_id"] = client;
            // A ticket's assets must be its client's: Halo refuses a move to another client while the ticket holds the old client's, so
            // they go with it (the new client's asset is attached after). Asked only when a ClusterID changed, which is rare.
            if (await TicketRawAsync(id, cancellationToken) is { } current && Long(current, "client_id") is { } before && before != client)
            {
                changes["assets"] = new JsonArray();
            }
        }

        if (update.BoardId is not null)
        {
            changes["team"] = update.BoardId;
        }

        if (changes.Count > 1)
        {
            var answer = await CallAsync(Op($"update ticket {id}", "Tickets: edit", write: true), api => api.PostTicketsAsync([changes], cancellationToken), cancellationToken);
            if (Single(answer) is { } updated && Text(updated, "id") == id.ToString(CultureInfo.InvariantCulture) && HasDetails(updated))
            {
                return ToTicket(updated);
            }
        }

        return await GetTicketAsync(ticketId, cancellationToken)
            ?? throw new PsaException(RemoteErrorKind.NotFound, $"HaloPSA has no ticket {id}.", statusCode: 404);
    }

    /// <summary>
    /// The ticket's details (the description) and its actions, system actions left out. Actions by the API agent are left out too,
    /// except the private notes EasyConnect writes (the connection's outcome), which the ticket sync must find again after a lost answer.
    /// </summary>
    public async Task<PsaConversation> ReadConversationAsync(string ticketId, CancellationToken cancellationToken)
    {
        var id = ParseId(ticketId, "ticket");
        var raw = await TicketRawAsync(id, cancellationToken) ?? throw new PsaException(RemoteErrorKind.NotFound, $"HaloPSA has no ticket {id}.", statusCode: 404);
        var ticket = ToTicket(raw);
        var op = Op($"read the actions of ticket {id}", "Tickets: read");
        var answer = await CallAsync(op, api => api.GetActionsAsync(new HaloActionQuery { TicketId = id }, cancellationToken), cancellationToken);
        var actions = (Rows(answer, "actions") ?? throw HaloErrors.EmptyAnswer(op, "its actions")).Where(a => a.ValueKind == JsonValueKind.Object).ToList();
        var notes = new List<PsaNote>();
        string? apiAgent = null;
        foreach (var action in actions)
        {
            if (Bool(action, "hiddenfromuser") == true && !Ours(action) && NonZeroText(action, "who_agentid") is { } agent)
            {
                apiAgent ??= await ApiAgentAsync(cancellationToken);
                if (agent == apiAgent)
                {
                    continue;
                }
            }

            var note = ToNote(action, ticketId);
            if (note.Text.Length > 0 || Ours(action))
            {
                notes.Add(note);
            }
        }

        var ordered = notes.OrderBy(n => n.CreatedAt).ThenBy(n => n.Id.Length).ThenBy(n => n.Id, StringComparer.Ordinal).ToList();
        var description = string.IsNullOrEmpty(ticket.Description) ? null : new PsaDescription(ticket.Description, ticket.LastModified);
        return new(description, ordered);
    }

    private bool Ours(JsonElement action) => string.Equals(Text(action, "outcome")?.Trim(), _credentials.NoteOutcome, StringComparison.OrdinalIgnoreCase);

    private static string? NonZeroText(JsonElement e, string name) => Text(e, name) is { Length: > 0 } t && t != "0" ? t : null;

    /// <summary>The agent the API application runs as, asked once per connection.</summary>
    private async Task<string> ApiAgentAsync(CancellationToken cancellationToken)
    {
        if (_tokens.ApiAgentId is { } known)
        {
            return known;
        }

        var op = Op("read the agent the API application runs as", "Agents: read");
        var me = await CallAsync(op, api => api.GetMeAsync(cancellationToken), cancellationToken);
        return _tokens.ApiAgentId = Text(me, "id") ?? throw HaloErrors.EmptyAnswer(op, "the agent's id");
    }

    /// <summary>
    /// A portal comment becomes a private action (<c>hiddenfromuser</c>) with the connection's outcome; Halo e-mails no one
    /// (<c>sendemail: false</c>). Written as the mapped agent when there is one.
    /// </summary>
    public async Task<PsaNote> CreateNoteAsync(string ticketId, PsaNoteCreate note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(note);
        var id = ParseId(ticketId, "ticket");
        var action = new HaloActionWrite
        {
            TicketId = id,
            NoteHtml = HaloText.ToHtml(note.Text),
            Outcome = _credentials.NoteOutcome,
            HiddenFromUser = note.Visibility == PsaNoteVisibility.Internal,
            SendEmail = false,
            WhoAgentId = note.MemberId is null ? null : ParseId(note.MemberId, "agent"),
        };
        var op = Op($"add an action to ticket {id}", "Tickets: edit", write: true);
        var answer = await CallAsync(op, api => api.PostActionsAsync([action], cancellationToken), cancellationToken);
        if (Single(answer) is { } created && Text(created, "id") is { } actionId && actionId != "0")
        {
            var read = ToNote(created, ticketId);
            // Halo's answer may leave out what was sent: the note is what EasyConnect wrote.
            return read with
            {
                Text = read.Text.Length == 0 ? HaloText.Normalise(note.Text) : read.Text,
                Visibility = note.Visibility,
                MemberId = read.MemberId ?? note.MemberId,
                CreatedAt = read.CreatedAt == NoStamp ? _time.GetUtcNow() : read.CreatedAt,
                LastModified = read.LastModified == NoStamp ? _time.GetUtcNow() : read.LastModified,
            };
        }

        throw HaloErrors.EmptyAnswer(op, "the new action's id");
    }

    /// <summary>Adds the asset to the ticket's assets, keeping those it has; an asset already there changes nothing.</summary>
    public async Task AttachConfigurationAsync(string ticketId, string configurationId, CancellationToken cancellationToken)
    {
        var id = ParseId(ticketId, "ticket");
        var asset = ParseId(configurationId, "asset");
        var raw = await TicketRawAsync(id, cancellationToken) ?? throw new PsaException(RemoteErrorKind.NotFound, $"HaloPSA has no ticket {id}.", statusCode: 404);
        var assets = Property(raw, "assets") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Select(a => Long(a, "id")).OfType<long>().Where(a => a > 0).ToList()
            : [];
        if (assets.Contains(asset))
        {
            return;
        }

        var changes = new JsonObject
        {
            ["id"] = id,
            ["assets"] = new JsonArray([.. assets.Append(asset).Select(a => (JsonNode)new JsonObject { ["id"] = a })]),
        };
        await CallAsync(Op($"attach asset {asset} to ticket {id}", "Tickets: edit", write: true), api => api.PostTicketsAsync([changes], cancellationToken), cancellationToken);
    }

    private static bool HasDetails(JsonElement ticket) => Property(ticket, "details") is not null || Property(ticket, "details_html") is not null;

    public async Task<IReadOnlyList<PsaCheckItem>> TestConnectionAsync(IProgress<PsaCheckItem>? progress, CancellationToken cancellationToken)
    {
        const string signIn = "Authentication", agent = "The agent the API application runs as", write = "Tickets: create and edit",
            tickets = "Tickets: read", actions = "Actions: read";
        var reads = new (string Name, PsaEntity Entity)[] { ("Agents: read", PsaEntity.Members), ("Clients: read", PsaEntity.Companies), ("Assets: read", PsaEntity.Configurations) };
        // Each list the maps are made of is its own endpoint and its own check, so a refused or empty one is named.
        var lists = new (string Name, PsaEntity Entity, string Noun)[]
        {
            ("Teams: read", PsaEntity.Boards, "teams"), ("Statuses: read", PsaEntity.Statuses, "statuses"), ("Priorities: read", PsaEntity.Priorities, "priorities"),
        };
        // A client's SLA is its main site's: without sites every client's tickets take the default SLA's priority map.
        const string sites = "Sites: read (each client's SLA)";
        var checks = new PsaCheckList(progress, [signIn, agent, write, tickets, actions, .. reads.Select(r => r.Name), sites, .. lists.Select(l => l.Name)], cancellationToken);
        HaloAccessToken token;
        checks.Start(signIn);
        try
        {
            token = await _tokens.GetAsync(_tokenHttp, null, cancellationToken);
            checks.Done(new(signIn, true, $"HaloPSA's auth server issued a token to the client ID {_credentials.ClientId}."));
        }
        catch (PsaException e) when (!cancellationToken.IsCancellationRequested)
        {
            checks.Done(new(signIn, false, e.Message));
            return checks.Items;
        }

        await checks.CheckAsync(agent, async () =>
        {
            var op = Op("read the agent the API application runs as", "Agents: read");
            var me = await CallAsync(op, api => api.GetMeAsync(cancellationToken), cancellationToken);
            _tokens.ApiAgentId = Text(me, "id") ?? throw HaloErrors.EmptyAnswer(op, "the agent's id");
            return $"Runs as {Text(me, "name") ?? "agent " + _tokens.ApiAgentId}.";
        });
        await checks.CheckAsync(write, () => Task.FromResult(WriteScope(token.Scope)));
        string? firstTicket = null;
        await checks.CheckAsync(tickets, async () =>
        {
            var op = Op("read tickets", "Tickets: read");
            var answer = await CallAsync(op, api => api.GetTicketsAsync(new HaloListQuery { Paginate = "true", PageSize = 1, PageNo = 1, Order = "id", OrderDesc = "true" }, cancellationToken), cancellationToken);
            var rows = Rows(answer, "tickets") ?? throw HaloErrors.EmptyAnswer(op, "its tickets");
            firstTicket = rows.Count > 0 ? Text(rows[0], "id") : null;
            return "Allowed.";
        });
        await checks.CheckAsync(actions, async () =>
        {
            if (firstTicket is null || !long.TryParse(firstTicket, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticket))
            {
                return "No ticket to read the actions of yet; checked on the first sync.";
            }

            var op = Op($"read the actions of ticket {ticket}", "Tickets: read");
            var answer = await CallAsync(op, api => api.GetActionsAsync(new HaloActionQuery { TicketId = ticket, Count = 1 }, cancellationToken), cancellationToken);
            _ = Rows(answer, "actions") ?? throw HaloErrors.EmptyAnswer(op, "its actions");
            return "Allowed.";
        });
        foreach (var (name, entity) in reads)
        {
            await checks.CheckAsync(name, async () =>
            {
                await CountOrWholeAsync(entity, cancellationToken);
                return "Allowed.";
            });
        }

        await checks.CheckAsync(sites, async () =>
        {
            await PageAsync(SiteSource, 1, 1, descending: false, after: null, cancellationToken);
            return "Allowed.";
        });
        foreach (var (name, entity, noun) in lists)
        {
            await checks.CheckAsync(name, async () =>
            {
                var count = (await WholeAsync(entity, cancellationToken)).Count;
                return count > 0 ? $"Read {count} {noun}." : throw new PsaException(RemoteErrorKind.PermissionMissing, $"HaloPSA offers the API application no {noun}.");
            });
        }

        return checks.Items;
    }

    private async Task CountOrWholeAsync(PsaEntity entity, CancellationToken cancellationToken)
    {
        if (Paged(entity) is { } paged)
        {
            var answer = await CallAsync(paged.Op, api => paged.Get(api, Query(paged, 1, 1, descending: true, null), cancellationToken), cancellationToken);
            _ = Rows(answer, paged.Rows) ?? throw HaloErrors.EmptyAnswer(paged.Op, $"its {paged.Rows}");
        }
        else
        {
            await WholeAsync(entity, cancellationToken);
        }
    }

    /// <summary>Whether the token's scopes let EasyConnect create tickets and add actions; reads are checked by reading.</summary>
    private static string WriteScope(string? scope)
    {
        if (string.IsNullOrWhiteSpace(scope))
        {
            return "HaloPSA did not name the token's scopes; creating tickets is checked by the first sync.";
        }

        var scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return scopes.Contains("all", StringComparer.OrdinalIgnoreCase) || scopes.Contains("edit:tickets", StringComparer.OrdinalIgnoreCase)
            ? "Allowed."
            : throw new PsaException(RemoteErrorKind.PermissionMissing,
                $"The API application's token has the scopes \"{scope}\"; EasyConnect needs \"edit:tickets\" (or \"all\") to create tickets and add actions.");
    }
}

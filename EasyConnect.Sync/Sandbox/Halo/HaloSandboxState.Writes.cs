using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.Halo;

/// <summary>Halo's writes: a POSTed ticket or action without an id is created, one with an id is updated.</summary>
public sealed partial class HaloSandboxState
{
    /// <summary>How Halo marks who wrote an action (<c>who_type</c>): the system, an agent or an end user.</summary>
    public const int WhoSystem = 0, WhoAgent = 1, WhoUser = 2;

    /// <summary>The longest summary the sandbox accepts, as EasyConnect's Halo description sizes it.</summary>
    public const int SummaryLimit = 255;

    // Fields Halo works out itself: a POST cannot set them.
    private static readonly HashSet<string> TicketReadOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "datecreated", "last_update", "lastactiondate", "client_name", "site_name", "status_name", "priority_name", "sla_name", "agent_name",
    };

    /// <summary>Creates (no id) or updates (an id) one ticket as <paramref name="agentId"/>; answers the ticket as stored.</summary>
    internal JsonObject UpsertTicket(JsonObject body, long agentId)
    {
        lock (_gate)
        {
            return Long(body["id"]) is > 0 and var id ? UpdateTicket(id, body, agentId) : CreateTicket(body);
        }
    }

    /// <summary>Creates (no id) or updates (an id) one action as <paramref name="agentId"/>; answers the action as stored.</summary>
    internal JsonObject UpsertAction(JsonObject body, long agentId)
    {
        lock (_gate)
        {
            return Long(body["id"]) is > 0 and var id ? UpdateAction(id, body) : CreateAction(body, agentId, WhoAgent);
        }
    }

    private JsonObject CreateTicket(JsonObject body)
    {
        var ticket = new JsonObject(NodeOptions);
        foreach (var (key, value) in body)
        {
            if (!TicketReadOnly.Contains(key))
            {
                ticket[key] = value?.DeepClone();
            }
        }

        if (string.IsNullOrWhiteSpace(Text(ticket["summary"])))
        {
            throw new HaloSandboxError(400, "A summary is required.");
        }

        var now = Stamp();
        ticket["status_id"] ??= FirstStatusId();
        ticket["priority_id"] ??= DefaultPriorityId;
        ticket["team"] ??= DefaultTeam;
        ticket["tickettype_id"] ??= 1;
        ticket["agent_id"] ??= 0;
        ticket["dateoccurred"] ??= Iso(now);
        ticket["deleted"] = false;
        ticket["datecreated"] = Iso(now);
        ticket["lastactiondate"] = Iso(now);
        Resolve(ticket, body, clientChanged: true);
        var id = Insert(Tickets, ticket, now, Options.ReadAfterWriteLag);
        return Copy(Existing(Tickets, id));
    }

    private JsonObject UpdateTicket(long id, JsonObject body, long agentId)
    {
        var stored = Existing(Tickets, id);
        if (Bool(stored["deleted"]) == true)
        {
            throw new HaloSandboxError(404, $"Ticket {id} was not found.");
        }

        var ticket = Copy(stored);
        foreach (var (key, value) in body)
        {
            if (!TicketReadOnly.Contains(key))
            {
                ticket[key] = value?.DeepClone();
            }
        }

        if (body.ContainsKey("summary") && string.IsNullOrWhiteSpace(Text(ticket["summary"])))
        {
            throw new HaloSandboxError(400, "A summary is required.");
        }

        var clientChanged = body.ContainsKey("client_id") && Long(body["client_id"]) != Long(stored["client_id"]);
        Resolve(ticket, body, clientChanged);
        var now = Stamp();
        var oldStatus = Long(stored["status_id"]);
        foreach (var (key, value) in ticket)
        {
            stored[key] = value?.DeepClone();
        }

        Touch(Tickets, stored, now);

        // Halo logs a status change on the ticket as a system action.
        if (Long(stored["status_id"]) is { } newStatus && newStatus != oldStatus)
        {
            LogSystemAction(id, $"Status changed from {StatusName(oldStatus)} to {StatusName(newStatus)}", now, agentId);
        }

        return Copy(stored);
    }

    // Checks and completes the references of a ticket: client, site, SLA, priority within the SLA, status, team, agent and assets.
    private void Resolve(JsonObject ticket, JsonObject body, bool clientChanged)
    {
        var summary = Text(ticket["summary"]) ?? "";
        if (summary.Length > SummaryLimit)
        {
            throw new HaloSandboxError(400, $"The summary is longer than {SummaryLimit} characters.");
        }

        var clientId = Long(ticket["client_id"]) ?? throw new HaloSandboxError(400, "A client_id is required.");
        var client = Table(Clients).TryGetValue(clientId, out var c) ? c.Node : throw new HaloSandboxError(400, $"Client {clientId} does not exist.");
        if (clientChanged && !body.ContainsKey("site_id"))
        {
            ticket["site_id"] = Long(client["main_site_id"]);
        }

        var siteId = Long(ticket["site_id"]) ?? Long(client["main_site_id"])!.Value;
        if (!Table(Sites).TryGetValue(siteId, out var site) || Long(site.Node["client_id"]) != clientId)
        {
            throw new HaloSandboxError(400, $"Site {siteId} does not belong to client {clientId}.");
        }

        ticket["site_id"] = siteId;
        if ((clientChanged || ticket["sla_id"] is null) && !body.ContainsKey("sla_id"))
        {
            ticket["sla_id"] = Long(site.Node["sla_id"]);
        }

        var slaId = Long(ticket["sla_id"]) ?? 0;
        if (!Table(Slas).ContainsKey(slaId))
        {
            throw new HaloSandboxError(400, $"SLA {slaId} does not exist.");
        }

        var priorityId = Long(ticket["priority_id"]);
        if (PolicyOf(slaId, priorityId) is null)
        {
            throw new HaloSandboxError(400, $"Priority {priorityId} is not a priority of SLA {slaId}.");
        }

        var statusId = Long(ticket["status_id"]) ?? 0;
        if (!Table(Statuses).ContainsKey(statusId))
        {
            throw new HaloSandboxError(400, $"Status {statusId} does not exist.");
        }

        var teamName = Text(ticket["team"]) ?? "";
        var team = Table(Teams).Values.Select(t => t.Node).FirstOrDefault(t => string.Equals(Text(t["name"]), teamName, StringComparison.OrdinalIgnoreCase))
            ?? throw new HaloSandboxError(400, $"Team \"{teamName}\" does not exist.");
        ticket["team"] = Text(team["name"]);

        var agentId = Long(ticket["agent_id"]) ?? 0;
        if (agentId != 0 && (!Table(Agents).TryGetValue(agentId, out var agent) || Bool(agent.Node["isdisabled"]) == true))
        {
            throw new HaloSandboxError(400, $"Agent {agentId} does not exist or is disabled.");
        }

        if (ticket["assets"] is JsonArray assets)
        {
            var linked = new JsonArray();
            foreach (var assetId in assets.Select(a => a is JsonObject o ? Long(o["id"]) : Long(a)))
            {
                if (assetId is not { } aid || !Table(Assets).TryGetValue(aid, out var asset))
                {
                    throw new HaloSandboxError(400, $"Asset {assetId} does not exist.");
                }

                if (Long(asset.Node["client_id"]) != clientId)
                {
                    throw new HaloSandboxError(400, $"Asset {aid} belongs to another client.");
                }

                linked.Add(new JsonObject
                {
                    ["id"] = aid,
                    ["inventory_number"] = asset.Node["inventory_number"]?.DeepClone(),
                    ["key_field"] = asset.Node["key_field"]?.DeepClone(),
                    ["client_id"] = clientId,
                    ["site_id"] = asset.Node["site_id"]?.DeepClone(),
                    ["assettype_id"] = asset.Node["assettype_id"]?.DeepClone(),
                    ["assettype_name"] = asset.Node["assettype_name"]?.DeepClone(),
                    ["inactive"] = asset.Node["inactive"]?.DeepClone(),
                });
            }

            ticket["assets"] = linked;
        }
        else
        {
            ticket["assets"] = new JsonArray();
        }

        // Halo keeps both forms of the details: HTML from its editor and the text of it.
        if (body.ContainsKey("details_html") && Text(body["details_html"]) is { } html)
        {
            ticket["details_html"] = html;
            ticket["details"] = html;
        }
        else if (body.ContainsKey("details") && Text(body["details"]) is { } details)
        {
            ticket["details_html"] = details.Contains('<', StringComparison.Ordinal) ? details : HaloSandboxHtml.FromText(details);
        }
    }

    private JsonObject CreateAction(JsonObject body, long agentId, int whoType)
    {
        var ticketId = Long(body["ticket_id"]) ?? throw new HaloSandboxError(400, "A ticket_id is required.");
        if (!Table(Tickets).TryGetValue(ticketId, out var t) || Bool(t.Node["deleted"]) == true)
        {
            throw new HaloSandboxError(400, $"Ticket {ticketId} does not exist.");
        }

        var outcome = OutcomeOf(body) ?? throw new HaloSandboxError(400, "An outcome or outcome_id is required.");
        if (body["who_agentid"] is { } who && Long(who) is > 0 and var whoId)
        {
            agentId = whoId;
        }

        if (whoType == WhoAgent && (!Table(Agents).TryGetValue(agentId, out var author) || Bool(author.Node["isdisabled"]) == true))
        {
            throw new HaloSandboxError(400, $"Agent {agentId} does not exist or is disabled.");
        }

        var action = new JsonObject(NodeOptions);
        foreach (var (key, value) in body)
        {
            if (key is not ("id" or "datetime" or "actiondatecreated" or "last_updated"))
            {
                action[key] = value?.DeepClone();
            }
        }

        SetNote(action, body, required: true);
        var now = Stamp();
        action["ticket_id"] = ticketId;
        action["outcome"] = Text(outcome["name"]);
        action["outcome_id"] = Long(outcome["id"]);
        action["hiddenfromuser"] = Bool(body["hiddenfromuser"]) ?? Bool(outcome["defaulthidden"]) ?? false;
        action["sendemail"] = Bool(body["sendemail"]) ?? false;
        action["important"] = Bool(body["important"]) ?? false;
        action["datetime"] = Iso(now);
        action["actiondatecreated"] = Iso(now);
        action["who_type"] = whoType;
        action["who_agentid"] = whoType == WhoAgent ? agentId : 0;
        action["actionby_agent_id"] = whoType == WhoAgent ? agentId : 0;
        action["who"] = whoType == WhoAgent ? Text(Table(Agents)[agentId].Node["name"]) : Text(body["who"]) ?? "System";
        if (body["new_status"] is { } status && Long(status) is { } newStatus)
        {
            if (!Table(Statuses).ContainsKey(newStatus))
            {
                throw new HaloSandboxError(400, $"Status {newStatus} does not exist.");
            }

            t.Node["status_id"] = newStatus;
        }

        var id = Insert(Actions, action, now, Options.ReadAfterWriteLag);
        t.Node["lastactiondate"] = Iso(now);
        Touch(Tickets, t.Node, now);
        if (Bool(action["sendemail"]) == true && Bool(action["hiddenfromuser"]) != true)
        {
            _emails.Add(new HaloSandboxEmail(ticketId, id, Text(action["note"]) ?? "", now));
        }

        return Copy(Existing(Actions, id));
    }

    private JsonObject UpdateAction(long id, JsonObject body)
    {
        var action = Existing(Actions, id);
        if (Long(body["ticket_id"]) is { } ticketId && ticketId != Long(action["ticket_id"]))
        {
            throw new HaloSandboxError(400, $"Action {id} does not belong to ticket {ticketId}.");
        }

        if (body.ContainsKey("outcome") || body.ContainsKey("outcome_id"))
        {
            var outcome = OutcomeOf(body) ?? throw new HaloSandboxError(400, "The outcome does not exist.");
            action["outcome"] = Text(outcome["name"]);
            action["outcome_id"] = Long(outcome["id"]);
        }

        foreach (var field in new[] { "hiddenfromuser", "important" })
        {
            if (Bool(body[field]) is { } flag)
            {
                action[field] = flag;
            }
        }

        SetNote(action, body, required: false);
        var now = Stamp();
        Touch(Actions, action, now);
        Touch(Tickets, Existing(Tickets, Long(action["ticket_id"])!.Value), now);
        return Copy(action);
    }

    // An action's note comes as text (note) or HTML (note_html); Halo keeps both forms.
    private static void SetNote(JsonObject action, JsonObject body, bool required)
    {
        if (Text(body["note_html"]) is { Length: > 0 } html)
        {
            action["note_html"] = html;
            action["note"] = HaloSandboxHtml.ToText(html);
        }
        else if (Text(body["note"]) is { Length: > 0 } note)
        {
            action["note"] = note;
            action["note_html"] = HaloSandboxHtml.FromText(note);
        }
        else if (required)
        {
            throw new HaloSandboxError(400, "A note or note_html is required.");
        }
    }

    private JsonObject? OutcomeOf(JsonObject body)
    {
        var outcomes = Table(Outcomes).Values.Select(o => o.Node);
        if (Long(body["outcome_id"]) is > 0 and var id)
        {
            return outcomes.FirstOrDefault(o => Long(o["id"]) == id) ?? throw new HaloSandboxError(400, $"Outcome {id} does not exist.");
        }

        return Text(body["outcome"]) is { Length: > 0 } name
            ? outcomes.FirstOrDefault(o => string.Equals(Text(o["name"]), name, StringComparison.OrdinalIgnoreCase))
                ?? throw new HaloSandboxError(400, $"Outcome \"{name}\" does not exist.")
            : null;
    }

    private void LogSystemAction(long ticketId, string note, DateTimeOffset at, long agentId)
    {
        var outcome = Table(Outcomes).Values.Select(o => o.Node).First(o => Text(o["name"]) == "Status Change");
        var id = NextId(Actions);
        Table(Actions)[id] = new Stored(new JsonObject(NodeOptions)
        {
            ["id"] = id,
            ["ticket_id"] = ticketId,
            ["outcome"] = Text(outcome["name"]),
            ["outcome_id"] = Long(outcome["id"]),
            ["note"] = note,
            ["note_html"] = HaloSandboxHtml.FromText(note),
            ["hiddenfromuser"] = true,
            ["sendemail"] = false,
            ["important"] = false,
            ["who"] = "System",
            ["who_type"] = WhoSystem,
            ["who_agentid"] = 0,
            ["actionby_agent_id"] = agentId,
            ["datetime"] = Iso(at),
            ["actiondatecreated"] = Iso(at),
            ["last_updated"] = Iso(at),
        }, VisibleFrom(Options.ReadAfterWriteLag));
    }

    private string StatusName(long? id) => id is { } s && Table(Statuses).TryGetValue(s, out var status) ? Text(status.Node["name"]) ?? "" : "";

    private long FirstStatusId() => Table(Statuses).Values.Select(s => s.Node).OrderBy(s => Long(s["sequence"])).Select(s => Long(s["id"])!.Value).First();

    /// <summary>The policy (priority) <paramref name="priorityId"/> of SLA <paramref name="slaId"/>, or null.</summary>
    private JsonObject? PolicyOf(long slaId, long? priorityId) =>
        Table(Priorities).Values.Select(p => p.Node).FirstOrDefault(p => Long(p["slaid"]) == slaId && Long(p["priorityid"]) == priorityId && Bool(p["ishidden"]) != true);
}

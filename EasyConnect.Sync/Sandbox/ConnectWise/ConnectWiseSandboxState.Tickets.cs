using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.ConnectWise;

/// <summary>The sandbox's service tickets and their notes and configurations: ConnectWise's write rules.</summary>
public sealed partial class ConnectWiseSandboxState
{
    private static readonly string[] PatchableTicketFields = ["summary", "externalXRef", "board", "status", "priority", "company"];

    internal SandboxRow CreateTicket(JsonObject body, int? memberId)
    {
        lock (_gate)
        {
            var summary = body["summary"]?.GetValue<string>() is { } sent ? Flatten(sent) : null;
            if (string.IsNullOrWhiteSpace(summary))
            {
                throw ConnectWiseSandboxError.Invalid("ticket", "Required", "The field summary is required.", "summary");
            }

            var ticket = new JsonObject { ["summary"] = summary };
            var board = ResolveBoard(Id(body["board"]) ?? throw ConnectWiseSandboxError.Invalid("ticket", "Required", "The field board is required.", "board"));
            var company = ResolveCompany(Id(body["company"]) ?? throw ConnectWiseSandboxError.Invalid("ticket", "Required", "The field company is required.", "company"));
            var status = Id(body["status"]) is { } statusId ? ResolveStatus(board, statusId) : Statuses.Rows.First(s => s.ParentId == board.Id && Bool(s.Node(), "defaultFlag"));
            var priority = Id(body["priority"]) is { } priorityId ? ResolvePriority(priorityId) : Priorities.Rows.First(p => Bool(p.Node(), "defaultFlag"));
            CheckSummary(summary);

            var id = Tickets.NextId;
            var now = Stamp();
            ticket["id"] = id;
            ticket["recordType"] = "ServiceTicket";
            SetTicketReferences(ticket, board, status, priority, company);
            ticket["externalXRef"] = body["externalXRef"]?.GetValue<string>();
            ticket["closedFlag"] = Bool(status.Node(), "closedStatus");
            ticket["_info"] = Info(now, now, Options.ApiMemberIdentifier);
            var row = Row(id, 0, now, ticket);
            Tickets.Add(row);

            // ConnectWise stores initialDescription as the ticket's first Discussion note and never returns it on the ticket.
            if (body["initialDescription"]?.GetValue<string>() is { Length: > 0 } description)
            {
                AddNoteCore(id, Flatten(description), detail: true, internalAnalysis: false, resolution: false, memberId, now);
            }

            return row;
        }
    }

    internal SandboxRow PatchTicket(int id, JsonArray operations)
    {
        lock (_gate)
        {
            var row = Tickets.Find(id) ?? throw ConnectWiseSandboxError.NotFound($"Service Ticket {id} not found");
            var ticket = row.Node();
            var board = Boards.Find(Id(ticket["board"]) ?? 0)!;
            int? statusId = null;
            foreach (var op in operations)
            {
                var kind = op?["op"]?.GetValue<string>()?.ToLowerInvariant();
                var path = (op?["path"]?.GetValue<string>() ?? "").Trim('/');
                var value = op?["value"];
                if (kind is not ("replace" or "add"))
                {
                    throw ConnectWiseSandboxError.Invalid("ticket", "InvalidField", $"The operation {kind} is not supported on {path}.", path);
                }

                switch (path)
                {
                    case "summary":
                        var summary = Flatten(value?.GetValue<string>() ?? "");
                        if (string.IsNullOrWhiteSpace(summary))
                        {
                            throw ConnectWiseSandboxError.Invalid("ticket", "Required", "The field summary is required.", "summary");
                        }

                        CheckSummary(summary);
                        ticket["summary"] = summary;
                        break;
                    case "externalXRef":
                        ticket["externalXRef"] = value?.GetValue<string>();
                        break;
                    case "board":
                        board = ResolveBoard(Id(value) ?? 0);
                        ticket["board"] = Reference(board, "name");
                        break;
                    case "status":
                        statusId = Id(value) ?? 0;
                        break;
                    case "priority":
                        ticket["priority"] = Reference(ResolvePriority(Id(value) ?? 0), "name");
                        break;
                    case "company":
                        var company = ResolveCompany(Id(value) ?? 0);
                        ticket["company"] = Reference(company, "identifier", "name");
                        break;
                    case var known when PatchableTicketFields.Any(f => known.Equals(f, StringComparison.OrdinalIgnoreCase) || known.StartsWith(f + "/", StringComparison.OrdinalIgnoreCase)):
                        // ConnectWise: PATCH path is case-sensitive, and a path inside a reference ("company/identifier") "may receive a false 200": nothing is applied.
                        break;
                    default:
                        throw ConnectWiseSandboxError.Invalid("ticket", "InvalidField", $"The field {path} cannot be patched in the sandbox.", path);
                }
            }

            // A status must belong to the ticket's board; a board change without a status falls back to the new board's default.
            var currentStatus = Id(ticket["status"]);
            var status = statusId is { } wanted ? ResolveStatus(board, wanted)
                : Statuses.Find(currentStatus ?? 0) is { } kept && kept.ParentId == board.Id ? kept
                : Statuses.Rows.First(s => s.ParentId == board.Id && Bool(s.Node(), "defaultFlag"));
            ticket["status"] = Reference(status, "name");
            ticket["closedFlag"] = Bool(status.Node(), "closedStatus");
            Touch(row, ticket);
            return row;
        }
    }

    internal SandboxRow AddNote(int ticketId, JsonObject body)
    {
        lock (_gate)
        {
            var ticket = Tickets.Find(ticketId) ?? throw ConnectWiseSandboxError.NotFound($"Service Ticket {ticketId} not found");
            var text = body["text"]?.GetValue<string>();
            if (string.IsNullOrEmpty(text))
            {
                throw ConnectWiseSandboxError.Invalid("serviceNote", "Required", "The field text is required.", "text");
            }

            var detail = body["detailDescriptionFlag"]?.GetValue<bool>() ?? false;
            var internalAnalysis = body["internalAnalysisFlag"]?.GetValue<bool>() ?? false;
            var resolution = body["resolutionFlag"]?.GetValue<bool>() ?? false;
            if (!detail && !internalAnalysis && !resolution)
            {
                throw ConnectWiseSandboxError.Invalid("serviceNote", "InvalidField",
                    "At least one of detailDescriptionFlag, internalAnalysisFlag or resolutionFlag must be true.", "detailDescriptionFlag");
            }

            var memberId = Id(body["member"]);
            if (memberId is { } m && Members.Find(m) is null)
            {
                throw ConnectWiseSandboxError.Invalid("serviceNote", "NotFound", $"member {m} not found", "member/id");
            }

            var now = Stamp();
            var note = AddNoteCore(ticketId, Flatten(text), detail, internalAnalysis, resolution, memberId, now);
            var ticketNode = ticket.Node();
            Touch(ticket, ticketNode, now);
            return note;
        }
    }

    /// <summary>Changes a note's text through the API (JSON Patch on <c>text</c>); the ticket's lastUpdated moves with it.</summary>
    internal SandboxRow PatchNote(int ticketId, int noteId, JsonArray operations)
    {
        lock (_gate)
        {
            var ticket = Tickets.Find(ticketId) ?? throw ConnectWiseSandboxError.NotFound($"Service Ticket {ticketId} not found");
            var row = Notes.Find(noteId) is { } n && n.ParentId == ticketId ? n : throw ConnectWiseSandboxError.NotFound($"Service Note {noteId} not found");
            string? text = null;
            var ignored = false;
            foreach (var op in operations)
            {
                var path = (op?["path"]?.GetValue<string>() ?? "").Trim('/');
                if (op?["op"]?.GetValue<string>()?.ToLowerInvariant() is not ("replace" or "add")
                    || !path.Equals("text", StringComparison.OrdinalIgnoreCase))
                {
                    throw ConnectWiseSandboxError.Invalid("serviceNote", "InvalidField", $"Only the text of a note can be patched in the sandbox, not {path}.", path);
                }

                if (path != "text")
                {
                    // ConnectWise: PATCH path is case-sensitive; "Text" is not "text" and changes nothing, with a 200.
                    ignored = true;
                    continue;
                }

                text = op["value"]?.GetValue<string>() is { } sent ? Flatten(sent) : null;
            }

            if (text is null && ignored)
            {
                return row;
            }

            if (string.IsNullOrEmpty(text))
            {
                throw ConnectWiseSandboxError.Invalid("serviceNote", "Required", "The field text is required.", "text");
            }

            return EditNoteCore(ticket, row, text, null);
        }
    }

    /// <summary>A ticket as the sandbox holds it, for tests and demos.</summary>
    public ConnectWiseSandboxTicket? FindTicket(int id)
    {
        lock (_gate)
        {
            return Tickets.Find(id) is { } row ? ToTicket(row) : null;
        }
    }

    /// <summary>The tickets whose externalXRef is <paramref name="externalXRef"/>, in id order.</summary>
    public IReadOnlyList<ConnectWiseSandboxTicket> TicketsWithExternalXRef(string externalXRef)
    {
        lock (_gate)
        {
            return [.. Tickets.Rows.Where(r => r.Node()["externalXRef"]?.GetValue<string>() == externalXRef).Select(ToTicket)];
        }
    }

    /// <summary>Every note of a ticket, in id order.</summary>
    public IReadOnlyList<ConnectWiseSandboxNote> NotesOf(int ticketId)
    {
        lock (_gate)
        {
            return [.. Notes.Rows.Where(r => r.ParentId == ticketId).Select(ToNote)];
        }
    }

    /// <summary>The id of the member with this primary email, or null.</summary>
    public int? MemberIdByEmail(string email)
    {
        lock (_gate)
        {
            return Members.Rows.FirstOrDefault(r => string.Equals(r.Node()["primaryEmail"]?.GetValue<string>(), email, StringComparison.OrdinalIgnoreCase))?.Id;
        }
    }

    /// <summary>Adds a note as a technician working in ConnectWise would (by the API member when <paramref name="memberId"/> is null).</summary>
    public ConnectWiseSandboxNote AddTicketNote(int ticketId, string text, int? memberId = null, bool isInternal = true)
    {
        lock (_gate)
        {
            var body = new JsonObject { ["text"] = text, ["internalAnalysisFlag"] = isInternal, ["detailDescriptionFlag"] = !isInternal };
            if (memberId is { } m)
            {
                body["member"] = new JsonObject { ["id"] = m };
            }

            return ToNote(AsTechnician(memberId, () => AddNote(ticketId, body)));
        }
    }

    /// <summary>Changes a note's text as a technician would, e.g. the description (the ticket's first Discussion note).</summary>
    public ConnectWiseSandboxNote EditNote(int noteId, string text, int? memberId = null)
    {
        lock (_gate)
        {
            var row = Notes.Find(noteId) ?? throw new ArgumentException($"No note {noteId}.", nameof(noteId));
            var ticket = Tickets.Find(row.ParentId)!;
            return ToNote(AsTechnician(memberId, () => EditNoteCore(ticket, row, text, _actor)));
        }
    }

    /// <summary>Changes a ticket's fields as a technician working in ConnectWise would; null leaves a field as it is.</summary>
    public ConnectWiseSandboxTicket ChangeTicket(int ticketId, string? summary = null, int? priorityId = null, int? statusId = null, int? companyId = null)
    {
        var operations = new JsonArray();
        if (summary is not null)
        {
            operations.Add(new JsonObject { ["op"] = "replace", ["path"] = "summary", ["value"] = summary });
        }

        foreach (var (path, value) in new[] { ("priority", priorityId), ("status", statusId), ("company", companyId) })
        {
            if (value is { } id)
            {
                operations.Add(new JsonObject { ["op"] = "replace", ["path"] = path, ["value"] = new JsonObject { ["id"] = id } });
            }
        }

        return ToTicket(AsTechnician(null, () => PatchTicket(ticketId, operations)));
    }

    /// <summary>
    /// Runs <paramref name="change"/> as a technician: the records it touches name that member (a technician, "admin1", when
    /// null) in <c>_info.updatedBy</c>, as ConnectWise names whoever made the last change, instead of the API member.
    /// </summary>
    private T AsTechnician<T>(int? memberId, Func<T> change)
    {
        lock (_gate)
        {
            var previous = _actor;
            _actor = (memberId is { } m ? Members.Find(m)?.Node()["identifier"]?.GetValue<string>() : null) ?? "admin1";
            try
            {
                return change();
            }
            finally
            {
                _actor = previous;
            }
        }
    }

    private SandboxRow EditNoteCore(SandboxRow ticket, SandboxRow row, string text, string? by)
    {
        var now = Stamp();
        var node = row.Node();
        node["text"] = text;
        var info = node["_info"] as JsonObject ?? [];
        info["lastUpdated"] = Iso(now);
        info["updatedBy"] = by ?? Options.ApiMemberIdentifier;
        node["_info"] = info;
        row.Json = Serialize(node);
        row.LastUpdated = now;
        Touch(ticket, ticket.Node(), now);
        return row;
    }

    private ConnectWiseSandboxTicket ToTicket(SandboxRow row)
    {
        var node = row.Node();
        return new ConnectWiseSandboxTicket(row.Id, node["summary"]?.GetValue<string>() ?? "", Id(node["board"]) ?? 0, Id(node["status"]) ?? 0,
            Id(node["priority"]) ?? 0, Id(node["company"]) ?? 0, node["externalXRef"]?.GetValue<string>() ?? "",
            _ticketConfigurations.TryGetValue(row.Id, out var list) ? [.. list] : [], row.LastUpdated);
    }

    private static ConnectWiseSandboxNote ToNote(SandboxRow row)
    {
        var node = row.Node();
        return new ConnectWiseSandboxNote(row.Id, row.ParentId, node["text"]?.GetValue<string>() ?? "", Bool(node, "detailDescriptionFlag"),
            Bool(node, "internalAnalysisFlag"), Id(node["member"]), node["createdBy"]?.GetValue<string>() ?? "", row.DateEntered);
    }

    internal void AttachConfiguration(int ticketId, int configurationId)
    {
        lock (_gate)
        {
            var ticket = Tickets.Find(ticketId) ?? throw ConnectWiseSandboxError.NotFound($"Service Ticket {ticketId} not found");
            if (Configurations.Find(configurationId) is null)
            {
                throw ConnectWiseSandboxError.Invalid("configurationReference", "NotFound", $"Configuration {configurationId} not found", "id");
            }

            if (!_ticketConfigurations.TryGetValue(ticketId, out var list))
            {
                _ticketConfigurations[ticketId] = list = [];
            }

            if (list.Contains(configurationId))
            {
                throw ConnectWiseSandboxError.Invalid("configurationReference", "Duplicate", $"Configuration {configurationId} is already attached to this ticket", "id");
            }

            list.Add(configurationId);
            Touch(ticket, ticket.Node());
        }
    }

    private SandboxRow AddNoteCore(int ticketId, string text, bool detail, bool internalAnalysis, bool resolution, int? memberId, DateTimeOffset now)
    {
        var id = Notes.NextId;
        var member = memberId is { } m ? Members.Find(m) : null;
        var createdBy = member is null ? Options.ApiMemberIdentifier : member.ReadNode()["identifier"]!.GetValue<string>();
        var note = new JsonObject
        {
            ["id"] = id,
            ["ticketId"] = ticketId,
            ["text"] = text,
            ["detailDescriptionFlag"] = detail,
            ["internalAnalysisFlag"] = internalAnalysis,
            ["resolutionFlag"] = resolution,
            ["issueFlag"] = false,
            ["member"] = member is null ? Reference(Members.Find(ApiMemberId)!, "identifier", "name") : Reference(member, "identifier", "name"),
            ["dateCreated"] = Iso(now),
            ["createdBy"] = createdBy,
            ["internalFlag"] = internalAnalysis,
            ["externalFlag"] = detail,
            ["_info"] = new JsonObject { ["lastUpdated"] = Iso(now), ["updatedBy"] = createdBy },
        };
        var row = Row(id, ticketId, now, note);
        Notes.Add(row);
        return row;
    }

    private void CheckSummary(string summary)
    {
        if (summary.Length > 100)
        {
            throw ConnectWiseSandboxError.Invalid("ticket", "MaxLengthField", "The field summary must be a string with a maximum length of 100.", "summary");
        }
    }

    private SandboxRow ResolveBoard(int id) =>
        Boards.Find(id) ?? throw ConnectWiseSandboxError.Invalid("ticket", "NotFound", $"Service Board {id} not found", "board/id");

    private SandboxRow ResolveCompany(int id) =>
        Companies.Find(id) ?? throw ConnectWiseSandboxError.Invalid("ticket", "NotFound", $"company {id} not found", "company/id");

    private SandboxRow ResolvePriority(int id) =>
        Priorities.Find(id) ?? throw ConnectWiseSandboxError.Invalid("ticket", "NotFound", $"Priority {id} not found", "priority/id");

    private SandboxRow ResolveStatus(SandboxRow board, int id) =>
        Statuses.Find(id) is { } s && s.ParentId == board.Id
            ? s
            : throw ConnectWiseSandboxError.Invalid("ticket", "NotFound", $"Service Status {id} not found for Service Board {board.Id}", "status/id");

    private void SetTicketReferences(JsonObject ticket, SandboxRow board, SandboxRow status, SandboxRow priority, SandboxRow company)
    {
        ticket["board"] = Reference(board, "name");
        ticket["status"] = Reference(status, "name");
        ticket["company"] = Reference(company, "identifier", "name");
        ticket["priority"] = Reference(priority, "name");
    }
}

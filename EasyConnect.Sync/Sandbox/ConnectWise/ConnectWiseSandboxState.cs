using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.ConnectWise;

/// <summary>A stored sandbox record: its keys for fast filtering and ordering, and its JSON exactly as served.</summary>
internal sealed class SandboxRow(int id, int parentId, DateTimeOffset dateEntered, byte[] json)
{
    public int Id { get; } = id;

    /// <summary>The board of a status, the ticket of a note; 0 otherwise.</summary>
    public int ParentId { get; } = parentId;

    public DateTimeOffset DateEntered { get; } = dateEntered;

    public DateTimeOffset LastUpdated { get; set; } = dateEntered;

    public byte[] Json { get; set; } = json;

    public JsonObject Node() => JsonNode.Parse(Json)!.AsObject();
}

/// <summary>One entity's records, in id order (ids only grow, so appending keeps the order).</summary>
internal sealed class SandboxTable
{
    private readonly Dictionary<int, SandboxRow> _byId = [];

    public List<SandboxRow> Rows { get; } = [];

    public int NextId { get; set; } = 1;

    public SandboxRow? Find(int id) => _byId.GetValueOrDefault(id);

    public void Add(SandboxRow row)
    {
        Rows.Add(row);
        _byId[row.Id] = row;
        NextId = Math.Max(NextId, row.Id + 1);
    }

    public bool Remove(int id)
    {
        if (!_byId.Remove(id, out var row))
        {
            return false;
        }

        Rows.Remove(row);
        return true;
    }
}

/// <summary>A service ticket of the ConnectWise sandbox as it stands, for tests and demos.</summary>
public sealed record ConnectWiseSandboxTicket(
    int Id, string Summary, int BoardId, int StatusId, int PriorityId, int CompanyId, string ExternalXRef,
    IReadOnlyList<int> ConfigurationIds, DateTimeOffset LastUpdated);

/// <summary>A note of a ConnectWise sandbox ticket.</summary>
/// <param name="Discussion">detailDescriptionFlag: a Discussion note (the first one holds the initial description).</param>
/// <param name="Internal">internalAnalysisFlag: an internal note.</param>
public sealed record ConnectWiseSandboxNote(
    int Id, int TicketId, string Text, bool Discussion, bool Internal, int? MemberId, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>An error the sandbox answers with, in ConnectWise's body shape.</summary>
internal sealed class ConnectWiseSandboxError(int status, string code, string message, IReadOnlyList<(string Code, string Message, string Resource, string Field)>? errors = null)
    : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public IReadOnlyList<(string Code, string Message, string Resource, string Field)> Errors { get; } = errors ?? [];

    public static ConnectWiseSandboxError Invalid(string resource, string code, string message, string field) =>
        new(400, "InvalidObject", $"{resource} object is invalid", [(code, message, resource, field)]);

    public static ConnectWiseSandboxError NotFound(string message) => new(404, "NotFound", message);
}

/// <summary>
/// The simulated ConnectWise instance: every record in memory, indexed by id and served in (lastUpdated, id) or id order,
/// seeded deterministically from <see cref="ConnectWiseSandboxOptions"/>. Thread-safe; one per app (a singleton).
/// </summary>
public sealed class ConnectWiseSandboxState
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] FirstNames = ["Ava", "Liam", "Noah", "Emma", "Olivia", "Mason", "Sophia", "Lucas", "Mia", "Ethan", "Isla", "Aria", "Leo", "Zoe", "Ivy"];
    private static readonly string[] LastNames = ["Nguyen", "Smith", "Garcia", "Okafor", "Schmidt", "Rossi", "Tanaka", "Kowalski", "Dubois", "Haddad", "Larsen", "Murphy"];
    private static readonly string[] CompanyWords = ["Contoso", "Fabrikam", "Northwind", "Tailspin", "Wingtip", "Adatum", "Litware", "Proseware", "Lucerne", "Margie's", "Alpine", "Bluebird"];
    private static readonly string[] CompanyKinds = ["Dental", "Logistics", "Legal LLP", "Bakery", "Architects", "Clinic", "Motors", "Accounting", "Realty", "Foods"];
    private static readonly string[] DeviceKinds = ["Server", "Firewall", "Workstation", "NAS", "Switch", "Hypervisor Host"];
    private static readonly (string Name, bool Closed, bool Inactive, bool Default)[] StatusTemplates =
    [
        ("New", false, false, true), ("In Progress", false, false, false), ("Waiting on Customer", false, false, false),
        ("Scheduled", false, false, false), ("Resolved", true, false, false), ("Closed", true, false, false), ("Escalated (old)", false, true, false),
    ];
    private static readonly (string Name, string Color, string Level, bool Default)[] PriorityTemplates =
    [
        ("Priority 1 - Emergency Response", "Red", "Critical", false), ("Priority 2 - Quick Response", "Orange", "High", false),
        ("Priority 3 - Normal Response", "Yellow", "Medium", true), ("Priority 4 - Schedule Maintenance", "Green", "Low", false),
        ("Do Not Respond", "Gray", "Low", false),
    ];

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly HashSet<string> _denied = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<int, List<int>> _ticketConfigurations = [];
    private DateTimeOffset _lastStamp;

    internal SandboxTable Companies { get; } = new();
    internal SandboxTable Configurations { get; } = new();
    internal SandboxTable Members { get; } = new();
    internal SandboxTable Boards { get; } = new();
    internal SandboxTable Statuses { get; } = new();
    internal SandboxTable Priorities { get; } = new();
    internal SandboxTable Tickets { get; } = new();
    internal SandboxTable Notes { get; } = new();

    /// <summary>Seeds the instance from <paramref name="options"/>.</summary>
    public ConnectWiseSandboxState(ConnectWiseSandboxOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _time = time;
        Seed();
    }

    /// <summary>What the sandbox accepts and seeded.</summary>
    public ConnectWiseSandboxOptions Options { get; }

    /// <summary>Fault injection and the log of requests received; settable at runtime.</summary>
    public SandboxFaultInjector Faults { get; } = new();

    /// <summary>The id of the API member the keys belong to.</summary>
    public int ApiMemberId { get; private set; }

    /// <summary>Counts of what the sandbox holds, for tests and the demo.</summary>
    public int TicketCount { get { lock (_gate) { return Tickets.Rows.Count; } } }

    /// <summary>The number of configurations held.</summary>
    public int ConfigurationCount { get { lock (_gate) { return Configurations.Rows.Count; } } }

    /// <summary>Makes every request to an API path starting with <paramref name="resource"/> (e.g. "company/configurations") answer 403.</summary>
    public void DenyPermission(string resource)
    {
        lock (_gate)
        {
            _denied.Add(resource.Trim('/'));
        }
    }

    /// <summary>Lifts every <see cref="DenyPermission"/>.</summary>
    public void AllowAll()
    {
        lock (_gate)
        {
            _denied.Clear();
        }
    }

    internal bool IsDenied(string resource)
    {
        lock (_gate)
        {
            return _denied.Any(d => resource.StartsWith(d, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>Adds a company (for tests: names with quotes, backslashes…) and returns its id.</summary>
    public int AddCompany(string name, string? identifier = null)
    {
        lock (_gate)
        {
            var id = Companies.NextId;
            var now = Stamp();
            Companies.Add(Row(id, 0, now, CompanyNode(id, identifier ?? $"Company{id}", name, now)));
            return id;
        }
    }

    /// <summary>Adds a configuration of a company with a ClusterID and returns its id.</summary>
    public int AddConfiguration(string name, int companyId, string clusterId)
    {
        lock (_gate)
        {
            var id = Configurations.NextId;
            var now = Stamp();
            var company = Companies.Find(companyId) ?? throw new ArgumentException($"No company {companyId}.", nameof(companyId));
            Configurations.Add(Row(id, 0, now, ConfigurationNode(id, name, company, clusterId, $"SN-{id:000000}", now)));
            return id;
        }
    }

    /// <summary>The id of the first active board, its default status and the default priority, for tests and demos.</summary>
    public (int BoardId, int StatusId, int PriorityId) Defaults()
    {
        lock (_gate)
        {
            var board = Boards.Rows[0];
            var status = Statuses.Rows.First(s => s.ParentId == board.Id && Bool(s.Node(), "defaultFlag"));
            var priority = Priorities.Rows.First(p => Bool(p.Node(), "defaultFlag"));
            return (board.Id, status.Id, priority.Id);
        }
    }

    /// <summary>A status of <paramref name="boardId"/> other than the default one, and a status of another board.</summary>
    public (int SameBoard, int OtherBoard) OtherStatuses(int boardId)
    {
        lock (_gate)
        {
            var same = Statuses.Rows.First(s => s.ParentId == boardId && !Bool(s.Node(), "defaultFlag"));
            var other = Statuses.Rows.First(s => s.ParentId != boardId);
            return (same.Id, other.Id);
        }
    }

    /// <summary>
    /// Changes a record as someone working in ConnectWise would: applies <paramref name="change"/> to its JSON and stamps
    /// lastUpdated with now, or with <paramref name="lastUpdated"/> (to simulate clock skew or late writes).
    /// <paramref name="resource"/> is the API path: "company/configurations", "service/boards/statuses", ….
    /// </summary>
    public void UpdateRecord(string resource, int id, Action<JsonObject>? change = null, DateTimeOffset? lastUpdated = null)
    {
        lock (_gate)
        {
            var row = Table(resource).Find(id) ?? throw new ArgumentException($"No {resource} record {id}.", nameof(id));
            var node = row.Node();
            change?.Invoke(node);
            Touch(row, node, lastUpdated is { } at ? new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero) : null);
        }
    }

    /// <summary>Deletes a record, as deleting it in ConnectWise would; returns false when it did not exist.</summary>
    public bool DeleteRecord(string resource, int id)
    {
        lock (_gate)
        {
            return Table(resource).Remove(id);
        }
    }

    /// <summary>The ids of a resource's records, in id order.</summary>
    public IReadOnlyList<int> RecordIds(string resource)
    {
        lock (_gate)
        {
            return [.. Table(resource).Rows.Select(r => r.Id)];
        }
    }

    private SandboxTable Table(string resource) => resource.Trim('/').ToLowerInvariant() switch
    {
        "company/companies" => Companies,
        "company/configurations" => Configurations,
        "system/members" => Members,
        "service/boards" => Boards,
        "service/boards/statuses" => Statuses,
        "service/priorities" => Priorities,
        "service/tickets" => Tickets,
        _ => throw new ArgumentException($"The sandbox has no resource \"{resource}\".", nameof(resource)),
    };

    internal T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    internal IReadOnlyList<int> TicketConfigurationIds(int ticketId)
    {
        lock (_gate)
        {
            return _ticketConfigurations.TryGetValue(ticketId, out var list) ? [.. list] : [];
        }
    }

    internal SandboxRow CreateTicket(JsonObject body, int? memberId)
    {
        lock (_gate)
        {
            var summary = body["summary"]?.GetValue<string>();
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
            ticket["externalXRef"] = body["externalXRef"]?.GetValue<string>() ?? "";
            ticket["closedFlag"] = Bool(status.Node(), "closedStatus");
            ticket["_info"] = Info(now, now, Options.ApiMemberIdentifier);
            var row = Row(id, 0, now, ticket);
            Tickets.Add(row);

            // ConnectWise stores initialDescription as the ticket's first Discussion note and never returns it on the ticket.
            if (body["initialDescription"]?.GetValue<string>() is { Length: > 0 } description)
            {
                AddNoteCore(id, description, detail: true, internalAnalysis: false, resolution: false, memberId, now);
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
                var path = (op?["path"]?.GetValue<string>() ?? "").Trim('/').ToLowerInvariant();
                var value = op?["value"];
                if (kind is not ("replace" or "add"))
                {
                    throw ConnectWiseSandboxError.Invalid("ticket", "InvalidField", $"The operation {kind} is not supported on {path}.", path);
                }

                var reference = path.EndsWith("/id", StringComparison.Ordinal) ? value?.GetValue<int>() : Id(value);
                switch (path)
                {
                    case "summary":
                        var summary = value?.GetValue<string>() ?? "";
                        if (string.IsNullOrWhiteSpace(summary))
                        {
                            throw ConnectWiseSandboxError.Invalid("ticket", "Required", "The field summary is required.", "summary");
                        }

                        CheckSummary(summary);
                        ticket["summary"] = summary;
                        break;
                    case "externalxref":
                        ticket["externalXRef"] = value?.GetValue<string>() ?? "";
                        break;
                    case "board" or "board/id":
                        board = ResolveBoard(reference ?? 0);
                        ticket["board"] = Reference(board, "name");
                        break;
                    case "status" or "status/id":
                        statusId = reference ?? 0;
                        break;
                    case "priority" or "priority/id":
                        ticket["priority"] = Reference(ResolvePriority(reference ?? 0), "name");
                        break;
                    case "company" or "company/id":
                        var company = ResolveCompany(reference ?? 0);
                        ticket["company"] = Reference(company, "identifier", "name");
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
            var note = AddNoteCore(ticketId, text, detail, internalAnalysis, resolution, memberId, now);
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
            foreach (var op in operations)
            {
                var path = (op?["path"]?.GetValue<string>() ?? "").Trim('/').ToLowerInvariant();
                if (op?["op"]?.GetValue<string>()?.ToLowerInvariant() is not ("replace" or "add") || path != "text")
                {
                    throw ConnectWiseSandboxError.Invalid("serviceNote", "InvalidField", $"Only the text of a note can be patched in the sandbox, not {path}.", path);
                }

                text = op["value"]?.GetValue<string>();
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

            return ToNote(AddNote(ticketId, body));
        }
    }

    /// <summary>Changes a note's text as a technician would, e.g. the description (the ticket's first Discussion note).</summary>
    public ConnectWiseSandboxNote EditNote(int noteId, string text, int? memberId = null)
    {
        lock (_gate)
        {
            var row = Notes.Find(noteId) ?? throw new ArgumentException($"No note {noteId}.", nameof(noteId));
            var ticket = Tickets.Find(row.ParentId)!;
            return ToNote(EditNoteCore(ticket, row, text, memberId is { } m ? Members.Find(m)?.Node()["identifier"]?.GetValue<string>() : "admin1"));
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

        return ToTicket(PatchTicket(ticketId, operations));
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
        row.Json = JsonSerializer.SerializeToUtf8Bytes(node, Json);
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
        var createdBy = member is null ? Options.ApiMemberIdentifier : member.Node()["identifier"]!.GetValue<string>();
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

    private static void SetTicketReferences(JsonObject ticket, SandboxRow board, SandboxRow status, SandboxRow priority, SandboxRow company)
    {
        ticket["board"] = Reference(board, "name");
        ticket["status"] = Reference(status, "name");
        ticket["company"] = Reference(company, "identifier", "name");
        ticket["priority"] = Reference(priority, "name");
    }

    private static JsonObject Reference(SandboxRow row, params string[] fields)
    {
        var node = row.Node();
        var reference = new JsonObject { ["id"] = row.Id };
        foreach (var field in fields)
        {
            // Members have no name field; their references carry "First Last" as the name.
            reference[field] = field == "name" && node["name"] is null && node["firstName"] is { } first
                ? $"{first} {node["lastName"]}"
                : node[field]?.DeepClone();
        }

        return reference;
    }

    private void Touch(SandboxRow row, JsonObject node, DateTimeOffset? at = null)
    {
        var now = at ?? Stamp();
        var info = node["_info"] as JsonObject ?? [];
        info["lastUpdated"] = Iso(now);
        info["updatedBy"] = Options.ApiMemberIdentifier;
        node["_info"] = info;
        row.Json = JsonSerializer.SerializeToUtf8Bytes(node, Json);
        row.LastUpdated = now;
    }

    /// <summary>Now, to the second (ConnectWise's resolution), never before the previous stamp.</summary>
    private DateTimeOffset Stamp()
    {
        var now = _time.GetUtcNow();
        now = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        _lastStamp = now > _lastStamp ? now : _lastStamp;
        return _lastStamp;
    }

    private static SandboxRow Row(int id, int parentId, DateTimeOffset at, JsonObject node) =>
        new(id, parentId, at, JsonSerializer.SerializeToUtf8Bytes(node, Json)) { LastUpdated = LastUpdatedOf(node) ?? at };

    private static DateTimeOffset? LastUpdatedOf(JsonObject node) =>
        node["_info"]?["lastUpdated"]?.GetValue<string>() is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : null;

    private static int? Id(JsonNode? reference) => reference switch
    {
        JsonObject o when o["id"] is JsonValue v && v.TryGetValue<int>(out var id) => id,
        JsonValue v when v.TryGetValue<int>(out var id) => id,
        _ => null,
    };

    private static bool Bool(JsonObject node, string field) => node[field] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    internal static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Info(DateTimeOffset entered, DateTimeOffset updated, string by) => new()
    {
        ["lastUpdated"] = Iso(updated),
        ["updatedBy"] = by,
        ["dateEntered"] = Iso(entered),
        ["enteredBy"] = by,
    };

    private JsonObject CompanyNode(int id, string identifier, string name, DateTimeOffset at) => new()
    {
        ["id"] = id,
        ["identifier"] = identifier,
        ["name"] = name,
        ["status"] = new JsonObject { ["id"] = 1, ["name"] = "Active" },
        ["addressLine1"] = $"{100 + id} Main Street",
        ["city"] = "Springfield",
        ["state"] = "IL",
        ["zip"] = "62701",
        ["phoneNumber"] = $"555{id:0000000}",
        ["website"] = $"www.{identifier.ToLowerInvariant()}.example",
        ["types"] = new JsonArray(new JsonObject { ["id"] = 1, ["name"] = "Client" }),
        ["deletedFlag"] = false,
        ["_info"] = Info(at, at, "admin1"),
    };

    private static JsonObject ConfigurationNode(int id, string name, SandboxRow company, string clusterId, string serial, DateTimeOffset at) => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["type"] = new JsonObject { ["id"] = 1, ["name"] = "Managed Server" },
        ["status"] = new JsonObject { ["id"] = 1, ["name"] = "Active" },
        ["company"] = Reference(company, "identifier", "name"),
        ["serialNumber"] = serial,
        ["tagNumber"] = $"TAG-{id:000000}",
        ["activeFlag"] = true,
        ["questions"] = new JsonArray(new JsonObject { ["answerId"] = id, ["questionId"] = 1, ["question"] = "ClusterID", ["answer"] = clusterId, ["sequenceNumber"] = 1, ["numberOfDecimals"] = 0, ["fieldType"] = "Text", ["requiredFlag"] = false }),
        ["customFields"] = new JsonArray(new JsonObject { ["id"] = 1, ["caption"] = "ClusterID", ["type"] = "Text", ["entryMethod"] = "EntryField", ["numberOfDecimals"] = 0, ["value"] = clusterId }),
        ["_info"] = Info(at, at, "admin1"),
    };

    private void Seed()
    {
        var random = new Random(Options.Seed);
        var epoch = Options.SeedEpoch ?? _time.GetUtcNow().AddDays(-30);
        epoch = new DateTimeOffset(epoch.UtcTicks - (epoch.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var second = 0;
        DateTimeOffset Next(int share = 1) => epoch.AddSeconds(second++ / share);

        foreach (var (name, location) in new[] { ("Service Desk", "Main"), ("Network Operations", "Main"), ("Projects - Onboarding", "Remote"), ("Legacy Helpdesk", "Main") })
        {
            var id = Boards.NextId;
            var at = Next();
            Boards.Add(Row(id, 0, at, new JsonObject
            {
                ["id"] = id,
                ["name"] = name,
                ["location"] = new JsonObject { ["id"] = 1, ["name"] = location },
                ["department"] = new JsonObject { ["id"] = 1, ["identifier"] = "Services", ["name"] = "Services" },
                ["inactiveFlag"] = name.StartsWith("Legacy", StringComparison.Ordinal),
                ["projectFlag"] = false,
                ["_info"] = Info(at, at, "admin1"),
            }));
            var sort = 0;
            foreach (var (statusName, closed, inactive, isDefault) in StatusTemplates)
            {
                var statusId = Statuses.NextId;
                var statusAt = Next();
                Statuses.Add(Row(statusId, id, statusAt, new JsonObject
                {
                    ["id"] = statusId,
                    ["name"] = statusName,
                    ["board"] = new JsonObject { ["id"] = id, ["name"] = name },
                    ["sortOrder"] = sort++,
                    ["displayOnBoard"] = !closed,
                    ["inactive"] = inactive,
                    ["closedStatus"] = closed,
                    ["timeEntryNotAllowed"] = false,
                    ["defaultFlag"] = isDefault,
                    ["escalationStatus"] = closed ? "Resolved" : "NotResponded",
                    ["customerPortalFlag"] = false,
                    ["_info"] = Info(statusAt, statusAt, "admin1"),
                }));
            }
        }

        var prioritySort = 1;
        foreach (var (name, color, level, isDefault) in PriorityTemplates)
        {
            var id = Priorities.NextId;
            var at = Next();
            Priorities.Add(Row(id, 0, at, new JsonObject
            {
                ["id"] = id,
                ["name"] = name,
                ["color"] = color,
                ["sortOrder"] = prioritySort++,
                ["defaultFlag"] = isDefault,
                ["level"] = level,
                ["_info"] = Info(at, at, "admin1"),
            }));
        }

        ApiMemberId = Members.NextId;
        AddMember(Options.ApiMemberIdentifier, "EasyConnect", "Integration", "easyconnect-api@msp.example", "A", inactive: false, Next());
        for (var i = 0; i < Options.Members; i++)
        {
            var first = FirstNames[i % FirstNames.Length];
            var last = LastNames[(i / FirstNames.Length + i) % LastNames.Length];
            var suffix = i < FirstNames.Length ? "" : (i / FirstNames.Length).ToString(CultureInfo.InvariantCulture);
            AddMember($"{first[0]}{last}{suffix}".ToLowerInvariant(), first, last, $"{first}.{last}{suffix}@msp.example".ToLowerInvariant(), "F",
                inactive: i % 7 == 6, Next());
        }

        for (var i = 0; i < Options.Companies; i++)
        {
            var id = Companies.NextId;
            var word = CompanyWords[i % CompanyWords.Length];
            var kind = CompanyKinds[(i / CompanyWords.Length + i) % CompanyKinds.Length];
            var round = i < CompanyWords.Length ? "" : $" {i / CompanyWords.Length + 1}";
            var name = $"{word} {kind}{round}";
            var identifier = new string($"{word}{kind}{round}".Where(char.IsLetterOrDigit).ToArray());
            Companies.Add(Row(id, 0, Next(), CompanyNode(id, identifier, name, Next())));
        }

        // Configurations share a lastUpdated second three at a time, as bulk edits do, so ordering must break ties by id.
        for (var i = 0; i < Options.Configurations; i++)
        {
            var id = Configurations.NextId;
            var company = Companies.Rows[i % Companies.Rows.Count];
            var cluster = $"CL-{i + 1:000000}";
            var device = DeviceKinds[random.Next(DeviceKinds.Length)];
            var at = epoch.AddSeconds(second + i / 3);
            Configurations.Add(Row(id, 0, at, ConfigurationNode(id, $"{cluster} {device}", company, cluster, $"SN{random.Next(100_000, 999_999)}-{id}", at)));
        }

        second += Options.Configurations / 3 + 1;
        for (var i = 0; i < Options.Tickets; i++)
        {
            var company = Companies.Rows[i % Companies.Rows.Count];
            var board = Boards.Rows[i % 2 == 0 ? 0 : 1];
            var status = Statuses.Rows.Where(s => s.ParentId == board.Id).ElementAt(random.Next(3));
            var priority = Priorities.Rows[random.Next(4)];
            var at = Next();
            var id = Tickets.NextId;
            var ticket = new JsonObject { ["id"] = id, ["summary"] = $"Demo: {DeviceKinds[i % DeviceKinds.Length]} alert at {company.Node()["name"]}" };
            ticket["recordType"] = "ServiceTicket";
            SetTicketReferences(ticket, board, status, priority, company);
            ticket["externalXRef"] = "";
            ticket["closedFlag"] = false;
            ticket["_info"] = Info(at, at, "admin1");
            Tickets.Add(Row(id, 0, at, ticket));
            var member = Members.Rows[Members.Rows.Count == 1 ? 0 : 1 + i % (Members.Rows.Count - 1)];
            AddNoteCore(id, $"Monitoring reported a problem with a {DeviceKinds[i % DeviceKinds.Length].ToLowerInvariant()}.", true, false, false, member.Id, at);
            AddNoteCore(id, "Checked the event log; looking into it.", false, true, false, member.Id, Next());
        }

        _lastStamp = epoch.AddSeconds(second);
    }

    private void AddMember(string identifier, string first, string last, string email, string licenseClass, bool inactive, DateTimeOffset at)
    {
        var id = Members.NextId;
        Members.Add(Row(id, 0, at, new JsonObject
        {
            ["id"] = id,
            ["identifier"] = identifier,
            ["disableOnlineFlag"] = false,
            ["licenseClass"] = licenseClass,
            ["inactiveFlag"] = inactive,
            ["firstName"] = first,
            ["lastName"] = last,
            ["hireDate"] = Iso(at.AddYears(-2)),
            ["officeEmail"] = email,
            ["defaultEmail"] = "Office",
            ["primaryEmail"] = email,
            ["officePhone"] = $"555010{id % 10}",
            ["defaultPhone"] = "Office",
            ["securityRole"] = new JsonObject { ["id"] = licenseClass == "A" ? 2 : 1, ["name"] = licenseClass == "A" ? "API Member" : "Technician" },
            ["title"] = licenseClass == "A" ? "Integration" : "Technician",
            ["_info"] = Info(at, at, "admin1"),
        }));
    }
}

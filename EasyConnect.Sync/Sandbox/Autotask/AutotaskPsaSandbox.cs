using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Autotask;

namespace EasyConnect.Sync.Sandbox.Autotask;

/// <summary>
/// The Autotask sandbox behind the PSA-neutral <see cref="IPsaSandbox"/>: a view of <see cref="AutotaskSandboxState"/>. Queues are the
/// boards, statuses and priorities are picklists without a scope, resources are the members, a configuration item carries its
/// ClusterID in the user-defined field <see cref="AutotaskSandboxState.ClusterIdField"/>, <c>externalID</c> is the external reference,
/// a note's <c>publish</c> is its visibility and the description is a field of the ticket.
/// </summary>
public sealed partial class AutotaskPsaSandbox(AutotaskSandboxState state) : IPsaSandbox
{
    private const string Tickets = AutotaskSandboxState.Tickets;

    /// <summary>The state behind the contract, for Autotask-only tests.</summary>
    public AutotaskSandboxState State { get; } = state;

    /// <inheritdoc/>
    public PsaKind Kind => AutotaskProduct.Description.Kind;

    /// <inheritdoc/>
    public string ProductName => "Autotask";

    /// <inheritdoc/>
    public int SummaryLimit => 255;

    /// <inheritdoc/>
    public int MaxConfigurationsPerTicket => 1;

    /// <inheritdoc/>
    public TimeSpan StampResolution => TimeSpan.FromMilliseconds(1);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> ConnectionSettings => new Dictionary<string, string>
    {
        [AutotaskProduct.UserName] = State.Options.UserName,
        [AutotaskProduct.Secret] = State.Options.Secret,
        [AutotaskProduct.IntegrationCode] = State.Options.IntegrationCode,
    };

    /// <inheritdoc/>
    public string DefaultBoardId =>
        State.Picklist(Tickets, "queueID").Where(v => v.IsActive).OrderByDescending(v => v.IsDefaultValue).ThenBy(v => v.SortOrder).First().Value;

    /// <inheritdoc/>
    public string ApiMemberId => Text(State.ApiResourceId);

    /// <inheritdoc/>
    public SandboxFaultInjector Faults => State.Faults;

    /// <summary>The resource a technician's change is made as when a test names none: the first active resource besides the API user.</summary>
    public long TechnicianId => State.Ids(AutotaskSandboxState.Resources)
        .First(id => id != State.ApiResourceId && State.Find(AutotaskSandboxState.Resources, id)?["isActive"]?.GetValue<bool>() == true);

    /// <inheritdoc/>
    public string AsStored(string text) => text;

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxChoice> Statuses(string boardId) => Choices("status");

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxChoice> Priorities() => Choices("priority");

    /// <inheritdoc/>
    public string? MemberIdByEmail(string email) =>
        State.Ids(AutotaskSandboxState.Resources).Select(id => (id, Node: State.Find(AutotaskSandboxState.Resources, id)))
            .Where(r => string.Equals(r.Node?["email"]?.GetValue<string>(), email, StringComparison.OrdinalIgnoreCase))
            .Select(r => Text(r.id)).FirstOrDefault();

    /// <inheritdoc/>
    public string AddMember(string firstName, string lastName, string email) => Text(State.AddResource(firstName, lastName, email));

    /// <inheritdoc/>
    public string MemberName(string memberId) =>
        State.Find(AutotaskSandboxState.Resources, Number(memberId)) is { } node
            ? $"{node["firstName"]} {node["lastName"]}"
            : throw new ArgumentException($"No resource {memberId}.", nameof(memberId));

    /// <inheritdoc/>
    public IReadOnlyList<string> CompanyIds() => [.. State.Ids(AutotaskSandboxState.Companies).Select(Text)];

    /// <inheritdoc/>
    public string AddCompany(string name) => Text(State.AddCompany(name));

    /// <inheritdoc/>
    public string AddConfiguration(string name, string companyId, string clusterId) => Text(State.AddConfigurationItem(name, Number(companyId), clusterId));

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxConfiguration> ConfigurationsWithClusterId(string clusterId) =>
        [.. State.Ids(AutotaskSandboxState.ConfigurationItems).Select(id => State.Find(AutotaskSandboxState.ConfigurationItems, id)).OfType<JsonObject>()
            .Select(c => new PsaSandboxConfiguration(Field(c, "id"), c["referenceTitle"]?.GetValue<string>() ?? "", Field(c, "companyID"), ClusterIdOf(c)))
            .Where(c => c.ClusterId == clusterId)];

    /// <inheritdoc/>
    public PsaSandboxNote AddNote(string ticketId, string text, string? memberId = null, PsaSandboxNoteVisibility visibility = PsaSandboxNoteVisibility.Internal)
    {
        var title = text.Split('\n')[0];
        var id = State.AddNoteAs(memberId is null ? State.ApiResourceId : Number(memberId), Number(ticketId), title.Length > 250 ? title[..250] : title, text,
            publish: visibility == PsaSandboxNoteVisibility.External ? 1 : 2);
        return ToNote(State.Find(AutotaskSandboxState.TicketNotes, id)!);
    }

    /// <inheritdoc/>
    public PsaSandboxTicket EditTicket(string ticketId, PsaSandboxTicketEdit edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var changes = new JsonObject();
        if (edit.Summary is not null)
        {
            changes["title"] = edit.Summary;
        }

        if (edit.StatusId is not null)
        {
            changes["status"] = Number(edit.StatusId);
        }

        if (edit.PriorityId is not null)
        {
            changes["priority"] = Number(edit.PriorityId);
        }

        if (edit.CompanyId is not null)
        {
            changes["companyID"] = Number(edit.CompanyId);
        }

        State.UpdateTicketAs(TechnicianId, Number(ticketId), changes);
        return FindTicket(ticketId)!;
    }

    /// <inheritdoc/>
    public void EditDescription(string ticketId, string text, string? memberId = null) =>
        State.UpdateTicketAs(memberId is null ? TechnicianId : Number(memberId), Number(ticketId), new JsonObject { ["description"] = text });

    /// <inheritdoc/>
    public PsaSandboxTicket? FindTicket(string ticketId) => State.Find(Tickets, Number(ticketId)) is { } ticket ? ToTicket(ticket) : null;

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxTicket> TicketsWithExternalReference(string externalReference) =>
        [.. State.Ids(Tickets).Select(id => State.Find(Tickets, id)).OfType<JsonObject>()
            .Where(t => t["externalID"]?.GetValue<string>() == externalReference).Select(ToTicket)];

    /// <inheritdoc/>
    public string? DescriptionOf(string ticketId) => State.Find(Tickets, Number(ticketId))?["description"]?.GetValue<string>();

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxNote> NotesOf(string ticketId)
    {
        var id = Number(ticketId);
        return [.. State.Ids(AutotaskSandboxState.TicketNotes).Select(n => State.Find(AutotaskSandboxState.TicketNotes, n)).OfType<JsonObject>()
            .Where(n => AutotaskSandboxState.Long(n["ticketID"]) == id).Select(ToNote)];
    }

    /// <inheritdoc/>
    public void FailNext(SandboxFaultKind kind, PsaSandboxOperation operation, int count = 1)
    {
        // Autotask attaches a configuration item by changing the ticket's configurationItemID: the same request as a ticket update.
        var (method, pattern) = operation switch
        {
            PsaSandboxOperation.ReadTickets => ("*", TicketReadsPattern()),
            PsaSandboxOperation.CreateTicket => ("POST", TicketsPattern()),
            PsaSandboxOperation.UpdateTicket or PsaSandboxOperation.AttachConfiguration => ("PATCH", TicketsPattern()),
            PsaSandboxOperation.ReadNotes => ("*", NoteReadsPattern()),
            PsaSandboxOperation.CreateNote => ("POST", NotesPattern()),
            PsaSandboxOperation.UpdateNote => ("PATCH", NotesPattern()),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
        State.Faults.FailNext(kind, count, (m, path) =>
            (method == "*" || string.Equals(m, method, StringComparison.OrdinalIgnoreCase)) && pattern.IsMatch(path.Split('?')[0]));
    }

    private IReadOnlyList<PsaSandboxChoice> Choices(string field) =>
        [.. State.Picklist(Tickets, field).Where(v => v.IsActive).OrderBy(v => v.SortOrder).Select(v => new PsaSandboxChoice(v.Value, v.Label, null))];

    private static PsaSandboxTicket ToTicket(JsonObject t) => new(
        Field(t, "id"), t["title"]?.GetValue<string>() ?? "", Field(t, "queueID"), Field(t, "status"), Field(t, "priority"), Field(t, "companyID"),
        t["externalID"]?.GetValue<string>() ?? "", AutotaskSandboxState.Long(t["configurationItemID"]) is { } c ? [Text(c)] : [],
        LastModifiedOf(t));

    // A new note moves only the ticket's lastActivityDate; its last change is the later of the two stamps, as EasyConnect reads it.
    private static DateTimeOffset LastModifiedOf(JsonObject t) =>
        new[] { Time(t["lastTrackedModificationDateTime"]), Time(t["lastActivityDate"]) }.Max() ?? DateTimeOffset.MinValue;

    private PsaSandboxNote ToNote(JsonObject n) => new(
        Field(n, "id"), Field(n, "ticketID"), n["description"]?.GetValue<string>() ?? "",
        AutotaskSandboxState.Long(n["publish"]) == 1 ? PsaSandboxNoteVisibility.External : PsaSandboxNoteVisibility.Internal,
        AutotaskSandboxState.Long(n["creatorResourceID"]) is { } author ? Text(author) : null,
        Time(n["createDateTime"]) ?? DateTimeOffset.MinValue);

    private static string ClusterIdOf(JsonObject c) =>
        c["userDefinedFields"] is JsonArray udfs
            ? udfs.OfType<JsonObject>().FirstOrDefault(u => u["name"]?.GetValue<string>() == AutotaskSandboxState.ClusterIdField)?["value"]?.GetValue<string>() ?? ""
            : "";

    private static string Field(JsonObject node, string field) => node[field] is JsonValue v ? v.ToJsonString().Trim('"') : "";

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static long Number(string id) => long.Parse(id, NumberStyles.Integer, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"/V1\.0/Tickets/?$", RegexOptions.IgnoreCase)]
    private static partial Regex TicketsPattern();

    [GeneratedRegex(@"/V1\.0/Tickets(/\d+|/query(/next|/count)?)$", RegexOptions.IgnoreCase)]
    private static partial Regex TicketReadsPattern();

    [GeneratedRegex(@"/V1\.0/(Tickets/\d+/Notes|TicketNotes)(/query(/next|/count)?)?$", RegexOptions.IgnoreCase)]
    private static partial Regex NoteReadsPattern();

    [GeneratedRegex(@"/V1\.0/(Tickets/\d+/Notes|TicketNotes)/?$", RegexOptions.IgnoreCase)]
    private static partial Regex NotesPattern();
}

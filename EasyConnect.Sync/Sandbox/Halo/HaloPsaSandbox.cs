using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Halo;

namespace EasyConnect.Sync.Sandbox.Halo;

/// <summary>
/// The HaloPSA sandbox behind the PSA-neutral <see cref="IPsaSandbox"/>: a view of <see cref="HaloSandboxState"/>. Teams are the boards,
/// statuses are global, priorities belong to an SLA (a choice's scope is its SLA id, its id "sla:priority" as the Halo client names it,
/// because a ticket's <c>priority_id</c> means the <c>priorityid</c> within the ticket's SLA), agents are
/// the members, clients the companies, an asset carries its ClusterID in the custom field <see cref="HaloSandboxState.ClusterIdFieldName"/>,
/// <c>client_reference</c> is the external reference, an action's <c>hiddenfromuser</c> is its visibility, system actions are not
/// notes, and the description is the ticket's details (HTML; read back as its text).
/// </summary>
public sealed partial class HaloPsaSandbox(HaloSandboxState state, Uri baseAddress) : IPsaSandbox
{
    private const string Tickets = HaloSandboxState.Tickets;

    /// <summary>The state behind the contract, for Halo-only tests.</summary>
    public HaloSandboxState State { get; } = state;

    /// <summary>The sandbox's root (its auth server is <c>auth/</c> and its API <c>api/</c> under it).</summary>
    public Uri BaseAddress { get; } = baseAddress;

    /// <inheritdoc/>
    public PsaKind Kind => HaloProduct.Description.Kind;

    /// <inheritdoc/>
    public string ProductName => HaloProduct.Description.DisplayName;

    /// <inheritdoc/>
    public int SummaryLimit => HaloSandboxState.SummaryLimit;

    /// <inheritdoc/>
    public int MaxConfigurationsPerTicket => int.MaxValue;

    /// <inheritdoc/>
    public bool ConfigurationsFollowCompany => true;

    /// <inheritdoc/>
    public TimeSpan StampResolution => TimeSpan.FromMilliseconds(1);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> ConnectionSettings => new Dictionary<string, string>
    {
        [HaloProduct.Address] = BaseAddress.ToString().TrimEnd('/'),
        [HaloProduct.Tenant] = State.Options.Tenant,
        [HaloProduct.ClientId] = State.Options.ClientId,
        [HaloProduct.ClientSecret] = State.Options.ClientSecret,
    };

    /// <inheritdoc/>
    /// <remarks>A ticket names its team rather than referring to it by id, so a board's id is the team's name, as the Halo client reads it.</remarks>
    public string DefaultBoardId => State.DefaultTeam;

    /// <inheritdoc/>
    public string ApiMemberId => Text(State.ApiAgentId);

    /// <inheritdoc/>
    public SandboxFaultInjector Faults => State.Faults;

    /// <summary>The agent a technician's change is made as when a test names none: the first enabled agent besides the API agent.</summary>
    public long TechnicianId => State.All(HaloSandboxState.Agents, a => HaloSandboxState.Bool(a["isdisabled"]) != true && HaloSandboxState.Bool(a["isapiagent"]) != true)
        .Select(a => HaloSandboxState.Long(a["id"])!.Value).First();

    /// <inheritdoc/>
    public string AsStored(string text) => text;

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxChoice> Statuses(string boardId) =>
        [.. State.All(HaloSandboxState.Statuses).OrderBy(s => HaloSandboxState.Long(s["sequence"])).Select(s => new PsaSandboxChoice(Field(s, "id"), Field(s, "name"), null))];

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxChoice> Priorities() =>
        [.. State.All(HaloSandboxState.Priorities, p => HaloSandboxState.Bool(p["ishidden"]) != true)
            .OrderBy(p => HaloSandboxState.Long(p["slaid"])).ThenBy(p => HaloSandboxState.Long(p["priorityid"]))
            .Select(p => new PsaSandboxChoice(HaloRecords.PriorityId(Field(p, "slaid"), Field(p, "priorityid")), Field(p, "name"), Field(p, "slaid")))];

    /// <inheritdoc/>
    public string? MemberIdByEmail(string email) =>
        State.All(HaloSandboxState.Agents, a => string.Equals(HaloSandboxState.Text(a["email"]), email, StringComparison.OrdinalIgnoreCase))
            .Select(a => Field(a, "id")).FirstOrDefault();

    /// <inheritdoc/>
    public string AddMember(string firstName, string lastName, string email) => Text(State.AddAgent(firstName, lastName, email));

    /// <inheritdoc/>
    public string MemberName(string memberId) =>
        State.Find(HaloSandboxState.Agents, Number(memberId)) is { } agent ? Field(agent, "name") : throw new ArgumentException($"No agent {memberId}.", nameof(memberId));

    /// <inheritdoc/>
    public IReadOnlyList<string> CompanyIds() => [.. State.Ids(HaloSandboxState.Clients).Select(Text)];

    /// <inheritdoc/>
    public string AddCompany(string name) => Text(State.AddClient(name));

    /// <inheritdoc/>
    public string AddConfiguration(string name, string companyId, string clusterId) => Text(State.AddAsset(name, Number(companyId), clusterId));

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxConfiguration> ConfigurationsWithClusterId(string clusterId) =>
        [.. State.All(HaloSandboxState.Assets).Select(a => new PsaSandboxConfiguration(Field(a, "id"), Field(a, "key_field"), Field(a, "client_id"), ClusterIdOf(a)))
            .Where(a => a.ClusterId == clusterId)];

    /// <inheritdoc/>
    public PsaSandboxNote AddNote(string ticketId, string text, string? memberId = null, PsaSandboxNoteVisibility visibility = PsaSandboxNoteVisibility.Internal)
    {
        var hidden = visibility == PsaSandboxNoteVisibility.Internal;
        var action = State.AddActionAs(memberId is null ? State.ApiAgentId : Number(memberId), Number(ticketId), text, hidden ? "Private Note" : "Email User", hidden);
        return ToNote(action);
    }

    /// <inheritdoc/>
    public PsaSandboxTicket EditTicket(string ticketId, PsaSandboxTicketEdit edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var changes = new JsonObject();
        if (edit.Summary is not null)
        {
            changes["summary"] = edit.Summary;
        }

        if (edit.StatusId is not null)
        {
            changes["status_id"] = Number(edit.StatusId);
        }

        if (edit.PriorityId is not null)
        {
            // A technician picks a priority of the ticket's SLA: the number within it is what Halo stores.
            changes["priority_id"] = HaloRecords.PriorityWithinSla(edit.PriorityId);
        }

        if (edit.CompanyId is not null)
        {
            changes["client_id"] = Number(edit.CompanyId);
        }

        State.UpdateTicketAs(TechnicianId, Number(ticketId), changes);
        return FindTicket(ticketId)!;
    }

    /// <inheritdoc/>
    public void EditDescription(string ticketId, string text, string? memberId = null) =>
        State.EditDetailsAs(memberId is null ? TechnicianId : Number(memberId), Number(ticketId), text);

    /// <inheritdoc/>
    public PsaSandboxTicket? FindTicket(string ticketId) =>
        State.Find(Tickets, Number(ticketId)) is { } ticket && HaloSandboxState.Bool(ticket["deleted"]) != true ? ToTicket(ticket) : null;

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxTicket> TicketsWithExternalReference(string externalReference) =>
        [.. State.All(Tickets, t => HaloSandboxState.Text(t["client_reference"]) == externalReference && HaloSandboxState.Bool(t["deleted"]) != true).Select(ToTicket)];

    /// <inheritdoc/>
    public string? DescriptionOf(string ticketId)
    {
        var ticket = State.Find(Tickets, Number(ticketId));
        return HaloSandboxState.Text(ticket?["details_html"]) is { } html ? HaloSandboxHtml.ToText(html) : HaloSandboxState.Text(ticket?["details"]);
    }

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxNote> NotesOf(string ticketId)
    {
        var id = Number(ticketId);
        return [.. State.All(HaloSandboxState.Actions, a => HaloSandboxState.Long(a["ticket_id"]) == id && HaloSandboxState.Long(a["who_type"]) != HaloSandboxState.WhoSystem)
            .Select(ToNote)];
    }

    /// <inheritdoc/>
    public void FailNext(SandboxFaultKind kind, PsaSandboxOperation operation, int count = 1)
    {
        // Halo attaches an asset by POSTing the ticket with its assets: the same request as a ticket update.
        var pattern = operation switch
        {
            PsaSandboxOperation.ReadTickets => TicketReads(),
            PsaSandboxOperation.CreateTicket => TicketCreates(),
            PsaSandboxOperation.UpdateTicket or PsaSandboxOperation.AttachConfiguration => TicketUpdates(),
            PsaSandboxOperation.ReadNotes => ActionReads(),
            PsaSandboxOperation.CreateNote => ActionCreates(),
            PsaSandboxOperation.UpdateNote => ActionUpdates(),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
        var method = operation is PsaSandboxOperation.ReadTickets or PsaSandboxOperation.ReadNotes ? "GET" : "POST";
        State.Faults.FailNext(kind, count, (m, path) => string.Equals(m, method, StringComparison.OrdinalIgnoreCase) && pattern.IsMatch(path));
    }

    private PsaSandboxTicket ToTicket(JsonObject t) => new(
        Field(t, "id"), Field(t, "summary"), Field(t, "team"), Field(t, "status_id"),
        HaloRecords.PriorityId(HaloSandboxState.Text(t["sla_id"]), Field(t, "priority_id")), Field(t, "client_id"),
        HaloSandboxState.Text(t["client_reference"]) ?? "",
        t["assets"] is JsonArray assets ? [.. assets.Select(a => Field((JsonObject)a!, "id"))] : [],
        HaloSandboxState.Time(t["last_update"]) ?? DateTimeOffset.MinValue);

    private static PsaSandboxNote ToNote(JsonObject a) => new(
        Field(a, "id"), Field(a, "ticket_id"), Field(a, "note"),
        HaloSandboxState.Bool(a["hiddenfromuser"]) == true ? PsaSandboxNoteVisibility.Internal : PsaSandboxNoteVisibility.External,
        HaloSandboxState.Long(a["who_type"]) == HaloSandboxState.WhoAgent ? Field(a, "who_agentid") : null,
        HaloSandboxState.Time(a["datetime"]) ?? DateTimeOffset.MinValue);

    private static string ClusterIdOf(JsonObject asset) =>
        asset["customfields"] is JsonArray fields
            ? fields.OfType<JsonObject>().FirstOrDefault(f => HaloSandboxState.Text(f["name"]) == HaloSandboxState.ClusterIdFieldName) is { } f ? HaloSandboxState.Text(f["value"]) ?? "" : ""
            : "";

    private static string Field(JsonObject node, string field) => HaloSandboxState.Text(node[field]) ?? "";

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static long Number(string id) => long.Parse(id, NumberStyles.Integer, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"/api/Tickets(/\d+)?(\?|$)", RegexOptions.IgnoreCase)]
    private static partial Regex TicketReads();

    [GeneratedRegex(@"/api/Tickets(\?[^#]*)?#create$", RegexOptions.IgnoreCase)]
    private static partial Regex TicketCreates();

    [GeneratedRegex(@"/api/Tickets(\?[^#]*)?#update$", RegexOptions.IgnoreCase)]
    private static partial Regex TicketUpdates();

    [GeneratedRegex(@"/api/Actions(/\d+)?(\?|$)", RegexOptions.IgnoreCase)]
    private static partial Regex ActionReads();

    [GeneratedRegex(@"/api/Actions(\?[^#]*)?#create$", RegexOptions.IgnoreCase)]
    private static partial Regex ActionCreates();

    [GeneratedRegex(@"/api/Actions(\?[^#]*)?#update$", RegexOptions.IgnoreCase)]
    private static partial Regex ActionUpdates();
}

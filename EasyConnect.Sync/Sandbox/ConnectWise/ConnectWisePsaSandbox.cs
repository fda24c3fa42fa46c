using System.Globalization;
using System.Text.RegularExpressions;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.ConnectWise;

namespace EasyConnect.Sync.Sandbox.ConnectWise;

/// <summary>
/// The ConnectWise sandbox behind the PSA-neutral <see cref="IPsaSandbox"/>: a view of <see cref="ConnectWiseSandboxState"/> served at
/// <paramref name="baseAddress"/> (the prefix given to <see cref="ConnectWiseSandboxEndpoints.MapConnectWiseSandbox"/>). The ticket's
/// description is its first Discussion note, so that note is the description here and never one of the ticket's notes.
/// </summary>
public sealed partial class ConnectWisePsaSandbox(ConnectWiseSandboxState state, Uri baseAddress, string clientId) : IPsaSandbox
{
    /// <summary>The state behind the contract, for ConnectWise-only tests.</summary>
    public ConnectWiseSandboxState State { get; } = state;

    /// <inheritdoc/>
    public PsaKind Kind => ConnectWiseProduct.Description.Kind;

    /// <inheritdoc/>
    public string ProductName => "ConnectWise";

    /// <inheritdoc/>
    public int SummaryLimit => 100;

    /// <inheritdoc/>
    public int MaxConfigurationsPerTicket => int.MaxValue;

    /// <inheritdoc/>
    public TimeSpan StampResolution => TimeSpan.FromSeconds(1);

    /// <summary>Where the sandbox is served: the site an admin would type.</summary>
    public Uri BaseAddress { get; } = baseAddress;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> ConnectionSettings => new Dictionary<string, string>
    {
        ["Site"] = BaseAddress.ToString(),
        ["CompanyId"] = State.Options.CompanyId,
        ["PublicKey"] = State.Options.PublicKey,
        ["PrivateKey"] = State.Options.PrivateKey,
        ["ClientId"] = clientId,
    };

    /// <inheritdoc/>
    public string DefaultBoardId => Text(State.Defaults().BoardId);

    /// <inheritdoc/>
    public string ApiMemberId => Text(State.ApiMemberId);

    /// <inheritdoc/>
    public SandboxFaultInjector Faults => State.Faults;

    /// <inheritdoc/>
    public string AsStored(string text) => ConnectWiseSandboxState.Flatten(text);

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxChoice> Statuses(string boardId)
    {
        var board = Number(boardId);
        return State.Read(() => State.Statuses.Rows.Where(r => r.ParentId == board).Select(r => (r.Id, Node: r.Node()))
            .Where(s => s.Node["inactive"]?.GetValue<bool>() != true)
            .OrderBy(s => s.Node["sortOrder"]?.GetValue<int>() ?? 0).ThenBy(s => s.Id)
            .Select(s => new PsaSandboxChoice(Text(s.Id), s.Node["name"]?.GetValue<string>() ?? "", boardId)).ToList());
    }

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxChoice> Priorities() =>
        State.Read(() => State.Priorities.Rows.Select(r => (r.Id, Node: r.Node()))
            .OrderBy(p => p.Node["sortOrder"]?.GetValue<int>() ?? 0).ThenBy(p => p.Id)
            .Select(p => new PsaSandboxChoice(Text(p.Id), p.Node["name"]?.GetValue<string>() ?? "", null)).ToList());

    /// <inheritdoc/>
    public string? MemberIdByEmail(string email) => State.MemberIdByEmail(email) is { } id ? Text(id) : null;

    /// <inheritdoc/>
    public string AddMember(string firstName, string lastName, string email) => Text(State.AddTechnician(firstName, lastName, email));

    /// <inheritdoc/>
    public string MemberName(string memberId) =>
        State.Read(() => State.Members.Find(Number(memberId))?.Node() is { } node
            ? $"{node["firstName"]} {node["lastName"]}"
            : throw new ArgumentException($"No member {memberId}.", nameof(memberId)));

    /// <inheritdoc/>
    public IReadOnlyList<string> CompanyIds() => [.. State.RecordIds("company/companies").Select(Text)];

    /// <inheritdoc/>
    public string AddCompany(string name) => Text(State.AddCompany(name));

    /// <inheritdoc/>
    public string AddConfiguration(string name, string companyId, string clusterId) => Text(State.AddConfiguration(name, Number(companyId), clusterId));

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxConfiguration> ConfigurationsWithClusterId(string clusterId) =>
        State.Read(() => State.Configurations.Rows.Select(r => (r.Id, Node: r.Node()))
            .Select(c => new PsaSandboxConfiguration(Text(c.Id), c.Node["name"]?.GetValue<string>() ?? "", Text(c.Node["company"]?["id"]?.GetValue<int>() ?? 0),
                c.Node["customFields"]?.AsArray().FirstOrDefault(f => f?["caption"]?.GetValue<string>() == "ClusterID")?["value"]?.GetValue<string>() ?? ""))
            .Where(c => c.ClusterId == clusterId).ToList());

    /// <inheritdoc/>
    public PsaSandboxNote AddNote(string ticketId, string text, string? memberId = null, PsaSandboxNoteVisibility visibility = PsaSandboxNoteVisibility.Internal) =>
        ToNote(State.AddTicketNote(Number(ticketId), text, memberId is null ? null : Number(memberId), visibility == PsaSandboxNoteVisibility.Internal));

    /// <inheritdoc/>
    public PsaSandboxTicket EditTicket(string ticketId, PsaSandboxTicketEdit edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return ToTicket(State.ChangeTicket(Number(ticketId), edit.Summary, NumberOrNull(edit.PriorityId), NumberOrNull(edit.StatusId), NumberOrNull(edit.CompanyId)));
    }

    /// <inheritdoc/>
    public void EditDescription(string ticketId, string text, string? memberId = null)
    {
        var note = DescriptionNote(Number(ticketId)) ?? throw new ArgumentException($"Ticket {ticketId} has no Discussion note.", nameof(ticketId));
        State.EditNote(note.Id, text, memberId is null ? null : Number(memberId));
    }

    /// <inheritdoc/>
    public PsaSandboxTicket? FindTicket(string ticketId) => State.FindTicket(Number(ticketId)) is { } ticket ? ToTicket(ticket) : null;

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxTicket> TicketsWithExternalReference(string externalReference) =>
        [.. State.TicketsWithExternalXRef(externalReference).Select(ToTicket)];

    /// <inheritdoc/>
    public string? DescriptionOf(string ticketId) => DescriptionNote(Number(ticketId))?.Text;

    /// <inheritdoc/>
    public IReadOnlyList<PsaSandboxNote> NotesOf(string ticketId)
    {
        var id = Number(ticketId);
        var description = DescriptionNote(id);
        return [.. State.NotesOf(id).Where(n => n.Id != description?.Id).Select(ToNote)];
    }

    /// <inheritdoc/>
    public void FailNext(SandboxFaultKind kind, PsaSandboxOperation operation, int count = 1)
    {
        var pattern = operation switch
        {
            PsaSandboxOperation.ReadTickets => ("GET", TicketsPattern()),
            PsaSandboxOperation.CreateTicket => ("POST", TicketsPattern()),
            PsaSandboxOperation.UpdateTicket => ("PATCH", TicketsPattern()),
            PsaSandboxOperation.ReadNotes => ("GET", NotesPattern()),
            PsaSandboxOperation.CreateNote => ("POST", NotesPattern()),
            PsaSandboxOperation.UpdateNote => ("PATCH", NotesPattern()),
            PsaSandboxOperation.AttachConfiguration => ("POST", ConfigurationsPattern()),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
        State.Faults.FailNext(kind, count, (method, path) =>
            string.Equals(method, pattern.Item1, StringComparison.OrdinalIgnoreCase) && pattern.Item2.IsMatch(path.Split('?')[0]));
    }

    /// <summary>The first Discussion note of a ticket: ConnectWise keeps the initial description there.</summary>
    private ConnectWiseSandboxNote? DescriptionNote(int ticketId) => State.NotesOf(ticketId).FirstOrDefault(n => n.Discussion);

    private static PsaSandboxTicket ToTicket(ConnectWiseSandboxTicket t) => new(
        Text(t.Id), t.Summary, Text(t.BoardId), Text(t.StatusId), Text(t.PriorityId), Text(t.CompanyId), t.ExternalXRef,
        [.. t.ConfigurationIds.Select(Text)], t.LastUpdated);

    private static PsaSandboxNote ToNote(ConnectWiseSandboxNote n) => new(
        Text(n.Id), Text(n.TicketId), n.Text, n.Internal ? PsaSandboxNoteVisibility.Internal : PsaSandboxNoteVisibility.External,
        n.MemberId is { } m ? Text(m) : null, n.CreatedAt);

    private static string Text(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static int Number(string id) => int.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture);

    private static int? NumberOrNull(string? id) => id is null ? null : Number(id);

    [GeneratedRegex(@"/service/tickets(/\d+)?/?$")]
    private static partial Regex TicketsPattern();

    [GeneratedRegex(@"/service/tickets/\d+/notes(/\d+)?/?$")]
    private static partial Regex NotesPattern();

    [GeneratedRegex(@"/service/tickets/\d+/configurations/?$")]
    private static partial Regex ConfigurationsPattern();
}

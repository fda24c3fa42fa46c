using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Sandbox;

/// <summary>
/// A simulated PSA as the ticket-engine suite sees it, in PSA-neutral terms: what it was seeded with, what a person working in the
/// PSA can do (add a technician's note, edit a ticket or its description), what it holds (for assertions), the faults it injects and
/// the settings a client needs to reach it. Every PSA sandbox implements it, so the same suite runs against each PSA.
/// Ids are the PSA's own ids as text.
/// </summary>
public interface IPsaSandbox
{
    /// <summary>The PSA the sandbox simulates.</summary>
    PsaKind Kind { get; }

    /// <summary>The product's name as EasyConnect's messages give it ("ConnectWise").</summary>
    string ProductName { get; }

    /// <summary>The longest ticket summary the PSA accepts.</summary>
    int SummaryLimit { get; }

    /// <summary>How many configurations a ticket holds at once (Autotask: one, its configurationItemID; attaching another replaces it).</summary>
    int MaxConfigurationsPerTicket { get; }

    /// <summary>
    /// Whether a ticket holds only configurations of its own company, so moving it to another company lets go of the old company's
    /// (HaloPSA: a ticket's assets must be its client's); false where a ticket keeps them.
    /// </summary>
    bool ConfigurationsFollowCompany => false;

    /// <summary>The resolution of the PSA's last-modified stamps (a whole second for ConnectWise).</summary>
    TimeSpan StampResolution { get; }

    /// <summary>Text as the PSA stores and returns what was sent through its API (ConnectWise turns line breaks into spaces).</summary>
    string AsStored(string text);

    /// <summary>The settings a client of this PSA connects to the sandbox with, by connection field name (the site, keys, …).</summary>
    IReadOnlyDictionary<string, string> ConnectionSettings { get; }

    /// <summary>The board (queue, team) new tickets go to unless told otherwise.</summary>
    string DefaultBoardId { get; }

    /// <summary>The active statuses of a board (of the whole PSA where statuses have no board), in the PSA's order.</summary>
    IReadOnlyList<PsaSandboxChoice> Statuses(string boardId);

    /// <summary>The ticket priorities, in the PSA's order (most urgent first).</summary>
    IReadOnlyList<PsaSandboxChoice> Priorities();

    /// <summary>The member (resource, agent) the API credentials belong to.</summary>
    string ApiMemberId { get; }

    /// <summary>The member with this email, or null.</summary>
    string? MemberIdByEmail(string email);

    /// <summary>Adds an active technician with this email and returns the member's id.</summary>
    string AddMember(string firstName, string lastName, string email);

    /// <summary>A member's name as the PSA shows it ("Liam Smith").</summary>
    string MemberName(string memberId);

    /// <summary>The companies, in id order.</summary>
    IReadOnlyList<string> CompanyIds();

    /// <summary>Adds a company and returns its id.</summary>
    string AddCompany(string name);

    /// <summary>Adds a configuration (configuration item, asset) of a company carrying <paramref name="clusterId"/> and returns its id.</summary>
    string AddConfiguration(string name, string companyId, string clusterId);

    /// <summary>The configurations carrying <paramref name="clusterId"/>, in id order.</summary>
    IReadOnlyList<PsaSandboxConfiguration> ConfigurationsWithClusterId(string clusterId);

    /// <summary>Adds a note to a ticket as a technician working in the PSA would (as the API member when <paramref name="memberId"/> is null).</summary>
    PsaSandboxNote AddNote(string ticketId, string text, string? memberId = null, PsaSandboxNoteVisibility visibility = PsaSandboxNoteVisibility.Internal);

    /// <summary>Changes a ticket's fields as a technician would; a null field is left as it is.</summary>
    PsaSandboxTicket EditTicket(string ticketId, PsaSandboxTicketEdit edit);

    /// <summary>Changes a ticket's description as a technician would (ConnectWise: its first Discussion note; elsewhere a ticket field).</summary>
    void EditDescription(string ticketId, string text, string? memberId = null);

    /// <summary>A ticket as it stands, or null.</summary>
    PsaSandboxTicket? FindTicket(string ticketId);

    /// <summary>The tickets whose external reference is <paramref name="externalReference"/>, in id order.</summary>
    IReadOnlyList<PsaSandboxTicket> TicketsWithExternalReference(string externalReference);

    /// <summary>A ticket's description, or null when it has none.</summary>
    string? DescriptionOf(string ticketId);

    /// <summary>A ticket's notes (its conversation, never its description), oldest first.</summary>
    IReadOnlyList<PsaSandboxNote> NotesOf(string ticketId);

    /// <summary>Fault rates, scripted faults and the log of the requests received (the calls made).</summary>
    SandboxFaultInjector Faults { get; }

    /// <summary>Makes the next <paramref name="count"/> requests of one kind of operation fail with <paramref name="kind"/>.</summary>
    void FailNext(SandboxFaultKind kind, PsaSandboxOperation operation, int count = 1);
}

/// <summary>What a request to a PSA sandbox does, to aim a fault at it.</summary>
public enum PsaSandboxOperation
{
    /// <summary>Reads tickets (a list, one ticket or a search by external reference).</summary>
    ReadTickets,

    /// <summary>Creates a ticket.</summary>
    CreateTicket,

    /// <summary>Changes a ticket's fields.</summary>
    UpdateTicket,

    /// <summary>Reads a ticket's notes.</summary>
    ReadNotes,

    /// <summary>Adds a note to a ticket.</summary>
    CreateNote,

    /// <summary>Changes a note (for ConnectWise, also the description).</summary>
    UpdateNote,

    /// <summary>Attaches a configuration to a ticket.</summary>
    AttachConfiguration,
}

/// <summary>Who may read a note in the PSA.</summary>
public enum PsaSandboxNoteVisibility
{
    /// <summary>Only the MSP's staff.</summary>
    Internal,

    /// <summary>The customer too.</summary>
    External,
}

/// <summary>A status or priority of a PSA sandbox.</summary>
/// <param name="Scope">The record it belongs to (a ConnectWise status's board), or null.</param>
public sealed record PsaSandboxChoice(string Id, string Name, string? Scope);

/// <summary>A configuration of a PSA sandbox and the company it belongs to.</summary>
public sealed record PsaSandboxConfiguration(string Id, string Name, string CompanyId, string ClusterId);

/// <summary>A PSA sandbox's ticket as it stands.</summary>
public sealed record PsaSandboxTicket(
    string Id, string Summary, string BoardId, string StatusId, string PriorityId, string CompanyId, string ExternalReference,
    IReadOnlyList<string> ConfigurationIds, DateTimeOffset LastModified);

/// <summary>A note of a PSA sandbox's ticket.</summary>
/// <param name="AuthorId">The member who wrote it (the API member for EasyConnect's own notes).</param>
public sealed record PsaSandboxNote(string Id, string TicketId, string Text, PsaSandboxNoteVisibility Visibility, string? AuthorId, DateTimeOffset CreatedAt);

/// <summary>Changes a technician makes to a ticket; null leaves a field as it is.</summary>
public sealed record PsaSandboxTicketEdit(string? Summary = null, string? StatusId = null, string? PriorityId = null, string? CompanyId = null);

using System.Text.Json;
using EasyConnect.Sync.Connections;

namespace EasyConnect.Sync.Psa;

/// <summary>The PSA products EasyConnect speaks to.</summary>
public enum PsaKind
{
    /// <summary>ConnectWise PSA (Manage).</summary>
    ConnectWise,

    /// <summary>Datto Autotask PSA.</summary>
    Autotask,

    /// <summary>HaloPSA.</summary>
    Halo,
}

/// <summary>The kinds of PSA records EasyConnect mirrors.</summary>
public enum PsaEntity
{
    Members,
    Companies,
    Configurations,
    Boards,
    Statuses,
    Priorities,
    Tickets,
}

/// <summary>What every mirrored PSA record has: an id, a last-modified time and the full record as the PSA sent it.</summary>
public interface IPsaRecord
{
    /// <summary>The PSA's id, as text (ConnectWise ids are integers, others may not be).</summary>
    string Id { get; }

    /// <summary>The PSA's last-modified time (UTC); the incremental sync's cursor moves along it.</summary>
    DateTimeOffset LastModified { get; }

    /// <summary>The whole record as received, kept as jsonb so later features need no re-sync.</summary>
    JsonElement Raw { get; }
}

/// <summary>A PSA user (ConnectWise member, Autotask resource, Halo agent).</summary>
public sealed record PsaMember(
    string Id, DateTimeOffset LastModified, JsonElement Raw,
    string Identifier, string FirstName, string LastName, IReadOnlyList<string> Emails, bool Inactive) : IPsaRecord
{
    /// <summary>"First Last", or the identifier when the PSA has no names.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace($"{FirstName}{LastName}") ? Identifier : $"{FirstName} {LastName}".Trim();
}

/// <summary>A customer company.</summary>
public sealed record PsaCompany(
    string Id, DateTimeOffset LastModified, JsonElement Raw,
    string Identifier, string Name, bool Inactive) : IPsaRecord
{
    /// <summary>
    /// The priority scope a new ticket of this company falls under, where the company decides it (<see cref="PsaProduct.PriorityScope"/>;
    /// HaloPSA: the SLA of the client's main site, which a new ticket takes); null where priorities are global or the PSA names none.
    /// </summary>
    public string? PriorityScopeId { get; init; }
}

/// <summary>A configuration (asset, device) that belongs to a company.</summary>
/// <param name="CustomFields">Custom fields / questions by their name (ConnectWise: questions and customFields).</param>
public sealed record PsaConfiguration(
    string Id, DateTimeOffset LastModified, JsonElement Raw,
    string Name, string? CompanyId, string? SerialNumber, string? TagNumber,
    IReadOnlyDictionary<string, string> CustomFields, bool Active) : IPsaRecord
{
    /// <summary>
    /// Whether the record has no name of its own, so <see cref="Name"/> is a stand-in (Autotask names a configuration item without a
    /// reference title after its serial number): a ClusterID compared with names must not match it.
    /// </summary>
    public bool Unnamed { get; init; }
}

/// <summary>A service board (Autotask: queue; Halo: team).</summary>
public sealed record PsaBoard(
    string Id, DateTimeOffset LastModified, JsonElement Raw,
    string Name, bool Inactive) : IPsaRecord;

/// <summary>A ticket status.</summary>
/// <param name="ScopeId">
/// The PSA id of what the status belongs to, where the product scopes statuses (<see cref="PsaProduct.StatusScope"/>;
/// ConnectWise: its board); null where statuses are global (Autotask, HaloPSA).
/// </param>
public sealed record PsaStatus(
    string Id, DateTimeOffset LastModified, JsonElement Raw,
    string? ScopeId, string Name, bool Closed, bool Inactive, int SortOrder) : IPsaRecord;

/// <summary>A ticket priority.</summary>
/// <param name="ScopeId">
/// The PSA id of what the priority belongs to, where the product scopes priorities (<see cref="PsaProduct.PriorityScope"/>;
/// HaloPSA: its SLA); null where priorities are global (ConnectWise, Autotask).
/// </param>
public sealed record PsaPriority(
    string Id, DateTimeOffset LastModified, JsonElement Raw,
    string Name, int SortOrder, string? ScopeId = null) : IPsaRecord;

/// <summary>A service ticket.</summary>
/// <param name="ExternalReference">ConnectWise <c>externalXRef</c>: EasyConnect stores the portal ticket id here.</param>
/// <param name="Description">
/// The ticket's description, when the read that produced this record carries it: Autotask's <c>description</c> and Halo's
/// <c>details</c> come with every ticket; ConnectWise keeps it in a note, so its ticket reads leave this null and the description
/// comes with <see cref="IPsaClient.ReadConversationAsync"/> (a create answers with the text it sent).
/// </param>
public sealed record PsaTicket(
    string Id, DateTimeOffset LastModified, JsonElement Raw,
    string Summary, string? BoardId, string? StatusId, string? PriorityId, string? CompanyId,
    string? ExternalReference, DateTimeOffset? CreatedAt, string? Description = null) : IPsaRecord
{
    /// <summary>
    /// Who made the ticket's last change, as the PSA names it (ConnectWise <c>_info.updatedBy</c>); null when the PSA does not say.
    /// With <see cref="IPsaRecord.LastModified"/> it tells EasyConnect's own last write from someone else's change in the same second.
    /// </summary>
    public string? UpdatedBy { get; init; }

    /// <summary>
    /// The configuration the ticket carries, where a create can set it and its answer says so (Autotask <c>configurationItemID</c>);
    /// null when the product attaches configurations separately (ConnectWise), so the engine attaches it with its own call.
    /// </summary>
    public string? ConfigurationId { get; init; }
}

/// <summary>Who may see a note in the PSA.</summary>
public enum PsaNoteVisibility
{
    /// <summary>Technicians only (ConnectWise internal analysis, Autotask "Internal", Halo <c>hiddenfromuser</c>).</summary>
    Internal,

    /// <summary>Also the customer (ConnectWise discussion, Autotask "All Autotask Users", a visible Halo action).</summary>
    External,
}

/// <summary>A note on a ticket; never the ticket's description, which the PSA may keep in a note of its own (ConnectWise).</summary>
/// <param name="MemberId">The member who wrote it, when the PSA says.</param>
/// <param name="CreatedBy">The PSA's creator text (ConnectWise <c>createdBy</c>, the member identifier or API member).</param>
public sealed record PsaNote(
    string Id, string TicketId, string Text, PsaNoteVisibility Visibility,
    string? MemberId, string? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset LastModified);

/// <summary>A ticket's description as the PSA holds it, and when it last changed (what decides a conflict with the portal).</summary>
public sealed record PsaDescription(string Text, DateTimeOffset LastModified);

/// <summary>A ticket's description and its notes, as one read of the PSA.</summary>
/// <param name="Description">Null when the PSA has none for the ticket (a ConnectWise ticket whose Discussion note was deleted).</param>
/// <param name="Notes">Every note but the description, oldest first.</param>
public sealed record PsaConversation(PsaDescription? Description, IReadOnlyList<PsaNote> Notes);

/// <summary>What EasyConnect sends to create a ticket.</summary>
/// <param name="Description">The ticket's description (ConnectWise stores it as the first Discussion note).</param>
/// <param name="ConfigurationId">
/// The configuration to attach, for a product whose create takes it (Autotask's <c>configurationItemID</c>): the created ticket's
/// <see cref="PsaTicket.ConfigurationId"/> says whether it did. Other products leave it to <see cref="IPsaClient.AttachConfigurationAsync"/>.
/// </param>
public sealed record PsaTicketCreate(
    string Summary, string Description, string BoardId, string? StatusId, string? PriorityId,
    string? CompanyId, string ExternalReference, string? ConfigurationId = null);

/// <summary>Fields to change on a ticket; null means "leave as is".</summary>
/// <param name="Description">The new description; changing it is idempotent (the same text twice changes nothing).</param>
public sealed record PsaTicketUpdate(
    string? Summary = null, string? StatusId = null, string? PriorityId = null, string? CompanyId = null, string? BoardId = null,
    string? Description = null);

/// <summary>A note to add to a ticket.</summary>
/// <param name="Settings">
/// The note settings chosen in Advanced Settings, by <see cref="PsaNoteSetting.Key"/> (Autotask: publish level and note type); a setting
/// missing here is left to the client's own default.
/// </param>
public sealed record PsaNoteCreate(string Text, PsaNoteVisibility Visibility, string? MemberId, IReadOnlyDictionary<string, string>? Settings = null);

/// <summary>The values a PSA offers for one note setting (<see cref="PsaProduct.NoteSettings"/>), as the tenant names them.</summary>
/// <param name="Key">The setting (<see cref="PsaNoteSetting.Key"/>).</param>
/// <param name="Values">The active values EasyConnect may write, in the PSA's order.</param>
/// <param name="Suggested">The value pre-filled before an admin chooses, and the one the client writes when none is chosen.</param>
public sealed record PsaNoteSettingChoices(string Key, IReadOnlyList<PsaChoice> Values, string? Suggested);

/// <summary>One value a PSA offers: its id and its label.</summary>
public sealed record PsaChoice(string Id, string Name);

/// <summary>Which instance of a PSA a connection talks to; two connections with different identities are different instances.</summary>
/// <param name="Kind">The PSA product.</param>
/// <param name="Key">A stable, comparable identity, as the product's <see cref="PsaProduct.Identify"/> makes it (ConnectWise: "site|companyId", lowercase).</param>
/// <param name="DisplayName">How the UI names the instance.</param>
public sealed record PsaInstanceIdentity(PsaKind Kind, string Key, string DisplayName);

/// <summary>One item of a connection test: authentication, or one permission the sync needs.</summary>
public sealed record PsaCheckItem(string Name, bool Passed, string Message) : IConnectionCheck
{
    /// <summary>Where the check stands; a finished one is Passed or Failed as <see cref="Passed"/> says, which is the default.</summary>
    public ConnectionCheckState State { get; init; } = Passed ? ConnectionCheckState.Passed : ConnectionCheckState.Failed;

    /// <summary>A check in another state than finished (waiting, running, not run).</summary>
    public static PsaCheckItem Of(string name, ConnectionCheckState state, string message) =>
        new(name, state == ConnectionCheckState.Passed, message) { State = state };
}

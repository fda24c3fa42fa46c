using EasyConnect.Sync.Connections;

namespace EasyConnect.Sync.Portal;

/// <summary>How urgent a portal ticket is.</summary>
public enum PortalPriority
{
    /// <summary>low</summary>
    Low,

    /// <summary>normal</summary>
    Normal,

    /// <summary>high</summary>
    High,

    /// <summary>urgent</summary>
    Urgent,
}

/// <summary>Where a portal ticket is in its life.</summary>
public enum PortalStatus
{
    /// <summary>new</summary>
    New,

    /// <summary>open</summary>
    Open,

    /// <summary>pending (waiting on the requester)</summary>
    Pending,

    /// <summary>hold (waiting on a third party)</summary>
    Hold,

    /// <summary>solved</summary>
    Solved,

    /// <summary>closed (can no longer be changed)</summary>
    Closed,

    /// <summary>Deleted: only the incremental export reports it, so a sync can notice the deletion.</summary>
    Deleted,
}

/// <summary>A portal ticket as the sync sees it.</summary>
/// <param name="Description">The first comment's text (read-only on the portal).</param>
/// <param name="Priority">Null when the ticket has none.</param>
/// <param name="ClusterId">The value of the connection's ClusterID custom field, trimmed; null when empty or absent.</param>
/// <param name="ExternalId">Where EasyConnect keeps the PSA ticket's id; null when unset.</param>
public sealed record PortalTicket(
    string Id,
    string Subject,
    string Description,
    PortalPriority? Priority,
    PortalStatus Status,
    string? ClusterId,
    string? ExternalId,
    string? RequesterId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// How many comments the ticket has, the description included (Zendesk's <c>comment_count</c> sideload); null when not asked
    /// for or not given. With <see cref="UpdatedAt"/> it tells EasyConnect's own last write from a comment added in the same second.
    /// </summary>
    public int? CommentCount { get; init; }
}

/// <summary>A comment of a portal ticket. Public comments are seen by the requester; private ones are internal notes.</summary>
/// <param name="AuthorEmail">Known when the portal returned the author (it is looked up with the comments).</param>
public sealed record PortalComment(
    string Id,
    string TicketId,
    string? AuthorId,
    string? AuthorEmail,
    string? AuthorName,
    string Body,
    bool Public,
    DateTimeOffset CreatedAt);

/// <summary>A portal user (an agent or an end user).</summary>
public sealed record PortalUser(string Id, string? Email, string Name);

/// <summary>One page of changed tickets.</summary>
/// <param name="Users">The requesters of these tickets and other users the portal returned with them, by id.</param>
/// <param name="Cursor">Where the next read resumes once this page is applied; store it. Null only if the portal gave none and none was passed in.</param>
/// <param name="EndOfStream">True on the last page: nothing else has changed (until new changes arrive).</param>
public sealed record PortalChangesPage(
    IReadOnlyList<PortalTicket> Tickets,
    IReadOnlyDictionary<string, PortalUser> Users,
    string? Cursor,
    bool EndOfStream);

/// <summary>One check of a connection test.</summary>
public sealed record PortalCheckItem(string Name, bool Passed, string Message) : IConnectionCheck
{
    /// <summary>Where the check stands; a finished one is Passed or Failed as <see cref="Passed"/> says, which is the default.</summary>
    public ConnectionCheckState State { get; init; } = Passed ? ConnectionCheckState.Passed : ConnectionCheckState.Failed;

    /// <summary>A check in another state than finished (waiting, running, not run).</summary>
    public static PortalCheckItem Of(string name, ConnectionCheckState state, string message) =>
        new(name, state == ConnectionCheckState.Passed, message) { State = state };
}

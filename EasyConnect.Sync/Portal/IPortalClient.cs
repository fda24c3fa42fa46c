using EasyConnect.Sync.Http;

namespace EasyConnect.Sync.Portal;

/// <summary>
/// EasyConnect's view of the Support Portal (the Zendesk Support API). Vendor types never leave the implementation;
/// callers see only the models of <c>PortalModels.cs</c> and <see cref="PortalException"/>. Ids are opaque text, as the PSA's are.
/// </summary>
public interface IPortalClient
{
    /// <summary>The portal's base URL, as the connection names it (never with credentials).</summary>
    Uri BaseUrl { get; }

    /// <summary>HTTP requests this client has sent so far, retries included.</summary>
    long ApiCalls { get; }

    /// <summary>
    /// Checks authentication and every endpoint and permission the sync needs; never throws for a failed check, only
    /// <see cref="OperationCanceledException"/> when cancelled. Each check is reported to <paramref name="progress"/>:
    /// first every planned one as waiting, then each as it runs and as it ends.
    /// </summary>
    Task<IReadOnlyList<PortalCheckItem>> TestConnectionAsync(IProgress<PortalCheckItem>? progress, CancellationToken cancellationToken);

    /// <summary>Checks authentication and every endpoint and permission the sync needs; never throws for a failed check.</summary>
    Task<IReadOnlyList<PortalCheckItem>> TestConnectionAsync(CancellationToken cancellationToken) => TestConnectionAsync(null, cancellationToken);

    /// <summary>
    /// Reads the tickets changed since <paramref name="cursor"/> (a value an earlier page returned) or, without one, since
    /// <paramref name="startTime"/>, page by page until the portal says the stream has ended. Store
    /// <see cref="PortalChangesPage.Cursor"/> once a page is applied: it is where the next read resumes.
    /// </summary>
    IAsyncEnumerable<PortalChangesPage> ReadChangedTicketsAsync(string? cursor, DateTimeOffset startTime, CancellationToken cancellationToken);

    /// <summary>One ticket, or null when it does not exist (or was deleted).</summary>
    Task<PortalTicket?> GetTicketAsync(string ticketId, CancellationToken cancellationToken);

    /// <summary>Every comment of a ticket, oldest first (the first one is the description), with author emails where known.</summary>
    Task<IReadOnlyList<PortalComment>> ListCommentsAsync(string ticketId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a private comment (an internal note) by <paramref name="authorId"/> (the API user when null). Returns the comment, whose
    /// <see cref="PortalComment.Id"/> is empty only if the portal applied it but it could not be found again. A
    /// <see cref="RemoteErrorKind.Timeout"/> means the comment may exist: list the comments before adding it again.
    /// </summary>
    Task<PortalComment> AddPrivateCommentAsync(string ticketId, string body, string? authorId, CancellationToken cancellationToken);

    /// <summary>Sets (or, with null, clears) the ticket's external id, where EasyConnect keeps the PSA ticket's id.</summary>
    Task<PortalTicket> SetExternalIdAsync(string ticketId, string? externalId, CancellationToken cancellationToken);

    /// <summary>The user with this email (compared without case), or null.</summary>
    Task<PortalUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken);
}

using EasyConnect.Sync.Http;
using EasyConnect.Sync.Portal.Zendesk.Dtos;
using Refit;

namespace EasyConnect.Sync.Portal.Zendesk;

/// <summary>The subset of the Zendesk Support API the sync uses; the base address ends before <c>/api/v2</c>.</summary>
internal interface IZendeskApi
{
    [Get("/api/v2/users/me.json")]
    Task<ZdUserResponse> GetMeAsync(CancellationToken cancellationToken);

    [Get("/api/v2/incremental/tickets/cursor.json")]
    Task<ZdIncrementalTickets> ExportTicketsAsync(
        [AliasAs("start_time")] long? startTime,
        string? cursor,
        [AliasAs("per_page")] int? perPage,
        string? include,
        CancellationToken cancellationToken);

    [Get("/api/v2/tickets/{id}.json")]
    Task<ZdTicketResponse> GetTicketAsync(long id, CancellationToken cancellationToken);

    [Get("/api/v2/tickets/{id}/comments.json")]
    Task<ZdCommentsPage> GetCommentsAsync(
        long id,
        [AliasAs("page[size]")] int pageSize,
        [AliasAs("page[after]")] string? after,
        string? include,
        CancellationToken cancellationToken);

    /// <summary>Adds a comment (Zendesk has no create-comment endpoint). Repeating it would add it twice, which
    /// <paramref name="nonIdempotent"/> (always true) tells the retry policy.</summary>
    [Put("/api/v2/tickets/{id}.json")]
    Task<ZdTicketUpdateResponse> AddCommentAsync(
        long id,
        [Body] ZdCommentUpdateRequest body,
        [Property(VendorHttp.NonIdempotentKey)] bool nonIdempotent,
        CancellationToken cancellationToken);

    [Put("/api/v2/tickets/{id}.json")]
    Task<ZdTicketUpdateResponse> SetExternalIdAsync(long id, [Body] ZdExternalIdUpdateRequest body, CancellationToken cancellationToken);

    [Get("/api/v2/users/{id}.json")]
    Task<ZdUserResponse> GetUserAsync(long id, CancellationToken cancellationToken);

    [Get("/api/v2/users/show_many.json")]
    Task<ZdUsersResponse> ShowManyUsersAsync(string ids, CancellationToken cancellationToken);

    [Get("/api/v2/users/search.json")]
    Task<ZdUsersResponse> SearchUsersAsync(string query, CancellationToken cancellationToken);

    [Get("/api/v2/ticket_fields/{id}.json")]
    Task<ZdTicketFieldResponse> GetTicketFieldAsync(long id, CancellationToken cancellationToken);
}

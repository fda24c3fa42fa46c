using System.Text.Json;
using EasyConnect.Sync.Psa.ConnectWise.Dtos;
using Refit;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>
/// ConnectWise PSA REST API 3.0, the subset EasyConnect uses, relative to <c>https://{site}/{codebase}apis/3.0</c>.
/// Records are read as raw JSON because the mirror keeps each record exactly as received.
/// </summary>
/// <remarks>List calls take a <c>pagination-type</c> header: "forward-only" asks ConnectWise for id-ordered pages linked by pageId.</remarks>
internal interface IConnectWiseApi
{
    [Get("/system/info")]
    Task<JsonElement> GetSystemInfoAsync(CancellationToken cancellationToken);

    [Get("/service/tickets")]
    Task<IApiResponse<List<JsonElement>>> GetTicketsAsync([Query] CwQuery query, [Header("pagination-type")] string? paginationType, CancellationToken cancellationToken);

    [Get("/service/tickets/count")]
    Task<CwCount> CountTicketsAsync([Query] CwCountQuery query, CancellationToken cancellationToken);

    [Get("/service/tickets/{id}")]
    Task<JsonElement> GetTicketAsync(int id, CancellationToken cancellationToken);

    [Post("/service/tickets")]
    Task<JsonElement> CreateTicketAsync([Body] CwTicketCreate ticket, CancellationToken cancellationToken);

    [Patch("/service/tickets/{id}")]
    Task<JsonElement> PatchTicketAsync(int id, [Body] IReadOnlyList<CwPatchOperation> operations, CancellationToken cancellationToken);

    [Get("/service/tickets/{id}/notes")]
    Task<IApiResponse<List<CwNote>>> GetNotesAsync(int id, [Query] CwQuery query, [Header("pagination-type")] string? paginationType, CancellationToken cancellationToken);

    [Post("/service/tickets/{id}/notes")]
    Task<CwNote> CreateNoteAsync(int id, [Body] CwNoteCreate note, CancellationToken cancellationToken);

    [Patch("/service/tickets/{id}/notes/{noteId}")]
    Task<CwNote> PatchNoteAsync(int id, int noteId, [Body] IReadOnlyList<CwPatchOperation> operations, CancellationToken cancellationToken);

    [Get("/service/tickets/{id}/configurations")]
    Task<IApiResponse<List<CwReference>>> GetTicketConfigurationsAsync(int id, [Query] CwQuery query, [Header("pagination-type")] string? paginationType, CancellationToken cancellationToken);

    [Post("/service/tickets/{id}/configurations")]
    Task<JsonElement> AttachConfigurationAsync(int id, [Body] CwReference configuration, CancellationToken cancellationToken);

    [Get("/company/configurations")]
    Task<IApiResponse<List<JsonElement>>> GetConfigurationsAsync([Query] CwQuery query, [Header("pagination-type")] string? paginationType, CancellationToken cancellationToken);

    [Get("/company/configurations/count")]
    Task<CwCount> CountConfigurationsAsync([Query] CwCountQuery query, CancellationToken cancellationToken);

    [Get("/company/companies")]
    Task<IApiResponse<List<JsonElement>>> GetCompaniesAsync([Query] CwQuery query, [Header("pagination-type")] string? paginationType, CancellationToken cancellationToken);

    [Get("/company/companies/count")]
    Task<CwCount> CountCompaniesAsync([Query] CwCountQuery query, CancellationToken cancellationToken);

    [Get("/system/members")]
    Task<IApiResponse<List<JsonElement>>> GetMembersAsync([Query] CwQuery query, [Header("pagination-type")] string? paginationType, CancellationToken cancellationToken);

    [Get("/system/members/count")]
    Task<CwCount> CountMembersAsync([Query] CwCountQuery query, CancellationToken cancellationToken);

    [Get("/service/priorities")]
    Task<IApiResponse<List<JsonElement>>> GetPrioritiesAsync([Query] CwQuery query, [Header("pagination-type")] string? paginationType, CancellationToken cancellationToken);

    [Get("/service/priorities/count")]
    Task<CwCount> CountPrioritiesAsync([Query] CwCountQuery query, CancellationToken cancellationToken);

    [Get("/service/boards")]
    Task<IApiResponse<List<JsonElement>>> GetBoardsAsync([Query] CwQuery query, [Header("pagination-type")] string? paginationType, CancellationToken cancellationToken);

    [Get("/service/boards/count")]
    Task<CwCount> CountBoardsAsync([Query] CwCountQuery query, CancellationToken cancellationToken);

    [Get("/service/boards/{boardId}/statuses")]
    Task<IApiResponse<List<JsonElement>>> GetBoardStatusesAsync(int boardId, [Query] CwQuery query, [Header("pagination-type")] string? paginationType, CancellationToken cancellationToken);

    [Get("/service/boards/{boardId}/statuses/count")]
    Task<CwCount> CountBoardStatusesAsync(int boardId, [Query] CwCountQuery query, CancellationToken cancellationToken);
}

/// <summary>The one call made before the codebase is known: it is served by the site itself, without keys.</summary>
internal interface IConnectWiseLoginApi
{
    [Get("/login/companyinfo/{companyId}")]
    Task<CwCompanyInfo> GetCompanyInfoAsync(string companyId, CancellationToken cancellationToken);
}

/// <summary>Query parameters of a list call.</summary>
internal sealed record CwQuery
{
    [AliasAs("conditions")]
    public string? Conditions { get; init; }

    [AliasAs("orderBy")]
    public string? OrderBy { get; init; }

    [AliasAs("fields")]
    public string? Fields { get; init; }

    [AliasAs("page")]
    public int? Page { get; init; }

    [AliasAs("pageSize")]
    public int? PageSize { get; init; }

    [AliasAs("pageId")]
    public int? PageId { get; init; }
}

/// <summary>Query parameters of a <c>/count</c> call.</summary>
internal sealed record CwCountQuery([property: AliasAs("conditions")] string? Conditions);

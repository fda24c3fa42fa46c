using System.Text.Json;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Psa.Halo.Dtos;
using Refit;

namespace EasyConnect.Sync.Psa.Halo;

/// <summary>
/// The HaloPSA API, the subset EasyConnect uses, relative to the resource server (<c>https://{instance}/api/</c>). Rows are read
/// as raw JSON because the mirror keeps each record as received; creates and updates are POSTs of arrays (no id creates, an id
/// updates).
/// </summary>
internal interface IHaloApi
{
    [Get("/Tickets")]
    Task<JsonElement> GetTicketsAsync([Query] HaloListQuery query, CancellationToken cancellationToken);

    [Get("/Tickets/{id}")]
    Task<JsonElement> GetTicketAsync(long id, [AliasAs("includedetails")] string includeDetails, CancellationToken cancellationToken);

    [Post("/Tickets")]
    Task<JsonElement> PostTicketsAsync([Body] JsonArray tickets, CancellationToken cancellationToken);

    [Get("/Actions")]
    Task<JsonElement> GetActionsAsync([Query] HaloActionQuery query, CancellationToken cancellationToken);

    [Post("/Actions")]
    Task<JsonElement> PostActionsAsync([Body] IReadOnlyList<HaloActionWrite> actions, CancellationToken cancellationToken);

    [Get("/Agent")]
    Task<JsonElement> GetAgentsAsync(
        [AliasAs("includeenabled")] string includeEnabled, [AliasAs("includedisabled")] string includeDisabled, CancellationToken cancellationToken);

    [Get("/Agent/me")]
    Task<JsonElement> GetMeAsync(CancellationToken cancellationToken);

    [Get("/Client")]
    Task<JsonElement> GetClientsAsync([Query] HaloListQuery query, CancellationToken cancellationToken);

    [Get("/Site")]
    Task<JsonElement> GetSitesAsync([Query] HaloListQuery query, CancellationToken cancellationToken);

    [Get("/Asset")]
    Task<JsonElement> GetAssetsAsync([Query] HaloListQuery query, CancellationToken cancellationToken);

    [Get("/Priority")]
    Task<JsonElement> GetPrioritiesAsync(CancellationToken cancellationToken);

    [Get("/Status")]
    Task<JsonElement> GetStatusesAsync(CancellationToken cancellationToken);

    [Get("/Team")]
    Task<JsonElement> GetTeamsAsync(
        [AliasAs("type")] string type, [AliasAs("includeenabled")] string includeEnabled, [AliasAs("includedisabled")] string includeDisabled,
        CancellationToken cancellationToken);
}

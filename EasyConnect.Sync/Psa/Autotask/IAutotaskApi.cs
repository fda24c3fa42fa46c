using System.Text.Json;
using System.Text.Json.Nodes;
using EasyConnect.Sync.Psa.Autotask.Dtos;
using Refit;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>
/// Autotask PSA REST API (ATServicesRest V1.0), the subset EasyConnect uses, relative to the zone's REST base
/// (<c>https://webservices5.autotask.net/atservicesrest</c>). Rows are read as raw JSON because the mirror keeps each record as received.
/// </summary>
internal interface IAutotaskApi
{
    [Post("/V1.0/{entity}/query")]
    Task<AtQueryResult> QueryAsync(string entity, [Body] JsonObject query, CancellationToken cancellationToken);

    [Post("/V1.0/{entity}/query/count")]
    Task<AtQueryCount> CountAsync(string entity, [Body] JsonObject query, CancellationToken cancellationToken);

    [Get("/V1.0/{entity}/{id}")]
    Task<AtItem> GetAsync(string entity, long id, CancellationToken cancellationToken);

    [Post("/V1.0/{entity}")]
    Task<AtItemId> CreateAsync(string entity, [Body] JsonObject record, CancellationToken cancellationToken);

    // Autotask updates on the collection path; the body carries the id and only the changed fields.
    [Patch("/V1.0/{entity}")]
    Task<AtItemId> PatchAsync(string entity, [Body] JsonObject changes, CancellationToken cancellationToken);

    // Autotask names a note's author from the impersonated resource; null leaves the connection's own setting.
    [Post("/V1.0/Tickets/{ticketId}/Notes")]
    Task<AtItemId> CreateTicketNoteAsync(
        long ticketId, [Body] JsonObject note, [Header("ImpersonationResourceId")] string? impersonate, CancellationToken cancellationToken);

    [Get("/V1.0/{entity}/entityInformation/fields")]
    Task<AtFieldsResult> GetFieldsAsync(string entity, CancellationToken cancellationToken);

    [Get("/V1.0/ThresholdInformation")]
    Task<JsonElement> GetThresholdInformationAsync(CancellationToken cancellationToken);
}

/// <summary>The zone lookup, relative to the discovery base (<c>https://webservices.autotask.net/ATServicesRest</c>); it needs no credentials.</summary>
internal interface IAutotaskZoneApi
{
    [Get("/V1.0/ZoneInformation")]
    Task<AtZoneInformation> GetZoneInformationAsync([Query] string user, CancellationToken cancellationToken);
}

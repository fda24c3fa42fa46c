using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa.Autotask.Dtos;
using Refit;
using static EasyConnect.Sync.Http.LenientJsonElement;
using static EasyConnect.Sync.Psa.Autotask.AutotaskRecords;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>EasyConnect's <see cref="IPsaClient"/> over the Autotask REST API; made by <see cref="AutotaskClientFactory"/>.</summary>
internal sealed partial class AutotaskClient : IPsaClient
{
    private const string Tickets = "Tickets", TicketNotes = "TicketNotes", Companies = "Companies", ConfigurationItems = "ConfigurationItems", Resources = "Resources",
        DeletedTicketLogs = "DeletedTicketLogs";

    private readonly AutotaskCredentials _credentials;
    private readonly AutotaskOptions _options;
    private readonly Uri _discovery;
    private readonly IApiCallGate _gate;
    private readonly ApiCallCounter _counter;
    private readonly IHttpMessageHandlerFactory _handlers;
    private readonly ConcurrentDictionary<string, AtZoneInformation> _zones;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _zoneGate = new(1, 1);
    private readonly string _zoneKey;
    private readonly PsaInstanceIdentity _provisional;
    private Zone? _zone;

    public AutotaskClient(
        AutotaskCredentials credentials, AutotaskOptions options, Uri discovery, IApiCallGate gate, ApiCallCounter counter,
        IHttpMessageHandlerFactory handlers, ConcurrentDictionary<string, AtZoneInformation> zones, TimeProvider time, int maxConcurrency)
    {
        _credentials = credentials;
        _options = options;
        _discovery = discovery;
        _gate = gate;
        _counter = counter;
        _handlers = handlers;
        _zones = zones;
        _time = time;
        MaxConcurrency = maxConcurrency;
        _provisional = credentials.Identity;
        // A user name is looked up per lookup address: the sandbox's user is not the real Autotask's.
        _zoneKey = discovery.AbsoluteUri + "|" + credentials.ZoneKey;
    }

    public PsaKind Kind => PsaKind.Autotask;

    /// <summary>
    /// The zone and database id the zone lookup named, once it has answered; before that the provisional identity the user name
    /// gives. Test connection looks the zone up first, so the identity it reports is the database's.
    /// </summary>
    public PsaInstanceIdentity Identity => _zone?.Instance ?? _provisional;

    public long ApiCalls => _counter.Count;

    public int MaxConcurrency { get; }

    public async IAsyncEnumerable<IReadOnlyList<IPsaRecord>> ReadAsync(
        PsaEntity entity, DateTimeOffset? modifiedAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Picklist(entity) is { } picklist)
        {
            yield return await PicklistAsync(entity, picklist, cancellationToken);
            yield break;
        }

        var (name, stamp, map, op) = Source(entity);
        await foreach (var page in QueryPagesAsync(name, Changed(entity, stamp, modifiedAfter), op, cancellationToken))
        {
            yield return page.Select(map).ToList();
        }
    }

    public async IAsyncEnumerable<IReadOnlyList<string>> ReadDeletedAsync(
        PsaEntity entity, DateTimeOffset deletedAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (entity != PsaEntity.Tickets)
        {
            throw new NotSupportedException($"Autotask keeps no log of deleted {entity}.");
        }

        // Tickets have no DELETE in the API; one deleted in the UI leaves a row in DeletedTicketLogs, stamped deletedDateTime.
        var op = Op("read deleted tickets", "Deleted Ticket Logs");
        await foreach (var page in QueryPagesAsync(DeletedTicketLogs, AutotaskFilter.Gt("deletedDateTime", deletedAfter), op, cancellationToken))
        {
            yield return page.Select(e => Long(e, "ticketID")).Where(id => id is not null)
                .Select(id => id!.Value.ToString(CultureInfo.InvariantCulture)).Distinct(StringComparer.Ordinal).ToList();
        }
    }

    public async Task<int> CountAsync(PsaEntity entity, DateTimeOffset? modifiedAfter, CancellationToken cancellationToken)
    {
        if (Picklist(entity) is { } picklist)
        {
            return (await PicklistAsync(entity, picklist, cancellationToken)).Count;
        }

        var (name, stamp, _, op) = Source(entity);
        var count = await CallAsync(op with { What = "count " + op.What["read ".Length..] },
            api => api.CountAsync(name, AutotaskQuery.Of(Changed(entity, stamp, modifiedAfter)), cancellationToken), cancellationToken);
        return count.QueryCount ?? throw AutotaskErrors.EmptyAnswer(op, "a count");
    }

    /// <summary>
    /// The database's requests in the rolling hour, by every integration (ThresholdInformation), for the API budget: it slows
    /// EasyConnect down when others spend the tenant's hour.
    /// </summary>
    internal async Task<Budget.TenantApiUsage> ReadTenantUsageAsync(CancellationToken cancellationToken)
    {
        var op = Op("read the API usage of the hour", "");
        var answer = await CallAsync(op, async api => (object)await api.GetThresholdInformationAsync(cancellationToken), cancellationToken);
        var usage = ((JsonElement)answer).Deserialize<AtThresholdInformation>(AutotaskClientFactory.Json);
        return usage is { ExternalRequestThreshold: > 0 and var threshold, CurrentTimeframeRequestCount: >= 0 and var used }
            ? new(threshold, used)
            : throw AutotaskErrors.EmptyAnswer(op, "the threshold and the count");
    }

    /// <summary>
    /// The condition of a read: changed after the time where the entity has a stamp, otherwise every row (Autotask wants one condition).
    /// A ticket's note moves only its lastActivityDate, not lastTrackedModificationDateTime: a ticket changed when either moved.
    /// </summary>
    private static AutotaskFilter Changed(PsaEntity entity, string? stamp, DateTimeOffset? modifiedAfter) =>
        stamp is null || modifiedAfter is not { } after ? AutotaskFilter.Gte("id", 0)
        : entity == PsaEntity.Tickets ? AutotaskFilter.Or(AutotaskFilter.Gt(stamp, after), AutotaskFilter.Gt(TicketActivityStamp, after))
        : AutotaskFilter.Gt(stamp, after);

    private static (string Entity, string? Stamp, Func<JsonElement, IPsaRecord> Map, RemoteOperation Op) Source(PsaEntity entity) => entity switch
    {
        // The watermark fields differ per entity: …ModificationDateTime, …ModifiedDateTime, lastModifiedTime; Resources have none.
        PsaEntity.Tickets => (Tickets, "lastTrackedModificationDateTime", e => ToTicket(e), Op("read tickets", "Tickets")),
        PsaEntity.Companies => (Companies, "lastTrackedModifiedDateTime", ToCompany, Op("read companies", "Companies")),
        PsaEntity.Configurations => (ConfigurationItems, "lastModifiedTime", ToConfiguration, Op("read configuration items", "Configuration Items")),
        PsaEntity.Members => (Resources, null, ToMember, Op("read resources", "Resources")),
        _ => throw new ArgumentOutOfRangeException(nameof(entity), entity, null),
    };

    // Queues, statuses and priorities are picklists of the Tickets entity, not entities of their own.
    private static string? Picklist(PsaEntity entity) => entity switch
    {
        PsaEntity.Boards => "queueID",
        PsaEntity.Statuses => "status",
        PsaEntity.Priorities => "priority",
        _ => null,
    };

    private async Task<IReadOnlyList<IPsaRecord>> PicklistAsync(PsaEntity entity, string field, CancellationToken cancellationToken)
    {
        var fields = await FieldsAsync(Tickets, cancellationToken);
        return ActiveValues(fields, field).Select<(AtPicklistValue Value, JsonElement Raw), IPsaRecord>(v => entity switch
        {
            PsaEntity.Boards => ToBoard(v.Value, v.Raw),
            PsaEntity.Statuses => ToStatus(v.Value, v.Raw),
            _ => ToPriority(v.Value, v.Raw),
        }).ToList();
    }

    private async Task<AtFieldsResult> FieldsAsync(string entity, CancellationToken cancellationToken)
    {
        var op = Op($"read the fields of {entity}", entity);
        var fields = await CallAsync(op, api => api.GetFieldsAsync(entity, cancellationToken), cancellationToken);
        return fields.Fields is null ? throw AutotaskErrors.EmptyAnswer(op, "its fields") : fields;
    }

    /// <summary>
    /// Every page of a query, 500 rows each, following <c>nextPageUrl</c> until it is null. A next page that repeats one
    /// already read, follows an empty page, or does not move on by id (Autotask sorts by id) stops the read as a failure:
    /// a loop must never be read as more rows, nor a truncated read as the end.
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<JsonElement>> QueryPagesAsync(
        string entity, AutotaskFilter filter, RemoteOperation op, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = await CallAsync(op, api => api.QueryAsync(entity, AutotaskQuery.Of(filter, _options.PageSize), cancellationToken), cancellationToken);
        var followed = new HashSet<string>(StringComparer.Ordinal);
        long? lastId = null;
        for (var pages = 1; ; pages++)
        {
            var items = page.Items ?? throw AutotaskErrors.EmptyAnswer(op, "its items");
            var ids = items.Select(i => Long(i, "id")).ToList();
            if (ids.Count > 0 && lastId is { } previous && ids.Min() <= previous)
            {
                throw Loop(op, "a page that did not move on from the rows already read");
            }

            lastId = ids.Count > 0 ? ids.Max() : lastId;
            yield return items;
            var next = page.PageDetails?.NextPageUrl;
            if (string.IsNullOrWhiteSpace(next))
            {
                yield break;
            }

            if (items.Count == 0)
            {
                throw Loop(op, "an empty page that still pointed to a next one");
            }

            if (!followed.Add(next) || pages >= _options.MaxPages)
            {
                throw Loop(op, pages >= _options.MaxPages ? $"more than {_options.MaxPages} pages" : "a next page it had already sent");
            }

            page = await NextPageAsync(op, next, cancellationToken);
        }
    }

    private static PsaException Loop(RemoteOperation op, string what) =>
        new(RemoteErrorKind.Unavailable, $"Autotask answered the request to {op.What} with {what}; the read was stopped and will be tried again.");

    private async Task<AtQueryResult> NextPageAsync(RemoteOperation op, string next, CancellationToken cancellationToken)
    {
        var zone = await ZoneAsync(cancellationToken);
        // The credentials go with the request: follow a next page only on the zone's own host.
        if (!Uri.TryCreate(zone.Base, next, out var url) || !string.Equals(url.GetLeftPart(UriPartial.Authority), zone.Base.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            throw new PsaException(RemoteErrorKind.Unavailable, $"Autotask answered the request to {op.What} with a next page on another host; the read was stopped.");
        }

        return await RawAsync(op, async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await zone.Http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw await ApiException.Create(request, HttpMethod.Get, response, AutotaskClientFactory.Refit);
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<AtQueryResult>(text, AutotaskClientFactory.Json);
        }, cancellationToken);
    }

    /// <summary>
    /// One call against the zone's API. A 404, or a 500 without Autotask's messages, may mean the database moved to another
    /// zone: the zone is looked up again once, and the call repeated there if it did move.
    /// </summary>
    private async Task<T> CallAsync<T>(RemoteOperation op, Func<IAutotaskApi, Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        var zone = await ZoneAsync(cancellationToken);
        try
        {
            return await RawAsync(op, async () => (T?)await call(zone.Api), cancellationToken);
        }
        catch (PsaException e) when (e.StatusCode == 404 || (e.StatusCode == 500 && e.Kind == RemoteErrorKind.Unavailable))
        {
            var moved = await RefreshZoneAsync(zone, cancellationToken);
            if (moved is null)
            {
                throw;
            }

            return await RawAsync(op, async () => (T?)await call(moved.Api), cancellationToken);
        }
    }

    /// <summary>Maps failures to <see cref="PsaException"/>; a 2xx without a body is a failure, never an empty result.</summary>
    private static async Task<T> RawAsync<T>(RemoteOperation op, Func<Task<T?>> call, CancellationToken cancellationToken)
        where T : class
    {
        T? result;
        try
        {
            result = await call();
        }
        catch (Exception e) when (e is not PsaException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw AutotaskErrors.MapFailure(op, e);
        }

        return result ?? throw AutotaskErrors.EmptyAnswer(op, "a body");
    }

    private static RemoteOperation Op(string what, string permission, bool write = false) => new(what, permission, write);

    private static long ParseId(string id, string what) =>
        long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new PsaException(RemoteErrorKind.ValidationFailed, $"\"{id}\" is not an Autotask {what} id.", what);

    private sealed record Zone(Uri Base, string Name, IAutotaskApi Api, HttpClient Http, PsaInstanceIdentity Instance);

    /// <summary>The zone of the API user; <paramref name="fresh"/> asks the lookup again rather than trusting what this process found before.</summary>
    private async Task<Zone> ZoneAsync(CancellationToken cancellationToken, bool fresh = false)
    {
        if (!fresh && _zone is { } ready)
        {
            return ready;
        }

        await _zoneGate.WaitAsync(cancellationToken);
        try
        {
            if (!fresh && _zone is { } raced)
            {
                return raced;
            }

            var info = !fresh && _zones.TryGetValue(_zoneKey, out var cached) ? cached : await DiscoverAsync(cancellationToken);
            _zones[_zoneKey] = info;
            return _zone = ZoneOf(info);
        }
        finally
        {
            _zoneGate.Release();
        }
    }

    /// <summary>Looks the zone up again after an answer that may mean it moved; the new zone, or null when it did not move.</summary>
    private async Task<Zone?> RefreshZoneAsync(Zone stale, CancellationToken cancellationToken)
    {
        await _zoneGate.WaitAsync(cancellationToken);
        try
        {
            if (_zone is { } current && current.Base != stale.Base)
            {
                return current;
            }

            AtZoneInformation info;
            try
            {
                info = await DiscoverAsync(cancellationToken);
            }
            catch (PsaException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            var fresh = ZoneOf(info);
            if (fresh.Base == stale.Base)
            {
                return null;
            }

            _zones[_zoneKey] = info;
            return _zone = fresh;
        }
        finally
        {
            _zoneGate.Release();
        }
    }

    private async Task<AtZoneInformation> DiscoverAsync(CancellationToken cancellationToken)
    {
        var user = _credentials.UserName.Trim();
        var op = Op($"find the Autotask zone of the API user \"{user}\"", "");
        var api = RestService.For<IAutotaskZoneApi>(HttpClient(_discovery, authenticated: false), AutotaskClientFactory.Refit);
        AtZoneInformation info;
        try
        {
            info = await RawAsync(op, async () => (AtZoneInformation?)await api.GetZoneInformationAsync(user, cancellationToken), cancellationToken);
        }
        catch (PsaException e) when (e.Kind is RemoteErrorKind.NotFound or RemoteErrorKind.ValidationFailed or RemoteErrorKind.AuthenticationFailed)
        {
            throw UnknownUser(user, e.StatusCode, e);
        }

        if (!Uri.TryCreate(info.Url?.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            throw UnknownUser(user, null, null);
        }

        // The database id is the instance's identity: without it two databases could not be told apart.
        return info.Ci is null
            ? throw new PsaException(RemoteErrorKind.Unavailable, $"Autotask's zone lookup for the API user \"{user}\" named no database id (ci); try again later.")
            : info;
    }

    private static PsaException UnknownUser(string user, int? status, Exception? inner) =>
        new(RemoteErrorKind.AuthenticationFailed, $"Autotask does not know the API user \"{user}\": check the user name.", AutotaskProduct.UserName, status, inner);

    private Zone ZoneOf(AtZoneInformation info)
    {
        var root = new Uri(info.Url!.Trim().TrimEnd('/'));
        var http = HttpClient(root, authenticated: true);
        var name = string.IsNullOrWhiteSpace(info.ZoneName) ? root.Host : info.ZoneName.Trim();
        return new(root, name, RestService.For<IAutotaskApi>(http, AutotaskClientFactory.Refit), http, AutotaskProduct.InstanceOf(root, name, info.Ci!.Value));
    }

    private HttpClient HttpClient(Uri baseAddress, bool authenticated)
    {
        HttpMessageHandler handler = new VendorConnectionHandler(_counter, _gate) { InnerHandler = _handlers.CreateHandler(AutotaskClientFactory.HttpClientName) };
        if (authenticated)
        {
            handler = new AutotaskAuthHandler(_credentials) { InnerHandler = handler };
        }

        // Timeouts come from the resilience pipeline; HttpClient's own 100 s would cut it short.
        return new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }
}

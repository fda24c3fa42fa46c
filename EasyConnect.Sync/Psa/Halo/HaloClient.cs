using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa.Halo.Dtos;
using Refit;
using static EasyConnect.Sync.Http.LenientJsonElement;
using static EasyConnect.Sync.Psa.Halo.HaloRecords;

namespace EasyConnect.Sync.Psa.Halo;

/// <summary>EasyConnect's <see cref="IPsaClient"/> over the HaloPSA API; made by <see cref="HaloClientFactory"/>.</summary>
internal sealed partial class HaloClient : IPsaClient
{
    private readonly HaloCredentials _credentials;
    private readonly HaloOptions _options;
    private readonly HaloTokenSource _tokens;
    private readonly IHaloApi _api;
    private readonly ApiCallCounter _counter;
    private readonly TimeProvider _time;
    private readonly HttpClient _tokenHttp;

    public HaloClient(
        HaloCredentials credentials, HaloOptions options, HaloTokenSource tokens, IHaloApi api, HttpClient tokenHttp, ApiCallCounter counter, TimeProvider time,
        int maxConcurrency)
    {
        _tokenHttp = tokenHttp;
        _credentials = credentials;
        _options = options;
        _tokens = tokens;
        _api = api;
        _counter = counter;
        _time = time;
        MaxConcurrency = maxConcurrency;
        Identity = credentials.Identity;
    }

    public PsaKind Kind => PsaKind.Halo;

    public PsaInstanceIdentity Identity { get; }

    public long ApiCalls => _counter.Count;

    public int MaxConcurrency { get; }

    public async IAsyncEnumerable<IReadOnlyList<IPsaRecord>> ReadAsync(
        PsaEntity entity, DateTimeOffset? modifiedAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Paged(entity) is { } paged)
        {
            IReadOnlyDictionary<string, string>? slaBySite = null;
            await foreach (var page in PagedReadAsync(paged, modifiedAfter, cancellationToken))
            {
                // A client carries no SLA: its main site does, and a new ticket of the client takes its main site and that SLA. An
                // incremental read that only got the rows at its bound again (Halo's lastupdatefromdate includes it) reads no sites:
                // the mirror writes such a row only if it changed, and then it carries a later stamp.
                if (entity == PsaEntity.Companies && page.Count > 0
                    && (modifiedAfter is null || slaBySite is not null || page.Any(e => ToCompany(e).LastModified > modifiedAfter)))
                {
                    slaBySite ??= await SiteSlasAsync(cancellationToken);
                    var sites = slaBySite;
                    yield return page.Select(e => (IPsaRecord)(ToCompany(e) with
                    {
                        PriorityScopeId = Text(e, "main_site_id") is { } site ? sites.GetValueOrDefault(site) : null,
                    })).ToList();
                    continue;
                }

                yield return page.Select(paged.Map).ToList();
            }

            yield break;
        }

        yield return await WholeAsync(entity, cancellationToken);
    }

    public async Task<int> CountAsync(PsaEntity entity, DateTimeOffset? modifiedAfter, CancellationToken cancellationToken)
    {
        if (Paged(entity) is not { } paged)
        {
            return (await WholeAsync(entity, cancellationToken)).Count;
        }

        var op = paged.Op with { What = "count " + paged.Op.What["read ".Length..] };
        var answer = await CallAsync(op, api => paged.Get(api, Query(paged, 1, 1, descending: false, modifiedAfter), cancellationToken), cancellationToken);
        return (int)(Long(answer, "record_count") ?? throw HaloErrors.EmptyAnswer(op, "its record_count"));
    }

    /// <summary>An entity Halo pages by offset (<c>pageinate</c>, <c>page_size</c>, <c>page_no</c>) and filters by last update.</summary>
    private sealed record PagedSource(
        string Rows, string Noun, Func<IHaloApi, HaloListQuery, CancellationToken, Task<JsonElement>> Get, Func<JsonElement, IPsaRecord> Map,
        RemoteOperation Op, bool IncludeInactive = false, bool AssetFields = false);

    private static PagedSource? Paged(PsaEntity entity) => entity switch
    {
        PsaEntity.Tickets => new("tickets", "tickets", (api, q, ct) => api.GetTicketsAsync(q, ct), e => ToTicket(e), Op("read tickets", "Tickets: read")),
        // Inactive clients and assets are read too: the mirror keeps them, marked inactive, rather than taking them as deleted.
        PsaEntity.Companies => new("clients", "clients", (api, q, ct) => api.GetClientsAsync(q, ct), ToCompany, Op("read clients", "Customers: read"), IncludeInactive: true),
        PsaEntity.Configurations => new("assets", "assets", (api, q, ct) => api.GetAssetsAsync(q, ct), ToConfiguration, Op("read assets", "Assets: read"),
            IncludeInactive: true, AssetFields: true),
        _ => null,
    };

    /// <summary>The SLA of every site (inactive ones too) by site id; a site without an SLA (0) is left out.</summary>
    private async Task<IReadOnlyDictionary<string, string>> SiteSlasAsync(CancellationToken cancellationToken)
    {
        var sites = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var page in PagedReadAsync(SiteSource, null, cancellationToken))
        {
            foreach (var site in page)
            {
                if (Text(site, "sla_id") is { } sla && sla != "0" && sla.Length > 0)
                {
                    sites[IdOf(site)] = sla;
                }
            }
        }

        return sites;
    }

    private static readonly PagedSource SiteSource =
        new("sites", "sites", (api, q, ct) => api.GetSitesAsync(q, ct), e => throw new NotSupportedException(), Op("read sites", "Customers: read"), IncludeInactive: true);

    private async Task<IReadOnlyList<IPsaRecord>> WholeAsync(PsaEntity entity, CancellationToken cancellationToken)
    {
        var (rows, op, call, map) = entity switch
        {
            PsaEntity.Members => ("agents", Op("read agents", "Agents: read"),
                (Func<IHaloApi, Task<JsonElement>>)(api => api.GetAgentsAsync("true", "true", cancellationToken)), (Func<JsonElement, IPsaRecord>)ToMember),
            PsaEntity.Boards => ("teams", Op("read teams", "Teams: read"), api => api.GetTeamsAsync("reqs", "true", "true", cancellationToken), ToBoard),
            PsaEntity.Statuses => ("statuses", Op("read statuses", "Tickets: read"), api => api.GetStatusesAsync(cancellationToken), ToStatus),
            PsaEntity.Priorities => ("priorities", Op("read priorities", "SLAs: read"), api => api.GetPrioritiesAsync(cancellationToken), ToPriority),
            _ => throw new ArgumentOutOfRangeException(nameof(entity), entity, null),
        };
        var answer = await CallAsync(op, call, cancellationToken);
        var list = Rows(answer, rows) ?? throw HaloErrors.EmptyAnswer(op, $"its {rows}");
        // Two SLAs may answer the same priority row twice when asked without an SLA; one row per id.
        return list.Where(e => e.ValueKind == JsonValueKind.Object).Select(map).DistinctBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Every row of a paged entity, without losing one to rows that move while it is read. Halo pages by offset: a row deleted (or,
    /// in a filtered read, one that drops out) on a page already read moves every later row one place up, and the row at the
    /// boundary is never seen. So a read goes by id (new rows land after the rows already read and move nothing), and a pass counts
    /// on what Halo reports: a full pass is settled when the last record_count equals the count at its start plus the rows created
    /// since (ids above the highest one at the start), so nothing left the set while it was read; a filtered pass when every page
    /// reported the same record_count and no row came twice. An unsettled pass is read once more (the upserts make rows read twice
    /// harmless); a second unsettled pass fails the read, so a full sync never takes a row that only moved as deleted.
    /// </summary>
    private async IAsyncEnumerable<IReadOnlyList<JsonElement>> PagedReadAsync(
        PagedSource source, DateTimeOffset? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var pass = 1; ; pass++)
        {
            var state = new PassState();
            await foreach (var page in PassAsync(source, after, state, cancellationToken))
            {
                yield return page;
            }

            if (state.Settled)
            {
                yield break;
            }

            if (pass >= 2)
            {
                throw new PsaException(RemoteErrorKind.Unavailable,
                    $"HaloPSA's {source.Noun} changed while EasyConnect read them page by page, in two reads running; the read was stopped so that " +
                    "no row is taken for deleted because it moved between pages, and will be tried again.");
            }
        }
    }

    private sealed class PassState
    {
        public bool Settled { get; set; }
    }

    private async IAsyncEnumerable<IReadOnlyList<JsonElement>> PassAsync(
        PagedSource source, DateTimeOffset? after, PassState state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var size = _options.PageSize;
        var full = after is null;
        long highestAtStart = 0;
        long countAtStart = 0;
        if (full)
        {
            // The first page newest first: the highest id and the count at the start, and, when everything fits, the whole read.
            var (first, total) = await PageAsync(source, 1, size, descending: true, null, cancellationToken);
            if (total <= size && first.Count == total)
            {
                state.Settled = true;
                yield return first.OrderBy(Id).ToList();
                yield break;
            }

            highestAtStart = first.Count == 0 ? 0 : first.Max(Id);
            countAtStart = total;
        }

        var seen = new HashSet<long>();
        var counts = new HashSet<long>();
        var repeated = false;
        long last = 0;
        for (var pageNo = 1; ; pageNo++)
        {
            if (pageNo > _options.MaxPages)
            {
                throw new PsaException(RemoteErrorKind.Unavailable,
                    $"HaloPSA answered the request to {source.Op.What} with more than {_options.MaxPages} pages; the read was stopped and will be tried again.");
            }

            var (rows, total) = await PageAsync(source, pageNo, size, descending: false, after, cancellationToken);
            counts.Add(total);
            last = total;
            var fresh = rows.Where(r => seen.Add(Id(r))).ToList();
            repeated |= fresh.Count < rows.Count;
            if (fresh.Count > 0)
            {
                yield return fresh;
            }

            if (rows.Count < size || (long)pageNo * size >= total)
            {
                break;
            }
        }

        state.Settled = !repeated && (full ? last == countAtStart + seen.Count(id => id > highestAtStart) : counts.Count <= 1);
    }

    private async Task<(IReadOnlyList<JsonElement> Rows, long Total)> PageAsync(
        PagedSource source, int pageNo, int size, bool descending, DateTimeOffset? after, CancellationToken cancellationToken)
    {
        var answer = await CallAsync(source.Op, api => source.Get(api, Query(source, pageNo, size, descending, after), cancellationToken), cancellationToken);
        var rows = Rows(answer, source.Rows) ?? throw HaloErrors.EmptyAnswer(source.Op, $"its {source.Rows}");
        // Without record_count an offset read cannot tell its last page from a short one.
        var total = Long(answer, "record_count") ?? throw HaloErrors.EmptyAnswer(source.Op, "its record_count");
        return (rows.Where(r => r.ValueKind == JsonValueKind.Object).ToList(), total);
    }

    private static HaloListQuery Query(PagedSource source, int pageNo, int size, bool descending, DateTimeOffset? after) => new()
    {
        Paginate = "true",
        PageSize = size,
        PageNo = pageNo,
        Order = "id",
        OrderDesc = HaloListQuery.Flag(descending),
        LastUpdateFrom = after is { } a ? Stamp(a) : null,
        IncludeInactive = source.IncludeInactive ? "true" : null,
        IncludeAssetFields = source.AssetFields ? "true" : null,
    };

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static long Id(JsonElement row) => Long(row, "id") ?? throw new JsonException("A Halo record has no id.", "$.id", null, null);

    /// <summary>One API call; failures become <see cref="PsaException"/>, and a 2xx without a body is a failure, never an empty result.</summary>
    private async Task<JsonElement> CallAsync(RemoteOperation op, Func<IHaloApi, Task<JsonElement>> call, CancellationToken cancellationToken)
    {
        JsonElement answer;
        try
        {
            answer = await call(_api);
        }
        catch (PsaException)
        {
            throw;
        }
        catch (ApiRequestException e) when (e.InnerException is PsaException)
        {
            // The sign-in failed inside the pipeline: its own words, not "could not be reached".
            throw e.InnerException;
        }
        catch (Exception e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw HaloErrors.MapFailure(op, e);
        }

        return answer.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? throw HaloErrors.EmptyAnswer(op, "a body") : answer;
    }

    private static RemoteOperation Op(string what, string permission, bool write = false) => new(what, permission, write);

    private static long ParseId(string id, string what) =>
        long.TryParse(id, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new PsaException(RemoteErrorKind.ValidationFailed, $"\"{id}\" is not a HaloPSA {what} id.", what);
}

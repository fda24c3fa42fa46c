using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa.ConnectWise.Dtos;
using Refit;
using static EasyConnect.Sync.Psa.ConnectWise.ConnectWiseErrors;
using static EasyConnect.Sync.Psa.ConnectWise.ConnectWiseRecords;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>EasyConnect's <see cref="IPsaClient"/> over the ConnectWise PSA REST API; made by <see cref="ConnectWiseClientFactory"/>.</summary>
internal sealed partial class ConnectWiseClient : IPsaClient
{
    private const string ByIdOrder = "id asc";
    // Ties on ConnectWise's whole-second lastUpdated are broken by id, which makes the order total and keyset paging exact.
    private const string ByModifiedOrder = "lastUpdated asc, id asc";

    private readonly ConnectWiseCredentials _credentials;
    private readonly ConnectWiseOptions _options;
    private readonly IApiCallGate _gate;
    private readonly ApiCallCounter _counter;
    private readonly IHttpMessageHandlerFactory _handlers;
    private readonly ConcurrentDictionary<string, string> _codebases;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _apiGate = new(1, 1);
    private IConnectWiseApi? _api;

    public ConnectWiseClient(
        ConnectWiseCredentials credentials, ConnectWiseOptions options, IApiCallGate gate, ApiCallCounter counter,
        IHttpMessageHandlerFactory handlers, ConcurrentDictionary<string, string> codebases, TimeProvider time, int maxConcurrency)
    {
        MaxConcurrency = maxConcurrency;
        _credentials = credentials;
        _options = options;
        _gate = gate;
        _counter = counter;
        _handlers = handlers;
        _codebases = codebases;
        _time = time;
        Identity = credentials.Identity;
    }

    public PsaKind Kind => PsaKind.ConnectWise;

    public PsaInstanceIdentity Identity { get; }

    public long ApiCalls => _counter.Count;

    public int MaxConcurrency { get; }

    public async Task<IReadOnlyList<PsaCheckItem>> TestConnectionAsync(IProgress<PsaCheckItem>? progress, CancellationToken cancellationToken)
    {
        const string reach = "Reach ConnectWise", signIn = "Authentication", tickets = "Service tickets: inquire", notes = "Ticket notes: inquire";
        const string companies = "Companies: inquire", configurations = "Configurations: inquire", members = "Members: inquire";
        const string boards = "Service boards: inquire", statuses = "Board statuses: inquire", priorities = "Priorities: inquire";
        // Notes and statuses are checked only when there is a ticket or board to read them of, so they join the list when they start.
        var checks = new PsaCheckList(progress, [reach, signIn, tickets, companies, configurations, members, boards, priorities], cancellationToken);
        IConnectWiseApi api;
        checks.Start(reach);
        try
        {
            api = await ApiAsync(cancellationToken);
            checks.Done(new(reach, true, $"Found company \"{_credentials.CompanyId}\" at {_credentials.SiteBaseUri.Authority}."));
        }
        catch (PsaException e) when (!cancellationToken.IsCancellationRequested)
        {
            checks.Done(new(reach, false, e.Message));
            return checks.Items;
        }

        checks.Start(signIn);
        try
        {
            await Call(Op("sign in"), () => api.GetSystemInfoAsync(cancellationToken), cancellationToken);
            checks.Done(new(signIn, true, "ConnectWise accepted the API keys and the client id."));
        }
        catch (PsaException e) when (e.Kind is not RemoteErrorKind.PermissionMissing && !cancellationToken.IsCancellationRequested)
        {
            checks.Done(new(signIn, false, e.Message));
            return checks.Items;
        }
        catch (PsaException) when (!cancellationToken.IsCancellationRequested)
        {
            // system/info needs no role permission on most versions; a 403 still proves the keys were accepted.
            checks.Done(new(signIn, true, "ConnectWise accepted the API keys and the client id."));
        }

        var one = new CwQuery { PageSize = 1, Fields = "id" };
        int? firstTicket = null;
        int? firstBoard = null;
        await checks.CheckAsync(tickets, async () =>
        {
            var page = await List(Op("read service tickets", "Service Desk > Service Tickets"), () => api.GetTicketsAsync(one, null, cancellationToken), cancellationToken);
            firstTicket = page.Items.Select(e => (int?)IdOf(e)).FirstOrDefault();
        });
        if (firstTicket is { } ticketId)
        {
            await checks.CheckAsync(notes, () => List(Op("read ticket notes", "Service Desk > Service Tickets"), () => api.GetNotesAsync(ticketId, one, null, cancellationToken), cancellationToken));
        }

        await checks.CheckAsync(companies, () => List(Op("read companies", "Companies > Company Maintenance"), () => api.GetCompaniesAsync(one, null, cancellationToken), cancellationToken));
        await checks.CheckAsync(configurations, () => List(Op("read configurations", "Companies > Configurations"), () => api.GetConfigurationsAsync(one, null, cancellationToken), cancellationToken));
        await checks.CheckAsync(members, () => List(Op("read members", "System > Member Maintenance"), () => api.GetMembersAsync(one, null, cancellationToken), cancellationToken));
        await checks.CheckAsync(boards, async () =>
        {
            var page = await List(Op("read service boards", "System > Table Setup"), () => api.GetBoardsAsync(one, null, cancellationToken), cancellationToken);
            firstBoard = page.Items.Select(e => (int?)IdOf(e)).FirstOrDefault();
        });
        if (firstBoard is { } boardId)
        {
            await checks.CheckAsync(statuses, () => List(Op("read board statuses", "System > Table Setup"), () => api.GetBoardStatusesAsync(boardId, one, null, cancellationToken), cancellationToken));
        }

        await checks.CheckAsync(priorities, () => List(Op("read priorities", "System > Table Setup"), () => api.GetPrioritiesAsync(one, null, cancellationToken), cancellationToken));
        return checks.Items;
    }

    public async IAsyncEnumerable<IReadOnlyList<IPsaRecord>> ReadAsync(
        PsaEntity entity, DateTimeOffset? modifiedAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var api = await ApiAsync(cancellationToken);
        if (entity == PsaEntity.Statuses)
        {
            // ConnectWise keeps statuses per board: service/boards/{id}/statuses.
            await foreach (var boards in Pages(Op("read service boards", "System > Table Setup"), (q, p) => api.GetBoardsAsync(q, p, cancellationToken), null, cancellationToken))
            {
                foreach (var board in boards)
                {
                    var boardId = IdOf(board);
                    await foreach (var page in Pages(Op("read board statuses", "System > Table Setup"), (q, p) => api.GetBoardStatusesAsync(boardId, q, p, cancellationToken), modifiedAfter, cancellationToken))
                    {
                        yield return page.Select(ToStatus).ToList();
                    }
                }
            }

            yield break;
        }

        var (op, fetch, map) = Source(api, entity, cancellationToken);
        await foreach (var page in Pages(op, fetch, modifiedAfter, cancellationToken, forwardOnly: true))
        {
            yield return page.Select(map).ToList();
        }
    }

    public async Task<int> CountAsync(PsaEntity entity, DateTimeOffset? modifiedAfter, CancellationToken cancellationToken)
    {
        var api = await ApiAsync(cancellationToken);
        var query = new CwCountQuery(modifiedAfter is { } after ? ConnectWiseConditions.GreaterThan("lastUpdated", after) : null);
        Task<CwCount> Count(string what, string permission, Func<Task<CwCount>> call) => Call(Op(what, permission), call, cancellationToken);
        switch (entity)
        {
            case PsaEntity.Tickets: return (await Count("count service tickets", "Service Desk > Service Tickets", () => api.CountTicketsAsync(query, cancellationToken))).Count;
            case PsaEntity.Companies: return (await Count("count companies", "Companies > Company Maintenance", () => api.CountCompaniesAsync(query, cancellationToken))).Count;
            case PsaEntity.Configurations: return (await Count("count configurations", "Companies > Configurations", () => api.CountConfigurationsAsync(query, cancellationToken))).Count;
            case PsaEntity.Members: return (await Count("count members", "System > Member Maintenance", () => api.CountMembersAsync(query, cancellationToken))).Count;
            case PsaEntity.Priorities: return (await Count("count priorities", "System > Table Setup", () => api.CountPrioritiesAsync(query, cancellationToken))).Count;
            case PsaEntity.Boards: return (await Count("count service boards", "System > Table Setup", () => api.CountBoardsAsync(query, cancellationToken))).Count;
            case PsaEntity.Statuses:
                var total = 0;
                await foreach (var boards in Pages(Op("read service boards", "System > Table Setup"), (q, p) => api.GetBoardsAsync(q, p, cancellationToken), null, cancellationToken))
                {
                    foreach (var board in boards)
                    {
                        var boardId = IdOf(board);
                        total += (await Count("count board statuses", "System > Table Setup", () => api.CountBoardStatusesAsync(boardId, query, cancellationToken))).Count;
                    }
                }

                return total;
            default:
                throw new ArgumentOutOfRangeException(nameof(entity), entity, null);
        }
    }

    public async Task<PsaTicket?> GetTicketAsync(string ticketId, CancellationToken cancellationToken)
    {
        var id = ParseId(ticketId, "ticket");
        var api = await ApiAsync(cancellationToken);
        try
        {
            return ToTicket(await Call(Op($"read ticket {id}", "Service Desk > Service Tickets"), () => api.GetTicketAsync(id, cancellationToken), cancellationToken));
        }
        catch (PsaException e) when (e.Kind == RemoteErrorKind.NotFound)
        {
            return null;
        }
    }

    public async Task<PsaTicket?> FindTicketByExternalReferenceAsync(string externalReference, CancellationToken cancellationToken)
    {
        var api = await ApiAsync(cancellationToken);
        var query = new CwQuery
        {
            Conditions = ConnectWiseConditions.Equal("externalXRef", externalReference),
            OrderBy = ByIdOrder,
            PageSize = 1,
        };
        var page = await List(Op("search service tickets", "Service Desk > Service Tickets"), () => api.GetTicketsAsync(query, null, cancellationToken), cancellationToken);
        return page.Items.Count == 0 ? null : ToTicket(page.Items[0]);
    }

    public async Task<PsaTicket> CreateTicketAsync(PsaTicketCreate ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var api = await ApiAsync(cancellationToken);
        var body = new CwTicketCreate
        {
            Summary = ticket.Summary,
            Board = CwReference.To(ParseId(ticket.BoardId, "board")),
            Status = ticket.StatusId is null ? null : CwReference.To(ParseId(ticket.StatusId, "status")),
            Priority = ticket.PriorityId is null ? null : CwReference.To(ParseId(ticket.PriorityId, "priority")),
            Company = ticket.CompanyId is null ? null : CwReference.To(ParseId(ticket.CompanyId, "company")),
            // ConnectWise keeps the initial description as the ticket's first Discussion note, never as a field it returns.
            InitialDescription = ticket.Description,
            ExternalXRef = ticket.ExternalReference,
        };
        var created = ToTicket(await Call(Op("create a service ticket", "Service Desk > Service Tickets (add)", write: true), () => api.CreateTicketAsync(body, cancellationToken), cancellationToken));
        return created with { Description = ticket.Description };
    }

    public async Task<PsaTicket> UpdateTicketAsync(string ticketId, PsaTicketUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var id = ParseId(ticketId, "ticket");
        var operations = new List<CwPatchOperation>();
        if (update.Summary is not null)
        {
            operations.Add(new("replace", "summary", update.Summary));
        }

        // Board before status: ConnectWise checks the status against the ticket's board as patched.
        AddReference("board", update.BoardId);
        AddReference("status", update.StatusId);
        AddReference("priority", update.PriorityId);
        AddReference("company", update.CompanyId);
        PsaTicket? updated = null;
        if (operations.Count > 0)
        {
            var api = await ApiAsync(cancellationToken);
            updated = ToTicket(await Call(Op($"update ticket {id}", "Service Desk > Service Tickets (edit)"), () => api.PatchTicketAsync(id, operations, cancellationToken), cancellationToken));
        }

        if (update.Description is { } description)
        {
            await WriteDescriptionAsync(id, description, cancellationToken);
        }

        updated ??= await GetTicketAsync(ticketId, cancellationToken)
            ?? throw new PsaException(RemoteErrorKind.NotFound, $"ConnectWise has no service ticket {id}.", statusCode: 404);
        return update.Description is null ? updated : updated with { Description = update.Description };

        void AddReference(string path, string? value)
        {
            if (value is not null)
            {
                operations.Add(new("replace", path, new CwReference { Id = ParseId(value, path) }));
            }
        }
    }

    public async Task AttachConfigurationAsync(string ticketId, string configurationId, CancellationToken cancellationToken)
    {
        var id = ParseId(ticketId, "ticket");
        var configuration = ParseId(configurationId, "configuration");
        var api = await ApiAsync(cancellationToken);
        try
        {
            await Call(Op($"attach configuration {configuration} to ticket {id}", "Service Desk > Service Tickets (edit)", write: true),
                () => api.AttachConfigurationAsync(id, CwReference.To(configuration), cancellationToken), cancellationToken);
        }
        catch (PsaException e) when (e.Kind is RemoteErrorKind.ValidationFailed or RemoteErrorKind.Timeout)
        {
            // Attaching twice is refused by ConnectWise; look before reporting an error so the call stays idempotent.
            var attached = await List(Op($"read the configurations of ticket {id}", "Service Desk > Service Tickets"),
                () => api.GetTicketConfigurationsAsync(id, new CwQuery { PageSize = _options.PageSize, Conditions = ConnectWiseConditions.Equal("id", configuration) }, null, cancellationToken), cancellationToken);
            if (!attached.Items.Any(c => c.Id == configuration))
            {
                throw;
            }
        }
    }

    private (CwOperation Op, Func<CwQuery, string?, Task<IApiResponse<List<JsonElement>>>> Fetch, Func<JsonElement, IPsaRecord> Map) Source(
        IConnectWiseApi api, PsaEntity entity, CancellationToken ct) => entity switch
        {
            PsaEntity.Tickets => (Op("read service tickets", "Service Desk > Service Tickets"), (q, p) => api.GetTicketsAsync(q, p, ct), e => ToTicket(e)),
            PsaEntity.Companies => (Op("read companies", "Companies > Company Maintenance"), (q, p) => api.GetCompaniesAsync(q, p, ct), ToCompany),
            PsaEntity.Configurations => (Op("read configurations", "Companies > Configurations"), (q, p) => api.GetConfigurationsAsync(q, p, ct), ToConfiguration),
            PsaEntity.Members => (Op("read members", "System > Member Maintenance"), (q, p) => api.GetMembersAsync(q, p, ct), ToMember),
            PsaEntity.Priorities => (Op("read priorities", "System > Table Setup"), (q, p) => api.GetPrioritiesAsync(q, p, ct), ToPriority),
            PsaEntity.Boards => (Op("read service boards", "System > Table Setup"), (q, p) => api.GetBoardsAsync(q, p, ct), ToBoard),
            _ => throw new ArgumentOutOfRangeException(nameof(entity), entity, null),
        };

    /// <summary>
    /// Every page of a list. Changed-since reads page by key — (lastUpdated, id) greater than the last row seen — so rows
    /// modified during the read can neither be skipped nor shift a page. Full reads of top-level entities page forward-only
    /// (<see cref="ForwardOnlyPages{T}"/>); sub-resources page by number, following the <c>Link</c> header.
    /// </summary>
    private async IAsyncEnumerable<List<T>> Pages<T>(
        CwOperation op, Func<CwQuery, string?, Task<IApiResponse<List<T>>>> fetch, DateTimeOffset? modifiedAfter,
        [EnumeratorCancellation] CancellationToken cancellationToken, bool forwardOnly = false)
    {
        var pageSize = _options.PageSize;
        if (modifiedAfter is { } after)
        {
            string conditions = ConnectWiseConditions.GreaterThan("lastUpdated", after);
            while (true)
            {
                var query = new CwQuery { Conditions = conditions, OrderBy = ByModifiedOrder, PageSize = pageSize };
                var page = await List(op, () => fetch(query, null), cancellationToken);
                if (page.Items.Count > 0)
                {
                    yield return page.Items;
                }

                if (page.Items.Count < pageSize)
                {
                    yield break;
                }

                var (lastModified, lastId) = KeyOf(page.Items[^1]);
                conditions = ConnectWiseConditions.Or(
                    ConnectWiseConditions.GreaterThan("lastUpdated", lastModified),
                    ConnectWiseConditions.And(ConnectWiseConditions.Equal("lastUpdated", lastModified), ConnectWiseConditions.GreaterThan("id", lastId)))!;
            }
        }

        if (forwardOnly)
        {
            await foreach (var page in ForwardOnlyPages(op, fetch, pageSize, cancellationToken))
            {
                yield return page;
            }

            yield break;
        }

        // Sub-resources (notes, board statuses) page by number, following the Link header's rel="next".
        var next = new CwQuery { OrderBy = ByIdOrder, PageSize = pageSize, Page = 1 };
        while (true)
        {
            var current = next;
            var page = await List(op, () => fetch(current, null), cancellationToken);
            if (page.Items.Count > 0)
            {
                yield return page.Items;
            }

            if (NextPage(page.Link, current) is { Page: not null } following)
            {
                next = following;
            }
            else if (page.Link is null && page.Items.Count == pageSize)
            {
                // An endpoint that sent no Link header at all is paged on by number until a page comes back short.
                next = current with { Page = (current.Page ?? 1) + 1 };
            }
            else
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Forward-only pages: cheaper for ConnectWise at depth, and stable under inserts. ConnectWise refuses orderBy with them
    /// (rows come in id order), ignores page, and reads pageId as "id greater than"; its Link header names the next pageId on
    /// every page, the last one included, so a page shorter than pageSize is the end.
    /// </summary>
    private async IAsyncEnumerable<List<T>> ForwardOnlyPages<T>(
        CwOperation op, Func<CwQuery, string?, Task<IApiResponse<List<T>>>> fetch, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var current = new CwQuery { PageSize = pageSize };
        while (true)
        {
            var query = current;
            var page = await List(op, () => fetch(query, "forward-only"), cancellationToken);
            if (page.Items.Count > 0)
            {
                yield return page.Items;
            }

            if (page.Items.Count < pageSize)
            {
                yield break;
            }

            // A full page without a next pageId, or one that does not move on, would end the read early or never:
            // refuse rather than hand a partial list to a full sync that removes what it did not see.
            if (NextPage(page.Link, query) is not { PageId: { } pageId } || pageId <= (query.PageId ?? 0))
            {
                throw new PsaException(RemoteErrorKind.Unavailable,
                    $"ConnectWise did not say how to go on after {pageSize} rows while trying to {op.What} (no rel=\"next\" pageId in the Link header).");
            }

            current = query with { PageId = pageId };
        }
    }

    /// <summary>The query of the page that the <c>Link</c> header's rel="next" names: pageId (forward-only) or page.</summary>
    internal static CwQuery? NextPage(string? link, CwQuery current)
    {
        if (string.IsNullOrEmpty(link))
        {
            return null;
        }

        foreach (var part in link.Split(','))
        {
            var pieces = part.Split(';');
            if (pieces.Length < 2 || !pieces.Skip(1).Any(p => p.Trim().Equals("rel=\"next\"", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var target = pieces[0].Trim().TrimStart('<').TrimEnd('>');
            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri))
            {
                continue;
            }

            var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query);
            if (parameters.TryGetValue("pageId", out var pageId) && int.TryParse(pageId, CultureInfo.InvariantCulture, out var id))
            {
                return current with { PageId = id, Page = null };
            }

            if (parameters.TryGetValue("page", out var page) && int.TryParse(page, CultureInfo.InvariantCulture, out var number))
            {
                return current with { Page = number, PageId = null };
            }
        }

        return null;
    }

    private async Task<IConnectWiseApi> ApiAsync(CancellationToken cancellationToken)
    {
        if (_api is { } ready)
        {
            return ready;
        }

        await _apiGate.WaitAsync(cancellationToken);
        try
        {
            if (_api is { } raced)
            {
                return raced;
            }

            var site = _credentials.SiteBaseUri;
            var cacheKey = _credentials.InstanceKey;
            if (!_codebases.TryGetValue(cacheKey, out var codebase))
            {
                var login = RestService.For<IConnectWiseLoginApi>(HttpClient(site, authenticated: false), VendorClients.Refit);
                CwCompanyInfo info;
                try
                {
                    info = await Call(Op("find the company"), () => login.GetCompanyInfoAsync(_credentials.CompanyId.Trim(), cancellationToken), cancellationToken);
                }
                catch (PsaException e) when (e.Kind is RemoteErrorKind.NotFound or RemoteErrorKind.ValidationFailed or RemoteErrorKind.AuthenticationFailed)
                {
                    throw new PsaException(RemoteErrorKind.NotFound,
                        $"ConnectWise at {site.Authority} does not know the company id \"{_credentials.CompanyId}\": check the site and company id.", "companyId", e.StatusCode, e);
                }

                if (string.IsNullOrWhiteSpace(info.Codebase))
                {
                    throw new PsaException(RemoteErrorKind.NotFound,
                        $"ConnectWise at {site.Authority} does not know the company id \"{_credentials.CompanyId}\": check the site and company id.", "companyId");
                }

                codebase = info.Codebase.Trim().Trim('/') + "/";
                _codebases[cacheKey] = codebase;
            }

            var apiBase = new Uri(site.AbsoluteUri.TrimEnd('/') + "/" + codebase + "apis/3.0");
            _api = RestService.For<IConnectWiseApi>(HttpClient(apiBase, authenticated: true), VendorClients.Refit);
            return _api;
        }
        finally
        {
            _apiGate.Release();
        }
    }

    private HttpClient HttpClient(Uri baseAddress, bool authenticated) => VendorClients.Create(
        _handlers, ConnectWiseClientFactory.HttpClientName, _counter, _gate, baseAddress,
        authenticated ? inner => new ConnectWiseAuthHandler(_credentials, _options.ApiVersion) { InnerHandler = inner } : null);

    private async Task<(List<T> Items, string? Link)> List<T>(CwOperation op, Func<Task<IApiResponse<List<T>>>> call, CancellationToken cancellationToken)
    {
        var response = await Call(op, call, cancellationToken);
        if (!response.IsSuccessStatusCode || response.Error is not null)
        {
            throw Forget(Map(op, (Exception?)response.Error ?? new InvalidOperationException("No content."), cancellationToken));
        }

        var link = response.Headers.TryGetValues("Link", out var values) ? string.Join(",", values) : null;
        return (response.Content ?? [], link);
    }

    private async Task<T> Call<T>(CwOperation op, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not PsaException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw Forget(Map(op, e, cancellationToken));
        }
    }

    /// <summary>A redirect means the codebase moved (a hosted upgrade): the next call looks it up again through companyinfo.</summary>
    private PsaException Forget(PsaException e)
    {
        if (e.StatusCode is >= 300 and < 400)
        {
            _codebases.TryRemove(_credentials.InstanceKey, out _);
            _api = null;
        }

        return e;
    }

    private static CwOperation Op(string what, string permission = "", bool write = false) => new(what, permission, write);

    private static int ParseId(string id, string what) =>
        int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new PsaException(RemoteErrorKind.ValidationFailed, $"\"{id}\" is not a ConnectWise {what} id.", what);

}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Portal.Zendesk.Dtos;

namespace EasyConnect.Sync.Portal.Zendesk;

/// <summary>EasyConnect's <see cref="IPortalClient"/> over the Zendesk Support API; made by <see cref="ZendeskClientFactory"/>.</summary>
internal sealed class ZendeskClient(
    ZendeskConnectionSettings settings, Uri baseUrl, ZendeskOptions options, IZendeskApi api, ApiCallCounter counter, TimeProvider time)
    : IPortalClient
{
    private const string SideloadUsers = "users";

    // The comment count tells EasyConnect's own last comment from one added in the same second (updated_at has whole seconds).
    private const string SideloadExport = "users,comment_count";
    private const int MaxUsersPerLookup = 100;

    // What this client (one run) learnt of tickets and users, so writes keep a ticket's status and authors are looked up once.
    private readonly ConcurrentDictionary<long, ZdTicketState> _tickets = new();
    private readonly ConcurrentDictionary<long, ZdUser?> _users = new();

    public Uri BaseUrl { get; } = baseUrl;

    public long ApiCalls => counter.Count;

    public async Task<IReadOnlyList<PortalCheckItem>> TestConnectionAsync(IProgress<PortalCheckItem>? progress, CancellationToken cancellationToken)
    {
        const string signIn = "Sign in", export = "Incremental ticket export", clusterField = "ClusterID field", comments = "Ticket comments", search = "User search";
        // Comments are checked only when there is a ticket to read them of, so that check joins the list when it starts.
        foreach (var planned in new[] { signIn, export, clusterField, search })
        {
            progress?.Report(PortalCheckItem.Of(planned, ConnectionCheckState.Waiting, "Waiting."));
        }

        var items = new List<PortalCheckItem>();
        ZdUser me;
        Start(signIn);
        try
        {
            me = (await Call(Op("sign in"), () => api.GetMeAsync(cancellationToken), cancellationToken)).User ?? new ZdUser();
        }
        catch (PortalException e) when (!cancellationToken.IsCancellationRequested)
        {
            Done(new(signIn, false, e.Message));
            return items;
        }

        // Zendesk answers users/me for a caller it did not recognise with an anonymous user (id null) rather than a 401.
        if (me.Id == 0)
        {
            Done(new(signIn, false, ZendeskErrors.AuthenticationMessage));
            return items;
        }

        var isAgent = me.Role is "agent" or "admin";
        Done(new(signIn, isAgent, isAgent
            ? $"Signed in to {BaseUrl.Authority} as {me.Name} ({me.Role})."
            : $"{me.Name} is an end user of {BaseUrl.Authority}: the connection needs an agent with admin rights."));

        long? sampleTicket = null;
        await Check(export, async () =>
        {
            // From the beginning of time, so the one ticket asked for also serves to probe the comments endpoint.
            var page = await Call(Op("read changed tickets", "an admin role"), () =>
                api.ExportTicketsAsync(0, null, 1, null, cancellationToken), cancellationToken);
            sampleTicket = page.Tickets?.FirstOrDefault()?.Id;
            return "Allowed.";
        });
        await Check(clusterField, async () =>
        {
            if (settings.ClusterIdFieldId is not { } fieldId)
            {
                throw new PortalException(RemoteErrorKind.ValidationFailed, "No ClusterID field id is set on the connection.", "clusterIdFieldId");
            }

            ZdTicketField ticketField;
            try
            {
                ticketField = (await Call(Op($"read ticket field {fieldId}"), () => api.GetTicketFieldAsync(fieldId, cancellationToken), cancellationToken)).TicketField
                    ?? throw new PortalException(RemoteErrorKind.NotFound, "");
            }
            catch (PortalException e) when (e.Kind == RemoteErrorKind.NotFound)
            {
                throw new PortalException(RemoteErrorKind.NotFound,
                    $"{BaseUrl.Authority} has no ticket field {fieldId}: check the ClusterID field id (Admin Center > Objects and rules > Tickets > Fields).", "clusterIdFieldId", 404, e);
            }

            return ticketField.Active == false
                ? throw new PortalException(RemoteErrorKind.ValidationFailed, $"The ticket field \"{ticketField.Title}\" ({fieldId}) is inactive: activate it in Zendesk.", "clusterIdFieldId")
                : $"Found the field \"{ticketField.Title}\" ({ticketField.Type}).";
        });
        if (sampleTicket is { } ticketId)
        {
            await Check(comments, async () =>
            {
                await Call(Op($"read the comments of ticket {ticketId}"), () => api.GetCommentsAsync(ticketId, 1, null, null, cancellationToken), cancellationToken);
                return "Allowed.";
            });
        }

        await Check(search, async () =>
        {
            await Call(Op("search users"), () => api.SearchUsersAsync($"email:{me.Email}", cancellationToken), cancellationToken);
            return "Allowed.";
        });
        return items;

        void Start(string name) => progress?.Report(PortalCheckItem.Of(name, ConnectionCheckState.Running, "Checking…"));

        void Done(PortalCheckItem item)
        {
            items.Add(item);
            progress?.Report(item);
        }

        async Task Check(string name, Func<Task<string>> probe)
        {
            Start(name);
            try
            {
                Done(new(name, true, await probe()));
            }
            catch (PortalException e) when (!cancellationToken.IsCancellationRequested)
            {
                Done(new(name, false, e.Message));
            }
        }
    }

    public async IAsyncEnumerable<PortalChangesPage> ReadChangedTicketsAsync(
        string? cursor, DateTimeOffset startTime, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = string.IsNullOrWhiteSpace(cursor) ? null : cursor;
        long? start = position is null ? StartSeconds(startTime) : null;
        var op = Op("read changed tickets", "an admin role");
        while (true)
        {
            var page = await Call(op, () => api.ExportTicketsAsync(start, position, options.ExportPageSize, SideloadExport, cancellationToken), cancellationToken);
            var users = (page.Users ?? []).Where(u => u.Id != 0).GroupBy(u => u.Id).ToDictionary(g => Text(g.Key), g => ToUser(Remember(g.First())), StringComparer.Ordinal);
            var next = string.IsNullOrEmpty(page.AfterCursor) ? position : page.AfterCursor;
            var tickets = (page.Tickets ?? []).Select(ToTicket).ToList();
            yield return new PortalChangesPage(tickets, users, next, page.EndOfStream);
            // Stop at the end, and also when a page makes no progress, so a misbehaving cursor cannot loop forever.
            if (page.EndOfStream || next is null || next == position)
            {
                yield break;
            }

            position = next;
            start = null;
        }
    }

    public async Task<PortalTicket?> GetTicketAsync(string ticketId, CancellationToken cancellationToken)
    {
        var id = ParseId(ticketId, "ticket");
        try
        {
            var response = await Call(Op($"read ticket {id}"), () => api.GetTicketAsync(id, cancellationToken), cancellationToken);
            return response.Ticket is null ? null : ToTicket(response.Ticket);
        }
        catch (PortalException e) when (e.Kind == RemoteErrorKind.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<PortalComment>> ListCommentsAsync(string ticketId, CancellationToken cancellationToken)
    {
        var id = ParseId(ticketId, "ticket");
        var comments = new List<ZdComment>();
        var users = new Dictionary<long, ZdUser>();
        string? after = null;
        var op = Op($"read the comments of ticket {id}");
        while (true)
        {
            var page = await Call(op, () => api.GetCommentsAsync(id, options.CommentPageSize, after, SideloadUsers, cancellationToken), cancellationToken);
            comments.AddRange(page.Comments ?? []);
            foreach (var user in page.Users ?? [])
            {
                users[user.Id] = Remember(user);
            }

            // Zendesk sends links.next on the last page too: meta.has_more alone says whether to go on.
            var next = page.Meta?.AfterCursor;
            if (page.Meta?.HasMore != true || string.IsNullOrEmpty(next) || next == after)
            {
                break;
            }

            after = next;
        }

        // include=users is documented for email CCs: authors it did not side-load are looked up (once per client) by id.
        var missing = comments.Select(c => c.AuthorId).OfType<long>().Where(a => a > 0 && !users.ContainsKey(a)).Distinct().ToList();
        foreach (var (authorId, author) in await UsersAsync(missing, cancellationToken))
        {
            users[authorId] = author;
        }

        return comments.Select(c => ToComment(c, id, c.AuthorId is { } a ? users.GetValueOrDefault(a) : null)).ToList();
    }

    public async Task<PortalComment> AddPrivateCommentAsync(string ticketId, string body, string? authorId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(body);
        var id = ParseId(ticketId, "ticket");
        long? author = authorId is null ? null : ParseId(authorId, "user");
        var response = await UpdateKeepingStatusAsync(id, Op($"add a private comment to ticket {id}", write: true), keep =>
        {
            var request = new ZdCommentUpdateRequest
            {
                Ticket = new() { Comment = new() { Body = body, Public = false, AuthorId = author }, Status = keep.Status, SafeUpdate = keep.SafeUpdate, UpdatedStamp = keep.UpdatedStamp },
            };
            return api.AddCommentAsync(id, request, nonIdempotent: true, cancellationToken);
        }, cancellationToken);
        var created = response.Audit?.Events?.FirstOrDefault(e => string.Equals(e.Type, "Comment", StringComparison.OrdinalIgnoreCase));
        if (created is { Id: not 0 })
        {
            return new PortalComment(Text(created.Id), Text(id), Text(created.AuthorId ?? author), null, null, created.Body ?? body, false,
                response.Audit?.CreatedAt ?? response.Ticket?.UpdatedAt ?? time.GetUtcNow());
        }

        // Without the audit the comment can only be found again by its text and author: the newest private match is ours.
        var comments = await ListCommentsAsync(ticketId, cancellationToken);
        var match = comments.LastOrDefault(c => !c.Public && SameText(c.Body, body) && (author is null || c.AuthorId == Text(author)));
        return match ?? new PortalComment("", Text(id), Text(author), null, null, body, false, time.GetUtcNow());
    }

    public async Task<PortalTicket> SetExternalIdAsync(string ticketId, string? externalId, CancellationToken cancellationToken)
    {
        var id = ParseId(ticketId, "ticket");
        var response = await UpdateKeepingStatusAsync(id, Op($"set the external id of ticket {id}"), keep =>
        {
            var request = new ZdExternalIdUpdateRequest
            {
                Ticket = new() { ExternalId = externalId, Status = keep.Status, SafeUpdate = keep.SafeUpdate, UpdatedStamp = keep.UpdatedStamp },
            };
            return api.SetExternalIdAsync(id, request, cancellationToken);
        }, cancellationToken);
        return ToTicket(response.Ticket ?? throw new PortalException(RemoteErrorKind.Unavailable, $"Zendesk answered the update of ticket {id} without the ticket."));
    }

    public async Task<PortalUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var wanted = email.Trim();
        var response = await Call(Op("search users by email"), () => api.SearchUsersAsync($"email:{wanted}", cancellationToken), cancellationToken);
        // User search matches partial values too, so only an exact email counts.
        var user = response.Users?.FirstOrDefault(u => string.Equals(u.Email?.Trim(), wanted, StringComparison.OrdinalIgnoreCase));
        return user is null ? null : ToUser(user);
    }

    /// <summary>
    /// Sends a ticket update that must not change what the customer sees. Zendesk moves a new ticket to open on any agent update that
    /// sets no status, so a ticket known to be new is sent with status new, as a safe update against the updated_at it was read
    /// with: if someone changed it since, Zendesk refuses (409) instead of putting it back to new, and the update is sent once more
    /// on the ticket as it now is. A refused safe update was not applied, so even a comment is safe to send again.
    /// </summary>
    private async Task<ZdTicketUpdateResponse> UpdateKeepingStatusAsync(
        long id, ZdOperation op, Func<ZdKeepStatusValues, Task<ZdTicketUpdateResponse>> send, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var known = await TicketStateAsync(id, refresh: attempt > 0, cancellationToken);
            var keep = known.Status == "new"
                ? new ZdKeepStatusValues("new", known.UpdatedAt is null ? null : true, known.UpdatedAt is { } at ? Iso(at) : null)
                : new ZdKeepStatusValues(null, null, null);
            try
            {
                var response = await Call(op, () => send(keep), cancellationToken);
                if (response.Ticket is { } ticket)
                {
                    Remember(ticket);
                }

                return response;
            }
            catch (PortalException e) when (e.StatusCode == (int)HttpStatusCode.Conflict && attempt == 0)
            {
                // Someone changed the ticket since it was read: read it again and send the update on what it is now.
            }
        }
    }

    private async Task<ZdTicketState> TicketStateAsync(long id, bool refresh, CancellationToken cancellationToken)
    {
        if (!refresh && _tickets.TryGetValue(id, out var known))
        {
            return known;
        }

        var response = await Call(Op($"read ticket {id}"), () => api.GetTicketAsync(id, cancellationToken), cancellationToken);
        return response.Ticket is { } ticket ? Remember(ticket) : new ZdTicketState(null, null);
    }

    private ZdTicketState Remember(ZdTicket ticket)
    {
        var state = new ZdTicketState(ticket.Status?.ToLowerInvariant(), ticket.UpdatedAt);
        _tickets[ticket.Id] = state;
        return state;
    }

    private ZdUser Remember(ZdUser user)
    {
        _users[user.Id] = user;
        return user;
    }

    /// <summary>Users by id, from this client's cache or users/show_many (100 at a time); an id Zendesk does not know is remembered as unknown.</summary>
    private async Task<IReadOnlyList<(long Id, ZdUser User)>> UsersAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var unknown = ids.Where(i => !_users.ContainsKey(i)).ToList();
        foreach (var chunk in unknown.Chunk(MaxUsersPerLookup))
        {
            var response = await Call(Op("read the comments' authors"),
                () => api.ShowManyUsersAsync(string.Join(',', chunk.Select(Text)), cancellationToken), cancellationToken);
            foreach (var user in response.Users ?? [])
            {
                Remember(user);
            }

            foreach (var id in chunk)
            {
                _users.TryAdd(id, null);
            }
        }

        return [.. ids.Select(i => (i, _users.GetValueOrDefault(i))).Where(p => p.Item2 is not null).Select(p => (p.i, p.Item2!))];
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Zendesk refuses a start_time less than a minute old, so the start is kept at least that far back.</summary>
    private long StartSeconds(DateTimeOffset startTime)
    {
        var latest = time.GetUtcNow().AddSeconds(-61);
        return (startTime < latest ? startTime : latest).ToUnixTimeSeconds();
    }

    private static async Task<T> Call<T>(ZdOperation op, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not PortalException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw ZendeskErrors.Map(op, e);
        }
    }

    private static ZdOperation Op(string what, string? permission = null, bool write = false) => new(what, permission, write);

    private static long ParseId(string id, string what) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new PortalException(RemoteErrorKind.ValidationFailed, $"\"{id}\" is not a Zendesk {what} id.", what);

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string? Text(long? id) => id is { } value ? Text(value) : null;

    private static bool SameText(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal);

    private PortalTicket ToTicket(ZdTicket t)
    {
        Remember(t);
        return ToTicketCore(t);
    }

    private PortalTicket ToTicketCore(ZdTicket t) => new(
        Text(t.Id),
        t.Subject ?? "",
        t.Description ?? "",
        t.Priority?.ToLowerInvariant() switch
        {
            "low" => PortalPriority.Low,
            "normal" => PortalPriority.Normal,
            "high" => PortalPriority.High,
            "urgent" => PortalPriority.Urgent,
            _ => null,
        },
        t.Status?.ToLowerInvariant() switch
        {
            "new" => PortalStatus.New,
            "open" => PortalStatus.Open,
            "pending" => PortalStatus.Pending,
            "hold" => PortalStatus.Hold,
            "solved" => PortalStatus.Solved,
            "closed" => PortalStatus.Closed,
            "deleted" => PortalStatus.Deleted,
            var other => throw new PortalException(RemoteErrorKind.Unavailable, $"Zendesk sent ticket {t.Id} with the status \"{other}\", which EasyConnect does not know."),
        },
        ClusterIdOf(t),
        string.IsNullOrWhiteSpace(t.ExternalId) ? null : t.ExternalId,
        Text(t.RequesterId),
        t.CreatedAt ?? DateTimeOffset.MinValue,
        t.UpdatedAt ?? t.CreatedAt ?? DateTimeOffset.MinValue) { CommentCount = t.CommentCount };

    private string? ClusterIdOf(ZdTicket t)
    {
        if (settings.ClusterIdFieldId is not { } fieldId || t.CustomFields?.FirstOrDefault(f => f.Id == fieldId) is not { } field)
        {
            return null;
        }

        var value = field.Value.ValueKind switch
        {
            JsonValueKind.String => field.Value.GetString(),
            JsonValueKind.Number => field.Value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static PortalComment ToComment(ZdComment c, long ticketId, ZdUser? author) => new(
        Text(c.Id), Text(ticketId), Text(c.AuthorId), string.IsNullOrWhiteSpace(author?.Email) ? null : author.Email, author?.Name,
        c.Body ?? c.PlainBody ?? "", c.Public ?? true, c.CreatedAt ?? DateTimeOffset.MinValue);

    private static PortalUser ToUser(ZdUser u) => new(Text(u.Id), string.IsNullOrWhiteSpace(u.Email) ? null : u.Email.Trim(), u.Name ?? "");
}

/// <summary>A ticket's status and updated_at as this client last read them.</summary>
internal sealed record ZdTicketState(string? Status, DateTimeOffset? UpdatedAt);

/// <summary>The status fields an update carries so that it does not change the ticket's status (all null: nothing to keep).</summary>
internal sealed record ZdKeepStatusValues(string? Status, bool? SafeUpdate, string? UpdatedStamp);

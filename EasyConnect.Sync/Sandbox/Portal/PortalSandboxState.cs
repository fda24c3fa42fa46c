using System.Globalization;
using System.Text;

namespace EasyConnect.Sync.Sandbox.Portal;

/// <summary>A user of the portal sandbox.</summary>
/// <param name="Role">end-user, agent or admin.</param>
public sealed record PortalSandboxUser(long Id, string Name, string Email, string Role, DateTimeOffset CreatedAt);

/// <summary>A ticket of the portal sandbox as it stands.</summary>
/// <param name="Priority">low, normal, high, urgent or null.</param>
/// <param name="Status">new, open, pending, hold, solved or closed.</param>
public sealed record PortalSandboxTicket(
    long Id, string Subject, string Description, string? Priority, string Status, long RequesterId, string? ClusterId, string? ExternalId,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The change counter the incremental export orders by: every update gives the ticket a higher one.</summary>
    internal long Sequence { get; init; }

    /// <summary>Zendesk's generated_timestamp: moves on every update, even one that changes nothing (updated_at does not).</summary>
    public DateTimeOffset GeneratedAt { get; init; }
}

/// <summary>A comment of a portal sandbox ticket.</summary>
public sealed record PortalSandboxComment(long Id, long TicketId, long AuthorId, string Body, bool Public, DateTimeOffset CreatedAt, long AuditId);

/// <summary>A change to a sandbox ticket, as a ticket update (or an admin form) asks for it; null leaves a field as it is.</summary>
/// <param name="ExternalId">Set when <paramref name="SetExternalId"/> is true (null clears it).</param>
/// <param name="SafeUpdateStamp">The updated_at a safe update was sent with; the update is refused (409) when the ticket's differs.</param>
public sealed record PortalSandboxTicketChange(
    string? Subject = null, string? Priority = null, string? Status = null, string? ClusterId = null,
    bool SetExternalId = false, string? ExternalId = null,
    string? CommentBody = null, bool CommentPublic = true, long? CommentAuthorId = null, DateTimeOffset? SafeUpdateStamp = null);

/// <summary>What a ticket update did: the ticket after it, the audit id and the comment it added, if any.</summary>
public sealed record PortalSandboxUpdate(PortalSandboxTicket Ticket, long AuditId, PortalSandboxComment? Comment, IReadOnlyList<(string Field, string? Value, string? Previous)> Changes);

/// <summary>A refusal in Zendesk's shape: <c>{"error": Code, "description": Description, "details": {field: [{description, error}]}}</c>.</summary>
internal sealed class PortalSandboxError(int status, string code, string description, IReadOnlyDictionary<string, (string Description, string Error)>? details = null)
    : Exception(description)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public IReadOnlyDictionary<string, (string Description, string Error)> Details { get; } = details ?? new Dictionary<string, (string, string)>();

    public static PortalSandboxError Invalid(string field, string description, string error = "InvalidValue") =>
        new(422, "RecordInvalid", "Record validation errors", new Dictionary<string, (string, string)> { [field] = (description, error) });

    public static PortalSandboxError NotFound() => new(404, "RecordNotFound", "Not found");
}

/// <summary>
/// The simulated Zendesk account: users, tickets and comments in memory, seeded deterministically from
/// <see cref="PortalSandboxOptions"/>, with ClusterIDs and agent emails that match the ConnectWise sandbox's seeding.
/// Thread-safe; one per app (a singleton). Tickets and comments can be added while it runs.
/// </summary>
public sealed partial class PortalSandboxState
{
    internal static readonly string[] Priorities = ["low", "normal", "high", "urgent"];
    internal static readonly string[] Statuses = ["new", "open", "pending", "hold", "solved", "closed"];

    // The ConnectWise sandbox's member names and email pattern (ConnectWiseSandboxState), so portal agents map to PSA members by email.
    private static readonly string[] PsaFirstNames = ["Ava", "Liam", "Noah", "Emma", "Olivia", "Mason", "Sophia", "Lucas", "Mia", "Ethan", "Isla", "Aria", "Leo", "Zoe", "Ivy"];
    private static readonly string[] PsaLastNames = ["Nguyen", "Smith", "Garcia", "Okafor", "Schmidt", "Rossi", "Tanaka", "Kowalski", "Dubois", "Haddad", "Larsen", "Murphy"];
    private static readonly string[] CustomerFirstNames = ["Hannah", "Omar", "Grace", "Mateo", "Chloe", "Yusuf", "Priya", "Jonas", "Elena", "Kwame", "Sara", "Tom"];
    private static readonly string[] CustomerDomains = ["contoso.example", "fabrikam.example", "northwind.example", "tailspin.example", "wingtip.example"];
    private static readonly string[] Problems =
    [
        "Server is not responding", "VPN drops every few minutes", "Backup job failed overnight", "Cannot print to the office printer",
        "Disk almost full", "Email not syncing on phones", "Slow file share", "Firewall blocks the new supplier portal",
        "New starter needs an account", "Wi-Fi keeps disconnecting in the meeting room",
    ];
    private static readonly string[] Replies =
    [
        "Thanks, we are looking into it.", "Could you send a screenshot of the error?", "It happened again this morning.",
        "Checked the logs: the service restarted at 02:00.", "Rebooted the device; please try again.", "Still broken for the whole team.",
    ];

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<long, PortalSandboxUser> _users = [];
    private readonly Dictionary<long, PortalSandboxTicket> _tickets = [];
    private readonly SortedDictionary<long, long> _ticketsBySequence = [];
    private readonly Dictionary<long, List<PortalSandboxComment>> _comments = [];
    private readonly Queue<DateTimeOffset> _exportRequests = new();
    private long _nextUserId = 1000;
    private long _nextTicketId = 1;
    // Comment and audit ids share one counter, as Zendesk's event ids do, so a comment's id is its audit event's id.
    private long _nextEventId = 10_000;
    private long _sequence;
    private DateTimeOffset _lastStamp;

    /// <summary>Seeds the account from <paramref name="options"/>.</summary>
    public PortalSandboxState(PortalSandboxOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _time = time;
        Seed();
    }

    /// <summary>What the sandbox accepts and seeded.</summary>
    public PortalSandboxOptions Options { get; }

    /// <summary>Fault injection and the log of requests received; settable at runtime.</summary>
    public SandboxFaultInjector Faults { get; } = new();

    /// <summary>The admin the integration signs in as.</summary>
    public PortalSandboxUser ApiUser { get; private set; } = null!;

    /// <summary>Every user, by id.</summary>
    public IReadOnlyList<PortalSandboxUser> Users
    {
        get { lock (_gate) { return [.. _users.Values.OrderBy(u => u.Id)]; } }
    }

    /// <summary>Every ticket, by id.</summary>
    public IReadOnlyList<PortalSandboxTicket> Tickets
    {
        get { lock (_gate) { return [.. _tickets.Values.OrderBy(t => t.Id)]; } }
    }

    /// <summary>One ticket, or null.</summary>
    public PortalSandboxTicket? FindTicket(long id)
    {
        lock (_gate)
        {
            return _tickets.GetValueOrDefault(id);
        }
    }

    /// <summary>One user, or null.</summary>
    public PortalSandboxUser? FindUser(long id)
    {
        lock (_gate)
        {
            return _users.GetValueOrDefault(id);
        }
    }

    /// <summary>The active user with this email (without case), or null.</summary>
    public PortalSandboxUser? FindUserByEmail(string email)
    {
        lock (_gate)
        {
            return _users.Values.FirstOrDefault(u => string.Equals(u.Email, email.Trim(), StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>A ticket's comments, oldest first (empty when the ticket does not exist).</summary>
    public IReadOnlyList<PortalSandboxComment> Comments(long ticketId)
    {
        lock (_gate)
        {
            return _comments.TryGetValue(ticketId, out var list) ? [.. list] : [];
        }
    }

    /// <summary>Adds a user (an end user unless <paramref name="role"/> says agent or admin); an existing email returns that user.</summary>
    public PortalSandboxUser AddUser(string name, string email, string role = "end-user")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        lock (_gate)
        {
            return FindUserByEmail(email) ?? AddUserCore(string.IsNullOrWhiteSpace(name) ? email.Split('@')[0] : name.Trim(), email.Trim(), role, Stamp());
        }
    }

    /// <summary>
    /// Creates a ticket as an end user would: <paramref name="description"/> becomes its first, public comment by the requester
    /// (created when <paramref name="requesterEmail"/> is new; the first seeded end user when null).
    /// </summary>
    public PortalSandboxTicket AddTicket(
        string subject, string description, string? clusterId = null, string? priority = "normal", string status = "new", string? requesterEmail = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ValidatePriority(priority);
        ValidateStatus(status);
        lock (_gate)
        {
            var requester = string.IsNullOrWhiteSpace(requesterEmail)
                ? _users.Values.Where(u => u.Role == "end-user").OrderBy(u => u.Id).First()
                : FindUserByEmail(requesterEmail) ?? AddUserCore(requesterEmail.Split('@')[0], requesterEmail.Trim(), "end-user", Stamp());
            return AddTicketCore(subject.Trim(), description, NullIfBlank(clusterId), priority, status, requester.Id, Stamp());
        }
    }

    /// <summary>Adds a comment by the user with <paramref name="authorEmail"/> (the ticket's requester when null), public unless told otherwise.</summary>
    public PortalSandboxComment AddComment(long ticketId, string body, string? authorEmail = null, bool isPublic = true)
    {
        lock (_gate)
        {
            var ticket = _tickets.GetValueOrDefault(ticketId) ?? throw PortalSandboxError.NotFound();
            var author = string.IsNullOrWhiteSpace(authorEmail)
                ? _users[ticket.RequesterId]
                : FindUserByEmail(authorEmail) ?? AddUserCore(authorEmail.Split('@')[0], authorEmail.Trim(), "end-user", Stamp());
            return Update(ticketId, new PortalSandboxTicketChange(CommentBody: body, CommentPublic: isPublic, CommentAuthorId: author.Id), author.Id).Comment!;
        }
    }

    /// <summary>
    /// One page of the incremental export, in generated_timestamp order: tickets updated after the cursor, or with a
    /// generated_timestamp at or after <paramref name="startTime"/> (Zendesk compares that, not updated_at).
    /// </summary>
    internal (IReadOnlyList<PortalSandboxTicket> Tickets, long AfterSequence, bool EndOfStream) Export(long? afterSequence, DateTimeOffset? startTime, int pageSize)
    {
        lock (_gate)
        {
            var page = new List<PortalSandboxTicket>(Math.Min(pageSize, _tickets.Count));
            var last = afterSequence ?? 0;
            var more = false;
            foreach (var (sequence, id) in _ticketsBySequence)
            {
                if (afterSequence is { } after ? sequence <= after : _tickets[id].GeneratedAt < startTime)
                {
                    // Everything before the start counts as read, so a start time past every change still yields a cursor that resumes after them.
                    last = Math.Max(last, sequence);
                    continue;
                }

                if (page.Count == pageSize)
                {
                    more = true;
                    break;
                }

                page.Add(_tickets[id]);
                last = sequence;
            }

            return (page, last, !more);
        }
    }

    /// <summary>Counts an incremental export request against the per-minute limit; returns the seconds to wait when over it.</summary>
    internal int? TakeExportSlot()
    {
        if (Options.ExportRequestsPerMinute <= 0)
        {
            return null;
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            while (_exportRequests.Count > 0 && _exportRequests.Peek() <= now.AddMinutes(-1))
            {
                _exportRequests.Dequeue();
            }

            if (_exportRequests.Count >= Options.ExportRequestsPerMinute)
            {
                return Math.Max(1, (int)Math.Ceiling((_exportRequests.Peek().AddMinutes(1) - now).TotalSeconds));
            }

            _exportRequests.Enqueue(now);
            return null;
        }
    }

    internal DateTimeOffset Now => _time.GetUtcNow();

    internal static void ValidatePriority(string? priority)
    {
        if (priority is not null && !Priorities.Contains(priority))
        {
            throw PortalSandboxError.Invalid("priority", $"Priority: {priority} is not valid");
        }
    }

    internal static void ValidateStatus(string status)
    {
        if (!Statuses.Contains(status))
        {
            throw PortalSandboxError.Invalid("status", $"Status: {status} is not valid");
        }
    }

    /// <summary>The emails the ConnectWise sandbox gives its members, in seeding order (index 0 is its first member after the API member).</summary>
    internal static string PsaMemberEmail(int index)
    {
        var first = PsaFirstNames[index % PsaFirstNames.Length];
        var last = PsaLastNames[(index / PsaFirstNames.Length + index) % PsaLastNames.Length];
        var suffix = index < PsaFirstNames.Length ? "" : (index / PsaFirstNames.Length).ToString(CultureInfo.InvariantCulture);
        return $"{first}.{last}{suffix}@msp.example".ToLowerInvariant();
    }

    /// <summary>Zendesk timestamps have whole seconds; they never go backwards here, so updated_at order is change order.</summary>
    private DateTimeOffset Stamp()
    {
        var now = _time.GetUtcNow();
        now = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        _lastStamp = now > _lastStamp ? now : _lastStamp;
        return _lastStamp;
    }

    private void Touch(PortalSandboxTicket ticket, DateTimeOffset generatedAt)
    {
        if (_tickets.TryGetValue(ticket.Id, out var old))
        {
            _ticketsBySequence.Remove(old.Sequence);
        }

        var stored = ticket with { Sequence = ++_sequence, GeneratedAt = generatedAt };
        _tickets[ticket.Id] = stored;
        _ticketsBySequence[stored.Sequence] = stored.Id;
    }

    private PortalSandboxUser AddUserCore(string name, string email, string role, DateTimeOffset at)
    {
        var user = new PortalSandboxUser(_nextUserId++, name, email, role, at);
        _users[user.Id] = user;
        return user;
    }

    private PortalSandboxTicket AddTicketCore(string subject, string description, string? clusterId, string? priority, string status, long requesterId, DateTimeOffset at)
    {
        var id = _nextTicketId++;
        var auditId = _nextEventId++;
        _comments[id] = [new PortalSandboxComment(_nextEventId++, id, requesterId, description, true, at, auditId)];
        Touch(new PortalSandboxTicket(id, subject, description, priority, status, requesterId, clusterId, null, at, at), at);
        return _tickets[id];
    }

    private void Seed()
    {
        var random = new Random(Options.Seed);
        var epoch = Options.SeedEpoch ?? _time.GetUtcNow().AddDays(-30);
        epoch = new DateTimeOffset(epoch.UtcTicks - (epoch.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var second = 0;
        DateTimeOffset Next() => epoch.AddSeconds(second++);

        ApiUser = AddUserCore("EasyConnect Integration", Options.AgentEmail, "admin", Next());
        var agents = new List<PortalSandboxUser>();
        for (var i = 0; i < Options.Agents; i++)
        {
            var email = i < Options.Agents - 1 ? PsaMemberEmail(i) : "helpdesk.lead@msp.example";
            var name = i < Options.Agents - 1
                ? string.Join(' ', email.Split('@')[0].Split('.').Select(p => char.ToUpperInvariant(p[0]) + p[1..]))
                : "Helpdesk Lead";
            agents.Add(AddUserCore(name, email, "agent", Next()));
        }

        var customers = new List<PortalSandboxUser>();
        for (var i = 0; i < Options.EndUsers; i++)
        {
            var first = CustomerFirstNames[i % CustomerFirstNames.Length];
            var domain = CustomerDomains[i % CustomerDomains.Length];
            var suffix = i < CustomerFirstNames.Length ? "" : (i / CustomerFirstNames.Length).ToString(CultureInfo.InvariantCulture);
            customers.Add(AddUserCore($"{first} {domain.Split('.')[0].ToUpperInvariant()[0]}{domain.Split('.')[0][1..]}{suffix}", $"{first}{suffix}@{domain}".ToLowerInvariant(), "end-user", Next()));
        }

        for (var i = 0; i < Options.Tickets; i++)
        {
            var requester = customers[i % customers.Count];
            var cluster = (i % 10) switch
            {
                8 => null,
                // Seven digits after "CL-": no ConnectWise sandbox configuration (CL-000001 onwards, at most a million) can have it.
                9 => $"CL-9{i:000000}",
                _ => $"CL-{i * 7 % Options.MatchingClusterIds + 1:000000}",
            };
            var priority = i % 5 == 0 ? null : Priorities[i % 5 - 1];
            // Every priority meets every status within 30 tickets.
            var status = Statuses[i / 5 % Statuses.Length];
            var problem = Problems[i % Problems.Length];
            var at = Next();
            var ticket = AddTicketCore(cluster is null ? problem : $"{problem} ({cluster})",
                $"{problem}. Noticed this morning; it affects {1 + random.Next(20)} people.\nPlease have a look.", cluster, priority, status, requester.Id, at);
            var extra = random.Next(4);
            for (var c = 0; c < extra; c++)
            {
                var byAgent = c % 2 == 0;
                var author = byAgent ? agents[random.Next(agents.Count)] : requester;
                var comment = new PortalSandboxComment(_nextEventId + 1, ticket.Id, author.Id, Replies[random.Next(Replies.Length)],
                    !byAgent || random.Next(2) == 0, Next(), _nextEventId);
                _nextEventId += 2;
                _comments[ticket.Id].Add(comment);
                Touch(_tickets[ticket.Id] with { UpdatedAt = comment.CreatedAt }, comment.CreatedAt);
            }
        }

        _lastStamp = epoch.AddSeconds(second);
        SeedRecent(customers);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    internal static string EncodeCursor(long value) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(value.ToString(CultureInfo.InvariantCulture))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static long? DecodeCursor(string? cursor)
    {
        if (string.IsNullOrWhiteSpace(cursor))
        {
            return null;
        }

        try
        {
            var text = cursor.Replace('-', '+').Replace('_', '/');
            text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
            return long.TryParse(Encoding.UTF8.GetString(Convert.FromBase64String(text)), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

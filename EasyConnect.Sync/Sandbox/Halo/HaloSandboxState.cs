using System.Globalization;
using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.Halo;

/// <summary>
/// The simulated HaloPSA instance: its records in memory in id order under Halo's own JSON field names (tickets are <c>Faults</c>,
/// agents <c>Uname</c>, clients <c>Area</c>, assets <c>Device</c>, priorities <c>Policy</c> per SLA, statuses <c>TStatus</c>, teams
/// <c>SectionDetail</c>), the access tokens it issued and the rolling request count, seeded from <see cref="HaloSandboxOptions"/>.
/// Thread-safe; one per app.
/// </summary>
public sealed partial class HaloSandboxState
{
    /// <summary>Record kinds, named as Halo's API paths name them.</summary>
    public const string Tickets = "Tickets", Actions = "Actions", Agents = "Agent", Clients = "Client", Sites = "Site", Assets = "Asset",
        Statuses = "Status", Teams = "Team", Priorities = "Priority", Slas = "SLA", Outcomes = "Outcome";

    internal static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    private static readonly string[] Kinds = [Tickets, Actions, Agents, Clients, Sites, Assets, Statuses, Teams, Priorities, Slas, Outcomes];

    // The field each kind stamps on every change; Halo names it differently per record.
    private static readonly Dictionary<string, string> StampFields = new(StringComparer.OrdinalIgnoreCase)
    {
        [Tickets] = "last_update",
        [Actions] = "last_updated",
        [Agents] = "last_modified",
        [Clients] = "alastupdate",
        [Sites] = "slastupdate",
        [Assets] = "last_modified",
        [Teams] = "last_modified",
    };

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, SortedList<long, Stored>> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, long> _nextIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<HaloSandboxEmail> _emails = [];
    private DateTimeOffset _lastStamp;

    /// <summary>Seeds the instance from <paramref name="options"/>.</summary>
    public HaloSandboxState(HaloSandboxOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        Options = options;
        _time = time;
        foreach (var kind in Kinds)
        {
            _tables[kind] = [];
            _nextIds[kind] = 1;
        }

        Seed();
    }

    /// <summary>What the sandbox accepts and seeded.</summary>
    public HaloSandboxOptions Options { get; }

    /// <summary>Fault injection and the log of requests received; settable at runtime.</summary>
    public SandboxFaultInjector Faults { get; } = new();

    /// <summary>The agent the API application acts as: the author of what the API writes.</summary>
    public long ApiAgentId { get; private set; }

    /// <summary>The team new tickets go to when they name none.</summary>
    public string DefaultTeam { get; private set; } = "";

    /// <summary>Emails Halo sent to end users for public actions posted with <c>sendemail</c> true, oldest first.</summary>
    public IReadOnlyList<HaloSandboxEmail> EmailsSent
    {
        get
        {
            lock (_gate)
            {
                return [.. _emails];
            }
        }
    }

    /// <summary>Ids of every record of <paramref name="kind"/>, listed yet or not, in id order.</summary>
    public IReadOnlyList<long> Ids(string kind)
    {
        lock (_gate)
        {
            return [.. Table(kind).Keys];
        }
    }

    /// <summary>A copy of one record as stored (read-after-write lag aside), or null.</summary>
    public JsonObject? Find(string kind, long id)
    {
        lock (_gate)
        {
            return Table(kind).TryGetValue(id, out var stored) ? Copy(stored.Node) : null;
        }
    }

    /// <summary>Copies of the records of <paramref name="kind"/> that <paramref name="where"/> accepts, in id order, lag aside.</summary>
    public IReadOnlyList<JsonObject> All(string kind, Func<JsonObject, bool>? where = null)
    {
        lock (_gate)
        {
            return [.. Table(kind).Values.Select(s => s.Node).Where(n => where is null || where(n)).Select(Copy)];
        }
    }

    /// <summary>The records of <paramref name="kind"/> a list shows now (past their read-after-write lag), in id order; copies.</summary>
    internal List<JsonObject> Listed(string kind, Func<JsonObject, bool>? where = null)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return [.. Table(kind).Values.Where(s => s.VisibleAt <= now).Select(s => s.Node).Where(n => where is null || where(n)).Select(Copy)];
        }
    }

    /// <summary>One record as Halo answers <c>GET /api/{kind}/{id}</c> (reads of one id see every write at once), or null.</summary>
    internal JsonObject? One(string kind, long id)
    {
        lock (_gate)
        {
            return Table(kind).TryGetValue(id, out var stored) ? Copy(stored.Node) : null;
        }
    }

    internal static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    internal static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s)
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;

    // A number may be held as any numeric CLR type (or come as text), so it is read from its JSON form.
    internal static long? Long(JsonNode? node) => node is not JsonValue v ? null : v.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.Number when long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        System.Text.Json.JsonValueKind.Number when double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) => (long)d,
        System.Text.Json.JsonValueKind.String when long.TryParse(v.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
        _ => null,
    };

    // Halo's DTOs take "True"/"false" strings for booleans as readily as JSON booleans.
    internal static bool? Bool(JsonNode? node) => node is JsonValue v
        ? v.TryGetValue<bool>(out var b) ? b
        : v.TryGetValue<string>(out var s) && bool.TryParse(s, out var p) ? p
        : Long(v) is { } n ? n != 0
        : null
        : null;

    internal static string? Text(JsonNode? node) => node is JsonValue v ? v.TryGetValue<string>(out var s) ? s : v.ToJsonString() : null;

    private static JsonObject Copy(JsonObject node) => (JsonObject)node.DeepClone();

    private SortedList<long, Stored> Table(string kind) => _tables[kind];

    private long NextId(string kind)
    {
        var id = _nextIds[kind];
        _nextIds[kind] = id + 1;
        return id;
    }

    // Each change gets a strictly later stamp, so a watermark always moves even within one clock tick.
    private DateTimeOffset Stamp()
    {
        var now = _time.GetUtcNow();
        _lastStamp = now > _lastStamp ? now : _lastStamp.AddMilliseconds(1);
        return _lastStamp;
    }

    private long Insert(string kind, JsonObject fields, DateTimeOffset at, TimeSpan lag)
    {
        var id = NextId(kind);
        var node = new JsonObject(NodeOptions) { ["id"] = id };
        foreach (var (key, value) in fields)
        {
            node[key] = value?.DeepClone();
        }

        if (StampFields.TryGetValue(kind, out var stamp))
        {
            node[stamp] = Iso(at);
        }

        Table(kind)[id] = new Stored(node, VisibleFrom(lag));
        return id;
    }

    // A stamp may run ahead of the clock by a tick or two (each change gets a later one), so lists show a write by the clock itself.
    private DateTimeOffset VisibleFrom(TimeSpan lag) => lag <= TimeSpan.Zero ? DateTimeOffset.MinValue : _time.GetUtcNow() + lag;

    private JsonObject Existing(string kind, long id) =>
        Table(kind).TryGetValue(id, out var stored) ? stored.Node : throw new HaloSandboxError(404, $"{kind} {id} was not found.");

    private void Touch(string kind, JsonObject node, DateTimeOffset at)
    {
        if (StampFields.TryGetValue(kind, out var stamp))
        {
            node[stamp] = Iso(at);
        }
    }

    private sealed class Stored(JsonObject node, DateTimeOffset visibleAt)
    {
        public JsonObject Node { get; } = node;

        public DateTimeOffset VisibleAt { get; } = visibleAt;
    }
}

/// <summary>An email Halo sent to a ticket's end user because a public action asked for it.</summary>
public sealed record HaloSandboxEmail(long TicketId, long ActionId, string Note, DateTimeOffset At);

/// <summary>An error the sandbox answers with: Halo sends the message as a JSON string.</summary>
internal sealed class HaloSandboxError(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

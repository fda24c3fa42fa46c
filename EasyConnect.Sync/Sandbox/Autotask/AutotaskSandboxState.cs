using System.Globalization;
using System.Text.Json.Nodes;

namespace EasyConnect.Sync.Sandbox.Autotask;

/// <summary>
/// The simulated Autotask database: every entity's records in memory in id order, the tenant's picklists, deleted-ticket
/// logs and the rolling-hour request count, seeded from <see cref="AutotaskSandboxOptions"/>. Thread-safe; one per app.
/// </summary>
public sealed partial class AutotaskSandboxState
{
    /// <summary>Entity names as Autotask spells them in its URLs.</summary>
    public const string Tickets = "Tickets", TicketNotes = "TicketNotes", Resources = "Resources", Companies = "Companies",
        ConfigurationItems = "ConfigurationItems", DeletedTicketLogs = "DeletedTicketLogs";

    internal static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = true };

    private static readonly string[] EntityNames = [Tickets, TicketNotes, Resources, Companies, ConfigurationItems, DeletedTicketLogs];

    // Last-modified fields differ per entity in Autotask; Resources and deleted-ticket logs have none.
    private static readonly Dictionary<string, string[]> Stamps = new(StringComparer.OrdinalIgnoreCase)
    {
        [Tickets] = ["lastTrackedModificationDateTime", "lastActivityDate"],
        [TicketNotes] = ["lastActivityDate"],
        [Companies] = ["lastTrackedModifiedDateTime", "lastActivityDate"],
        [ConfigurationItems] = ["lastModifiedTime"],
        [Resources] = [],
        [DeletedTicketLogs] = [],
    };

    private static readonly Dictionary<string, string[]> Required = new(StringComparer.OrdinalIgnoreCase)
    {
        [Tickets] = ["title", "status", "priority", "companyID"],
        [TicketNotes] = ["ticketID", "title", "description", "noteType", "publish"],
        [Companies] = ["companyName", "companyType"],
        [ConfigurationItems] = ["companyID", "productID", "isActive"],
        [Resources] = ["firstName", "lastName", "userName"],
        [DeletedTicketLogs] = [],
    };

    private static readonly Dictionary<(string Entity, string Field), int> Lengths = new()
    {
        [(Tickets, "title")] = 255,
        [(Tickets, "description")] = 8_000,
        [(TicketNotes, "title")] = 250,
        [(TicketNotes, "description")] = 32_000,
    };

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, SortedList<long, Stored>> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, long> _nextIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string Entity, string Field), List<AutotaskSandboxPicklistValue>> _picklists = [];
    private readonly Queue<DateTimeOffset> _hour = new();
    private readonly Dictionary<string, int> _threads = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset _lastStamp;

    /// <summary>Seeds the database from <paramref name="options"/>.</summary>
    public AutotaskSandboxState(AutotaskSandboxOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        Options = options;
        _time = time;
        foreach (var name in EntityNames)
        {
            _tables[name] = [];
        }

        Seed();
    }

    /// <summary>What the sandbox accepts and seeded.</summary>
    public AutotaskSandboxOptions Options { get; }

    /// <summary>Fault injection and the log of requests received; settable at runtime.</summary>
    public SandboxFaultInjector Faults { get; } = new();

    /// <summary>The resource id of the API-only user: the creator of what the API writes without impersonation.</summary>
    public long ApiResourceId { get; private set; }

    /// <summary>Ids of every record of <paramref name="entity"/>, visible or not yet, in id order.</summary>
    public IReadOnlyList<long> Ids(string entity)
    {
        lock (_gate)
        {
            return [.. Table(entity).Keys];
        }
    }

    /// <summary>A copy of one record as stored, whatever the replication lag, or null.</summary>
    public JsonObject? Find(string entity, long id)
    {
        lock (_gate)
        {
            return Table(entity).TryGetValue(id, out var stored) ? (JsonObject)stored.Node.DeepClone() : null;
        }
    }

    /// <summary>The picklist values of one field, inactive ones included, in sort order.</summary>
    public IReadOnlyList<AutotaskSandboxPicklistValue> Picklist(string entity, string field)
    {
        lock (_gate)
        {
            return _picklists.TryGetValue((Canonical(entity), field), out var values) ? [.. values] : [];
        }
    }

    /// <summary>Creates a record through the API; <paramref name="creator"/> is the resource it is written as.</summary>
    internal long Create(string entity, JsonObject body, long creator, long? impersonator)
    {
        entity = Canonical(entity);
        if (entity == DeletedTicketLogs)
        {
            throw new AutotaskSandboxError(405, "DeletedTicketLogs is read-only.");
        }

        lock (_gate)
        {
            var node = new JsonObject(NodeOptions);
            foreach (var (key, value) in body)
            {
                if (!string.Equals(key, "id", StringComparison.OrdinalIgnoreCase))
                {
                    node[key] = value?.DeepClone();
                }
            }

            Validate(entity, node, node.Select(p => p.Key));
            if (entity is Tickets or ConfigurationItems && Long(node["companyID"]) is { } company && !Table(Companies).ContainsKey(company))
            {
                throw new AutotaskSandboxError(500, $"Reference value on field: companyID of type: Company does not exist or is invalid.");
            }

            var now = Stamp();
            var id = NextId(entity);
            node["id"] = id;
            switch (entity)
            {
                case Tickets:
                    node["ticketNumber"] = $"T{now:yyyyMMdd}.{id % 10_000:0000}";
                    node["createDate"] = Iso(now);
                    node["creatorResourceID"] = creator;
                    break;
                case TicketNotes:
                    var ticketId = Long(node["ticketID"]);
                    if (ticketId is not { } t || !Table(Tickets).TryGetValue(t, out var ticket))
                    {
                        throw new AutotaskSandboxError(500, $"Reference value on field: ticketID of type: Ticket does not exist or is invalid.");
                    }

                    node["createDateTime"] = Iso(now);
                    node["creatorResourceID"] = creator;
                    node["impersonatorCreatorResourceID"] = impersonator;
                    ticket.Node["lastActivityDate"] = Iso(now);
                    ticket.Node["lastActivityResourceID"] = creator;
                    break;
                default:
                    node["createDate"] = Iso(now);
                    break;
            }

            foreach (var stamp in Stamps[entity])
            {
                node[stamp] = Iso(now);
            }

            Table(entity)[id] = new Stored(node, now + Options.ReadAfterWriteLag);
            return id;
        }
    }

    /// <summary>Applies a partial update: the body carries <c>id</c> and the changed fields.</summary>
    internal long Update(string entity, JsonObject body, long? parentId)
    {
        entity = Canonical(entity);
        var id = Long(body["id"]) ?? throw new AutotaskSandboxError(500, "The id field is required to update an entity.");
        lock (_gate)
        {
            if (entity == DeletedTicketLogs)
            {
                throw new AutotaskSandboxError(405, "DeletedTicketLogs is read-only.");
            }

            if (!Table(entity).TryGetValue(id, out var stored) || (parentId is { } p && Long(stored.Node["ticketID"]) != p))
            {
                throw new AutotaskSandboxError(500, $"Unable to find {entity} with id {id}.");
            }

            var node = (JsonObject)stored.Node.DeepClone();
            foreach (var (key, value) in body)
            {
                if (!string.Equals(key, "id", StringComparison.OrdinalIgnoreCase))
                {
                    node[key] = value?.DeepClone();
                }
            }

            Validate(entity, node, body.Select(p => p.Key));
            var now = Stamp();
            foreach (var stamp in Stamps[entity])
            {
                node[stamp] = Iso(now);
            }

            stored.Node = node;
            return id;
        }
    }

    /// <summary>The records of <paramref name="entity"/> visible now (past their replication lag), in id order; copies.</summary>
    internal List<JsonObject> Visible(string entity, Func<JsonObject, bool>? scope = null)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return [.. Table(entity).Values.Where(s => s.VisibleAt <= now).Select(s => s.Node).Where(n => scope is null || scope(n))
                .Select(n => (JsonObject)n.DeepClone())];
        }
    }

    /// <summary>One visible record, a copy, or null when it is missing or still replicating.</summary>
    internal JsonObject? VisibleOne(string entity, long id)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return Table(entity).TryGetValue(id, out var s) && s.VisibleAt <= now ? (JsonObject)s.Node.DeepClone() : null;
        }
    }

    internal static bool IsEntity(string entity) => EntityNames.Contains(entity, StringComparer.OrdinalIgnoreCase);

    internal static string Canonical(string entity) =>
        EntityNames.FirstOrDefault(e => string.Equals(e, entity, StringComparison.OrdinalIgnoreCase))
        ?? throw new AutotaskSandboxError(404, $"The entity {entity} does not exist.");

    internal static IReadOnlyList<string> StampFields(string entity) => Stamps[Canonical(entity)];

    internal static IReadOnlyList<string> RequiredFields(string entity) => Required[Canonical(entity)];

    internal static int? Length(string entity, string field) =>
        Lengths.FirstOrDefault(l => l.Key.Entity == Canonical(entity) && string.Equals(l.Key.Field, field, StringComparison.OrdinalIgnoreCase)).Value is var n and > 0 ? n : null;

    internal IReadOnlyList<(string Field, List<AutotaskSandboxPicklistValue> Values)> Picklists(string entity)
    {
        lock (_gate)
        {
            return [.. _picklists.Where(p => p.Key.Entity == Canonical(entity)).Select(p => (p.Key.Field, p.Value.ToList()))];
        }
    }

    internal static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    internal static long? Long(JsonNode? node) => node is JsonValue v
        ? v.TryGetValue<long>(out var l) ? l
        : v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p
        : null
        : null;

    private void Validate(string entity, JsonObject node, IEnumerable<string> changed)
    {
        foreach (var field in Required[entity])
        {
            if (node[field] is null || (node[field] is JsonValue v && v.TryGetValue<string>(out var s) && string.IsNullOrWhiteSpace(s)))
            {
                throw new AutotaskSandboxError(500, $"Missing Required Field: {field}");
            }
        }

        foreach (var ((e, field), max) in Lengths)
        {
            if (e == entity && node[field] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > max)
            {
                throw new AutotaskSandboxError(500, $"Value for field {field} exceeds the maximum length of {max} characters.");
            }
        }

        if (entity == Tickets && node["assignedResourceID"] is not null && node["assignedResourceRoleID"] is null)
        {
            throw new AutotaskSandboxError(500, "When assignedResourceID is set, assignedResourceRoleID is required.");
        }

        foreach (var ((e, field), values) in _picklists)
        {
            if (e != entity || node[field] is not JsonValue given || !changed.Contains(field, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var text = given.ToJsonString().Trim('"');
            var match = values.FirstOrDefault(p => p.Value == text);
            if (match is null)
            {
                throw new AutotaskSandboxError(500, $"Value {text} does not exist for picklist field {field}.");
            }

            if (!match.IsActive)
            {
                throw new AutotaskSandboxError(500, $"Value {text} ({match.Label}) of picklist field {field} is inactive.");
            }
        }
    }

    private SortedList<long, Stored> Table(string entity) => _tables[Canonical(entity)];

    private long NextId(string entity)
    {
        var id = _nextIds[Canonical(entity)];
        _nextIds[Canonical(entity)] = id + 1;
        return id;
    }

    // Each change gets a strictly later stamp, so a watermark always moves even within one clock tick.
    private DateTimeOffset Stamp()
    {
        var now = _time.GetUtcNow();
        _lastStamp = now > _lastStamp ? now : _lastStamp.AddMilliseconds(1);
        return _lastStamp;
    }

    private sealed class Stored(JsonObject node, DateTimeOffset visibleAt)
    {
        public JsonObject Node { get; set; } = node;

        public DateTimeOffset VisibleAt { get; } = visibleAt;
    }
}

/// <summary>One value of an Autotask picklist, as <c>entityInformation/fields</c> serves it.</summary>
public sealed record AutotaskSandboxPicklistValue(string Value, string Label, bool IsActive, bool IsDefaultValue, int SortOrder, string ParentValue = "");

/// <summary>An error the sandbox answers with, in Autotask's <c>{"errors":[...]}</c> shape.</summary>
internal sealed class AutotaskSandboxError(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

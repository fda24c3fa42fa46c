using System.Collections.Concurrent;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Settings;

namespace EasyConnect.Sync.Tickets;

/// <summary>What one ticket sync run shares between the tickets it syncs: settings, clients, counters and look-up caches.</summary>
internal sealed class TicketRun(
    Guid connectionId, Guid runId, AdvancedSettings settings, IPsaClient psa, IPortalClient portal, TicketSyncOptions options, TicketLookups lookups)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string?>>> _membersByEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<Task<(string Name, string? MappedEmail)>>> _members = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<string?>>> _portalUsers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(PsaNameKind, string), Lazy<Task<string?>>> _names = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<CompanyMatch>>> _companies = new(StringComparer.Ordinal);
    private Lazy<Task<IReadOnlyDictionary<string, string>>>? _overrides;

    public Guid ConnectionId { get; } = connectionId;

    public Guid RunId { get; } = runId;

    public AdvancedSettings Settings { get; } = settings;

    public IPsaClient Psa { get; } = psa;

    public IPortalClient Portal { get; } = portal;

    public TicketSyncOptions Options { get; } = options;

    public TicketLookups Lookups { get; } = lookups;

    public PsaKind Kind => Psa.Kind;

    public TicketRunCounters Counters { get; } = new();

    /// <summary>
    /// PSA tickets (by PSA id) this run wrote to where the write's answer carried no stamp (<see cref="PsaProduct.CreateAnswersCarryStamps"/>):
    /// the read of changes at the end of the run confirms them as EasyConnect's own writes, with one read of their notes a page.
    /// </summary>
    public ConcurrentDictionary<string, long> Unstamped { get; } = new(StringComparer.Ordinal);

    /// <summary>Set when this run read the portal from a start time rather than a stored cursor (a first run, or a reach further back).</summary>
    public DateTimeOffset? PortalReadFrom { get; set; }

    /// <summary>
    /// What a ticket's fields map to; the company a ClusterID names is looked up once per run, as the tickets of one customer share it
    /// (a failed look-up is not cached).
    /// </summary>
    public Task<TicketPlan> PlanAsync(TicketLink ticket, CancellationToken cancellationToken) =>
        TicketLookups.PlanAsync(Settings, Kind, ticket, companyId => Lookups.PriorityMapAsync(ConnectionId, Settings, Kind, ticket, companyId, cancellationToken), async clusterId =>
        {
            if (string.IsNullOrWhiteSpace(clusterId))
            {
                return await Lookups.CompanyAsync(ConnectionId, Settings, Kind, clusterId, null, cancellationToken);
            }

            var lazy = _companies.GetOrAdd(clusterId, c => new Lazy<Task<CompanyMatch>>(async () =>
                await Lookups.CompanyAsync(ConnectionId, Settings, Kind, c, await OverridesAsync(cancellationToken), cancellationToken)));
            try
            {
                return await lazy.Value;
            }
            catch
            {
                _companies.TryRemove(clusterId, out _);
                throw;
            }
        });

    private async Task<IReadOnlyDictionary<string, string>> OverridesAsync(CancellationToken cancellationToken)
    {
        var lazy = _overrides;
        if (lazy is null)
        {
            Interlocked.CompareExchange(ref _overrides, new Lazy<Task<IReadOnlyDictionary<string, string>>>(() => Lookups.OverridesAsync(ConnectionId, cancellationToken)), null);
            lazy = _overrides!;
        }

        try
        {
            return await lazy.Value;
        }
        catch
        {
            Interlocked.CompareExchange(ref _overrides, null, lazy);
            throw;
        }
    }

    /// <summary>The PSA member mapped to the EasyConnect user with this email (cached for the run).</summary>
    public Task<string?> MemberForEmailAsync(string email, CancellationToken cancellationToken) =>
        _membersByEmail.GetOrAdd(email.Trim(), e => new Lazy<Task<string?>>(() => Lookups.MemberForEmailAsync(ConnectionId, e, cancellationToken))).Value;

    /// <summary>A member's name and mapped user's email (cached for the run).</summary>
    public Task<(string Name, string? MappedEmail)> MemberAsync(string memberId, CancellationToken cancellationToken) =>
        _members.GetOrAdd(memberId, m => new Lazy<Task<(string, string?)>>(() => Lookups.MemberAsync(ConnectionId, m, cancellationToken))).Value;

    /// <summary>The names of a plan's board, company, priority and status for the ledger (each cached for the run).</summary>
    public Task<TicketPlanNames> NamesAsync(TicketPlan plan, CancellationToken cancellationToken) =>
        TicketLookups.NamesAsync(plan, async (kind, id) =>
        {
            if (id is null)
            {
                return null;
            }

            var lazy = _names.GetOrAdd((kind, id), k => new Lazy<Task<string?>>(() => Lookups.NameAsync(ConnectionId, k.Item1, k.Item2, cancellationToken)));
            try
            {
                return await lazy.Value;
            }
            catch
            {
                _names.TryRemove((kind, id), out _);
                throw;
            }
        });

    /// <summary>The portal user with this email (cached for the run; a failed look-up is not cached).</summary>
    public async Task<string?> PortalUserIdAsync(string email, CancellationToken cancellationToken)
    {
        var lazy = _portalUsers.GetOrAdd(email.Trim(), e => new Lazy<Task<string?>>(async () => (await Portal.FindUserByEmailAsync(e, cancellationToken))?.Id));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            _portalUsers.TryRemove(email.Trim(), out _);
            throw;
        }
    }
}

/// <summary>What a run did, counted across tickets synced in parallel.</summary>
internal sealed class TicketRunCounters
{
    private int _examined;
    private int _written;
    private int _created;
    private int _updated;
    private int _commentsToNotes;
    private int _notesToComments;
    private int _held;
    private int _failed;
    private int _waiting;

    public int Examined => _examined;

    public int Written => _written;

    public int Created => _created;

    public int Updated => _updated;

    public int CommentsToNotes => _commentsToNotes;

    public int NotesToComments => _notesToComments;

    public int Held => _held;

    public int Failed => _failed;

    public int Waiting => _waiting;

    public void Examine() => Interlocked.Increment(ref _examined);

    public void Write() => Interlocked.Increment(ref _written);

    public void Create() => Interlocked.Increment(ref _created);

    public void Update() => Interlocked.Increment(ref _updated);

    public void CommentToNote() => Interlocked.Increment(ref _commentsToNotes);

    public void NoteToComment() => Interlocked.Increment(ref _notesToComments);

    public void Hold() => Interlocked.Increment(ref _held);

    public void Fail() => Interlocked.Increment(ref _failed);

    public void Wait() => Interlocked.Increment(ref _waiting);
}

using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Settings;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Tickets;

/// <summary>Why one field of a ticket cannot sync, in words an MSP admin can act on.</summary>
public sealed record TicketHold(HoldKind Kind, string Reason);

/// <summary>
/// The PSA values a portal ticket maps to under the Advanced Settings, from the mirror; a field that cannot be mapped carries its hold
/// instead of a value.
/// </summary>
/// <param name="PriorityId">Null when the portal ticket has no priority (the PSA's default applies) or when held.</param>
/// <param name="CompanyNote">How the company was found, for the ledger.</param>
public sealed record TicketPlan(
    string? BoardId, TicketHold? BoardHold,
    string? PriorityId, TicketHold? PriorityHold,
    string? StatusId, TicketHold? StatusHold,
    string? CompanyId, string? ConfigurationId, TicketHold? CompanyHold, string CompanyNote)
{
    /// <summary>Every hold, in the order the ticket's page lists them.</summary>
    public IEnumerable<TicketHold> Holds => new[] { BoardHold, CompanyHold, PriorityHold, StatusHold }.OfType<TicketHold>();
}

/// <summary>The company (and configuration) a ClusterID maps to, or why it cannot; <paramref name="Note"/> says how it was found, for the ledger.</summary>
internal sealed record CompanyMatch(string? CompanyId, string? ConfigurationId, TicketHold? Hold, string Note);

/// <summary>How the PSA names the values of a <see cref="TicketPlan"/>, for the ledger.</summary>
public sealed record TicketPlanNames(string Board, string Company, string Priority, string Status);

/// <summary>Which mirrored PSA record a name is looked up for.</summary>
public enum PsaNameKind
{
    /// <summary>A service board.</summary>
    Board,

    /// <summary>A company.</summary>
    Company,

    /// <summary>A priority.</summary>
    Priority,

    /// <summary>A board status.</summary>
    Status,
}

/// <summary>
/// Look-ups the ticket sync makes in EasyConnect's own data: the mirror (configurations, companies, members) and the user mapping.
/// None of them calls the PSA.
/// </summary>
public sealed class TicketLookups(IDbContextFactory<EasyConnectDbContext> dbFactory)
{
    /// <summary>Maps a portal ticket's priority, status and ClusterID to PSA values under <paramref name="settings"/>.</summary>
    public Task<TicketPlan> PlanAsync(Guid connectionId, AdvancedSettings settings, PsaKind kind, TicketLink ticket, CancellationToken cancellationToken) =>
        PlanAsync(settings, kind, ticket, companyId => PriorityMapAsync(connectionId, settings, kind, ticket, companyId, cancellationToken),
            clusterId => CompanyAsync(connectionId, settings, kind, clusterId, null, cancellationToken));

    /// <summary>
    /// A plan whose company is found by <paramref name="company"/> (which may cache it for the run) and whose priority map comes from
    /// <paramref name="priorityMap"/>, given that company (where the company decides the priorities' scope, as a Halo client its SLA).
    /// </summary>
    internal static async Task<TicketPlan> PlanAsync(
        AdvancedSettings settings, PsaKind kind, TicketLink ticket,
        Func<string?, Task<(Dictionary<string, string> Map, string? OtherScope)>> priorityMap, Func<string?, Task<CompanyMatch>> company)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(ticket);
        var psa = TicketText.PsaName(kind);
        var boardHold = settings.DefaultBoardId is null
            ? new TicketHold(HoldKind.NoBoard, "No default board is set: choose one in Advanced Settings.")
            : null;

        var (companyId, configurationId, companyHold, note) = await company(ticket.PortalClusterId);
        string? priorityId = null;
        TicketHold? priorityHold = null;
        var (map, otherScope) = await priorityMap(companyId);
        if (ticket.PortalPriority is { } priority && !map.TryGetValue(priority, out priorityId))
        {
            priorityHold = new TicketHold(HoldKind.UnmappedPriority, otherScope is null
                ? $"The portal priority \"{priority}\" has no {psa} priority in the priority map: map it in Advanced Settings."
                : (ticket.PsaTicketId is null
                    ? $"A new {psa} ticket of this {PsaProducts.Get(kind).Nouns.Company} goes under {otherScope} (the {PsaProducts.Get(kind).Nouns.Company}'s), "
                    : $"The {psa} ticket is under {otherScope} (its {PsaProducts.Get(kind).Nouns.Company} decides it), ") +
                  $"whose priority map has no priority for the portal priority \"{priority}\": map it for that {PsaProducts.Get(kind).PriorityScope!.Noun} in Advanced Settings.");
        }

        string? statusId = null;
        TicketHold? statusHold = null;
        // A status belongs to its scope (a ConnectWise board): a ticket a technician moved to another board takes that board's map
        // when the admin set one; otherwise the map of the scope new tickets go to.
        var statusMap = ticket.PsaBoardId is { } board && board != settings.StatusScopeId && settings.StatusMapFor(board) is { Count: > 0 } boardMap
            ? boardMap
            : settings.StatusMap;
        if (!statusMap.TryGetValue(ticket.PortalStatus, out statusId))
        {
            statusHold = new TicketHold(HoldKind.UnmappedStatus,
                $"The portal status \"{ticket.PortalStatus}\" has no {psa} status in the status map: map it in Advanced Settings.");
        }

        return new TicketPlan(settings.DefaultBoardId, boardHold, priorityId, priorityHold, statusId, statusHold, companyId, configurationId, companyHold, note);
    }

    /// <summary>
    /// The priority map a ticket's priority comes from. Where the product keeps priorities per scope (HaloPSA: per SLA, and the ticket's
    /// client decides its SLA), a ticket not created yet, or one EasyConnect moves to another company, takes the map of the scope of
    /// <paramref name="companyId"/> as mirrored (<see cref="PsaSync.MirroredCompany.PriorityScopeId"/>); a linked ticket staying with its
    /// company takes the map of the scope its PSA priority belongs to, since a technician may have put it under another SLA and a
    /// priority of one SLA means nothing under another. <c>OtherScope</c> names that scope for a hold when it is not the default one.
    /// </summary>
    internal async Task<(Dictionary<string, string> Map, string? OtherScope)> PriorityMapAsync(
        Guid connectionId, AdvancedSettings settings, PsaKind kind, TicketLink ticket, string? companyId, CancellationToken cancellationToken)
    {
        var map = settings.PriorityMap;
        if (PsaProducts.Get(kind).PriorityScope is not { } scope)
        {
            return (map, null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        string? ticketScope;
        if (ticket.PsaTicketId is not null && ticket.PsaPriorityId is { } current && (companyId is null || companyId == ticket.PsaCompanyId))
        {
            ticketScope = await db.PsaPriorities.AsNoTracking().Where(p => p.ConnectionId == connectionId && p.PsaId == current)
                .Select(p => p.ScopeId).FirstOrDefaultAsync(cancellationToken);
        }
        else if (companyId is not null)
        {
            ticketScope = await db.PsaCompanies.AsNoTracking().Where(c => c.ConnectionId == connectionId && c.PsaId == companyId)
                .Select(c => c.PriorityScopeId).FirstOrDefaultAsync(cancellationToken);
        }
        else
        {
            return (map, null);
        }

        if (ticketScope is null || ticketScope == settings.PriorityScopeId)
        {
            return (map, null);
        }

        // Settings saved before the default scope was named keep their one map under no scope: it counts for the scope its priorities are of.
        var ids = map.Values.Distinct().ToList();
        var defaultIsTheTickets = settings.PriorityScopeId is null && ids.Count > 0
            && await db.PsaPriorities.AsNoTracking().AnyAsync(p => p.ConnectionId == connectionId && ids.Contains(p.PsaId) && p.ScopeId == ticketScope, cancellationToken);
        return defaultIsTheTickets ? (map, null) : (settings.PriorityMapFor(ticketScope), $"{scope.Noun} {ticketScope}");
    }

    /// <summary>The names of a plan's board, company, priority and status, from the mirror ("#id" when not mirrored yet).</summary>
    public async Task<TicketPlanNames> NamesAsync(Guid connectionId, TicketPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return await NamesAsync(plan, (kind, id) => NameAsync(connectionId, kind, id, cancellationToken));
    }

    /// <summary>A plan's names, each found by <paramref name="name"/> (which may cache them).</summary>
    internal static async Task<TicketPlanNames> NamesAsync(TicketPlan plan, Func<PsaNameKind, string?, Task<string?>> name)
    {
        var board = await name(PsaNameKind.Board, plan.BoardId);
        var company = await name(PsaNameKind.Company, plan.CompanyId);
        var priority = await name(PsaNameKind.Priority, plan.PriorityId);
        var status = await name(PsaNameKind.Status, plan.StatusId);
        return new TicketPlanNames(
            board ?? $"#{plan.BoardId}", company ?? $"#{plan.CompanyId}",
            priority ?? (plan.PriorityId is null ? "the PSA's default" : $"#{plan.PriorityId}"), status ?? $"#{plan.StatusId}");
    }

    /// <summary>The mirrored name of one board, company, priority or status; null when it is not mirrored (or no id was given).</summary>
    public async Task<string?> NameAsync(Guid connectionId, PsaNameKind kind, string? id, CancellationToken cancellationToken)
    {
        if (id is null)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return kind switch
        {
            PsaNameKind.Board => await db.PsaBoards.AsNoTracking().Where(b => b.ConnectionId == connectionId && b.PsaId == id).Select(b => b.Name).FirstOrDefaultAsync(cancellationToken),
            PsaNameKind.Company => await db.PsaCompanies.AsNoTracking().Where(c => c.ConnectionId == connectionId && c.PsaId == id).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken),
            PsaNameKind.Priority => await db.PsaPriorities.AsNoTracking().Where(p => p.ConnectionId == connectionId && p.PsaId == id).Select(p => p.Name).FirstOrDefaultAsync(cancellationToken),
            _ => await db.PsaStatuses.AsNoTracking().Where(s => s.ConnectionId == connectionId && s.PsaId == id).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken),
        };
    }

    /// <summary>The PSA member mapped to the EasyConnect user with this email, if any: who a portal comment's note is by.</summary>
    public async Task<string?> MemberForEmailAsync(Guid connectionId, string email, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var normalized = email.Trim().ToUpperInvariant();
        return await db.PsaUserMappings.Where(m => m.ConnectionId == connectionId)
            .Join(db.Users.Where(u => u.NormalizedEmail == normalized), m => m.UserId, u => u.Id, (m, _) => m.MemberPsaId)
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>A PSA member's name, and the email of the EasyConnect user mapped to it (null when unmapped): who a note's comment is by.</summary>
    public async Task<(string Name, string? MappedEmail)> MemberAsync(Guid connectionId, string memberId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var member = await db.PsaMembers.AsNoTracking().Where(m => m.ConnectionId == connectionId && m.PsaId == memberId)
            .Select(m => new { m.FirstName, m.LastName, m.Identifier }).SingleOrDefaultAsync(cancellationToken);
        var email = await db.PsaUserMappings.Where(m => m.ConnectionId == connectionId && m.MemberPsaId == memberId)
            .Join(db.Users, m => m.UserId, u => u.Id, (_, u) => u.Email).FirstOrDefaultAsync(cancellationToken);
        var name = member is null ? $"Member {memberId}"
            : string.IsNullOrWhiteSpace($"{member.FirstName}{member.LastName}") ? member.Identifier : $"{member.FirstName} {member.LastName}".Trim();
        return (name, email);
    }

    /// <summary>
    /// The company and configuration a ClusterID names under <paramref name="settings"/>, from the mirror and the client mapping page's
    /// choices; depends on nothing of the ticket but its ClusterID.
    /// </summary>
    /// <param name="overrides">The client mapping page's choices (ClusterID → configuration), when the caller read them already.</param>
    internal async Task<CompanyMatch> CompanyAsync(
        Guid connectionId, AdvancedSettings settings, PsaKind kind, string? clusterId, IReadOnlyDictionary<string, string>? overrides, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (companyId, configurationId, hold, note) = await CompanyAsync(connectionId, settings, PsaProducts.Get(kind), clusterId, overrides, cancellationToken);
        return new CompanyMatch(companyId, configurationId, hold, note);
    }

    /// <summary>Every configuration chosen by hand on the client mapping page, by ClusterID: few, and read once per run.</summary>
    internal async Task<IReadOnlyDictionary<string, string>> OverridesAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // PostgreSQL compares the ClusterID as it is stored (case and all), as the query for one ClusterID does.
        return await db.ClientMappingOverrides.AsNoTracking().Where(o => o.ConnectionId == connectionId)
            .ToDictionaryAsync(o => o.ClusterId, o => o.ConfigurationPsaId, StringComparer.Ordinal, cancellationToken);
    }

    private async Task<(string? CompanyId, string? ConfigurationId, TicketHold? Hold, string Note)> CompanyAsync(
        Guid connectionId, AdvancedSettings settings, PsaProduct product, string? clusterId, IReadOnlyDictionary<string, string>? overrides, CancellationToken cancellationToken)
    {
        var fallback = settings.FallbackCompanyId;
        var psa = product.DisplayName;
        var configurationNoun = product.Nouns.Configuration;
        var by = AdvancedSettingsStore.MatchedBy(settings, product);
        if (string.IsNullOrWhiteSpace(clusterId))
        {
            return fallback is not null
                ? (fallback, null, null, $"no ClusterID; the fallback {product.Nouns.Company}")
                : (null, null, new TicketHold(HoldKind.UnknownClusterId,
                    "The ticket has no ClusterID and no fallback company is set: fill in the ClusterID on the portal ticket, or set a fallback company in Advanced Settings."), "");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = clusterId.Trim();
        // A configuration chosen by hand on the client mapping page wins over any match by the configured field.
        var chosenId = overrides is not null ? overrides.GetValueOrDefault(key)
            : await db.ClientMappingOverrides.AsNoTracking().Where(o => o.ConnectionId == connectionId && o.ClusterId == key)
                .Select(o => o.ConfigurationPsaId).SingleOrDefaultAsync(cancellationToken);
        if (chosenId is not null)
        {
            var chosen = await db.PsaConfigurations.AsNoTracking().Where(c => c.ConnectionId == connectionId && c.PsaId == chosenId)
                .Select(c => new { c.PsaId, c.Name, c.CompanyId }).SingleOrDefaultAsync(cancellationToken);
            if (chosen is null)
            {
                return (null, null, new TicketHold(HoldKind.UnknownClusterId,
                    $"The ClusterID \"{clusterId}\" is mapped by hand to a {psa} {configurationNoun} that no longer exists: choose another on the Client mapping page."), "");
            }

            if (chosen.CompanyId is null)
            {
                return fallback is not null
                    ? (fallback, chosen.PsaId, null, $"{configurationNoun} \"{chosen.Name}\" (chosen by hand) has no {product.Nouns.Company}; the fallback {product.Nouns.Company}")
                    : (null, null, new TicketHold(HoldKind.UnknownClusterId,
                        $"The {configurationNoun} \"{chosen.Name}\" chosen by hand for ClusterID \"{clusterId}\" belongs to no {product.Nouns.Company} in {psa} and no fallback company is set: give it a company."), "");
            }

            return (chosen.CompanyId, chosen.PsaId, null, $"{configurationNoun} \"{chosen.Name}\" (ClusterID \"{clusterId}\", chosen by hand on the Client mapping page)");
        }

        var matches = await Configurations(db, connectionId, settings, key)
            .Select(c => new { c.PsaId, c.Name, c.CompanyId, c.Active })
            .OrderByDescending(c => c.Active).ThenBy(c => c.PsaId)
            .Take(20)
            .ToListAsync(cancellationToken);
        var candidates = matches.Where(m => m.Active).ToList();
        if (candidates.Count == 0 && matches.Count > 0)
        {
            // A retired device's configuration may belong to a former customer: its company is used only once someone confirms it.
            var inactive = matches[0];
            var owner = inactive.CompanyId is null ? null
                : await db.PsaCompanies.AsNoTracking().Where(c => c.ConnectionId == connectionId && c.PsaId == inactive.CompanyId).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken);
            var which = matches.Count == 1
                ? $"only the inactive {psa} {configurationNoun} \"{inactive.Name}\"{(owner is null ? "" : $" of {owner}")}"
                : $"only inactive {psa} {product.Nouns.Configurations} ({matches.Count}, first \"{inactive.Name}\")";
            return (null, null, new TicketHold(HoldKind.UnknownClusterId,
                $"The ClusterID \"{clusterId}\" matches {which}, which may no longer be the customer's device: " +
                $"make it active in {psa} (EasyConnect sees it after the next PSA sync), or confirm it or choose another on the Client mapping page."), "");
        }

        var companies = candidates.Select(c => c.CompanyId).Distinct().ToList();
        if (candidates.Count == 0)
        {
            return fallback is not null
                ? (fallback, null, null, $"ClusterID \"{clusterId}\" matches no {configurationNoun}; the fallback {product.Nouns.Company}")
                : (null, null, new TicketHold(HoldKind.UnknownClusterId,
                    $"The ClusterID \"{clusterId}\" matches no {psa} {configurationNoun} (compared with the {configurationNoun}'s {by}) and no fallback company is set. " +
                    $"Add the {configurationNoun} in {psa} (EasyConnect sees it after the next PSA sync), correct the ClusterID on the portal ticket, choose its {configurationNoun} on the Client mapping page, or set a fallback company in Advanced Settings."), "");
        }

        if (companies.Count > 1)
        {
            var names = await db.PsaCompanies.AsNoTracking().Where(c => c.ConnectionId == connectionId && companies.Contains(c.PsaId)).Select(c => c.Name).ToListAsync(cancellationToken);
            return (null, null, new TicketHold(HoldKind.UnknownClusterId,
                $"The ClusterID \"{clusterId}\" matches configurations of {companies.Count} companies ({string.Join(", ", names.Order(StringComparer.OrdinalIgnoreCase))}): " +
                $"make it unique in {psa} so EasyConnect knows the ticket's company."), "");
        }

        var configuration = candidates[0];
        if (configuration.CompanyId is null)
        {
            return fallback is not null
                ? (fallback, configuration.PsaId, null, $"{configurationNoun} \"{configuration.Name}\" has no {product.Nouns.Company}; the fallback {product.Nouns.Company}")
                : (null, null, new TicketHold(HoldKind.UnknownClusterId,
                    $"The {configurationNoun} \"{configuration.Name}\" for ClusterID \"{clusterId}\" belongs to no {product.Nouns.Company} in {psa} and no fallback company is set: give it a company."), "");
        }

        return (configuration.CompanyId, configuration.PsaId, null, $"{configurationNoun} \"{configuration.Name}\" (ClusterID \"{clusterId}\")");
    }

    private static IQueryable<PsaSync.MirroredConfiguration> Configurations(EasyConnectDbContext db, Guid connectionId, AdvancedSettings settings, string clusterId)
    {
        var all = db.PsaConfigurations.AsNoTracking().Where(c => c.ConnectionId == connectionId);
        var lower = clusterId.ToLowerInvariant();
        return settings.ClusterIdMatch switch
        {
            // A configuration without a name of its own (an Autotask item named after its serial number) has no name to match.
            ClusterIdMatch.Name => all.Where(c => !c.Unnamed && c.Name.ToLower() == lower),
            ClusterIdMatch.SerialNumber => all.Where(c => c.SerialNumber == clusterId),
            ClusterIdMatch.TagNumber => all.Where(c => c.TagNumber == clusterId),
            // Containment is what the mirror's GIN index on custom_fields serves.
            _ => db.PsaConfigurations.FromSqlInterpolated(
                    $"SELECT * FROM psa_configurations WHERE connection_id = {connectionId} AND custom_fields @> jsonb_build_object({settings.ClusterIdCustomField ?? "ClusterID"}::text, {clusterId}::text)")
                .AsNoTracking(),
        };
    }
}

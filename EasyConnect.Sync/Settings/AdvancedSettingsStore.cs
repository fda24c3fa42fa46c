using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Jobs;
using EasyConnect.Sync.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Settings;

/// <summary>A PSA value offered in a map (board, status, priority, company).</summary>
public sealed record PsaOption(string Id, string Name);

/// <summary>
/// Reads and saves Advanced Settings. Values offered come from the mirror; unsaved settings are
/// pre-filled by name and count only once an admin saves (confirms) them. Sync cannot be switched on
/// while a portal value is unmapped; every change is audited.
/// </summary>
public sealed class AdvancedSettingsStore(IDbContextFactory<EasyConnectDbContext> dbFactory, AuditLog audit, RecurringJobSchedule jobs, TimeProvider clock)
{
    /// <summary>The portal's priorities, in the order the page lists them.</summary>
    public static readonly IReadOnlyList<string> PortalPriorities = ["low", "normal", "high", "urgent"];

    /// <summary>The portal's statuses, in the order the page lists them.</summary>
    public static readonly IReadOnlyList<string> PortalStatuses = ["new", "open", "pending", "hold", "solved", "closed"];

    // Words a PSA's names commonly use for each portal value; the first match pre-fills the map.
    private static readonly Dictionary<string, string[]> PriorityWords = new()
    {
        ["low"] = ["low", "priority 4", "p4"], ["normal"] = ["medium", "normal", "priority 3", "p3"],
        ["high"] = ["high", "priority 2", "p2"], ["urgent"] = ["emergency", "critical", "urgent", "priority 1", "p1"],
    };

    private static readonly Dictionary<string, string[]> StatusWords = new()
    {
        ["new"] = ["new"], ["open"] = ["in progress", "open", "assigned"], ["pending"] = ["waiting", "pending", "customer"],
        ["hold"] = ["hold", "scheduled"], ["solved"] = ["resolved", "solved", "completed"], ["closed"] = ["closed", "cancel"],
    };

    /// <summary>The stored settings, or settings pre-filled by name (with <see cref="AdvancedSettings.ConfirmedAt"/> null).</summary>
    public async Task<AdvancedSettings> GetAsync(Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.AdvancedSettings.AsNoTracking().SingleOrDefaultAsync(s => s.ConnectionId == connectionId, cancellationToken);
        if (stored is not null)
        {
            return stored;
        }

        var boards = await BoardsAsync(connectionId, cancellationToken);
        var board = boards.FirstOrDefault(b => b.Name.Contains("help", StringComparison.OrdinalIgnoreCase) || b.Name.Contains("service", StringComparison.OrdinalIgnoreCase)) ?? boards.FirstOrDefault();
        var settings = new AdvancedSettings { ConnectionId = connectionId, DefaultBoardId = board?.Id };
        settings.PriorityMap = Prefill(PortalPriorities, await PrioritiesAsync(connectionId, cancellationToken), PriorityWords);
        settings.StatusMap = board is null ? [] : Prefill(PortalStatuses, await StatusesAsync(connectionId, board.Id, cancellationToken), StatusWords);
        return settings;
    }

    /// <summary>Active boards of the connection.</summary>
    public async Task<IReadOnlyList<PsaOption>> BoardsAsync(Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PsaBoards.AsNoTracking().Where(b => b.ConnectionId == connectionId && !b.Inactive).OrderBy(b => b.Name)
            .Select(b => new PsaOption(b.PsaId, b.Name)).ToListAsync(cancellationToken);
    }

    /// <summary>Active statuses of one board, in the board's order.</summary>
    public async Task<IReadOnlyList<PsaOption>> StatusesAsync(Guid connectionId, string boardId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PsaStatuses.AsNoTracking().Where(s => s.ConnectionId == connectionId && s.BoardId == boardId && !s.Inactive).OrderBy(s => s.Sort).ThenBy(s => s.Name)
            .Select(s => new PsaOption(s.PsaId, s.Name)).ToListAsync(cancellationToken);
    }

    /// <summary>Priorities of the connection, in the PSA's order.</summary>
    public async Task<IReadOnlyList<PsaOption>> PrioritiesAsync(Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PsaPriorities.AsNoTracking().Where(p => p.ConnectionId == connectionId).OrderBy(p => p.Sort).ThenBy(p => p.Name)
            .Select(p => new PsaOption(p.PsaId, p.Name)).ToListAsync(cancellationToken);
    }

    /// <summary>Active companies whose name contains <paramref name="search"/>.</summary>
    public async Task<IReadOnlyList<PsaOption>> SearchCompaniesAsync(Guid connectionId, string? search, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var companies = db.PsaCompanies.AsNoTracking().Where(c => c.ConnectionId == connectionId && !c.Inactive);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePattern.Contains(search);
            companies = companies.Where(c => EF.Functions.ILike(c.Name, pattern) || EF.Functions.ILike(c.Identifier, pattern));
        }

        return await companies.OrderBy(c => c.Name).Take(take).Select(c => new PsaOption(c.PsaId, c.Name)).ToListAsync(cancellationToken);
    }

    /// <summary>The portal values without a PSA value in <paramref name="settings"/>.</summary>
    public static IReadOnlyList<string> Unmapped(AdvancedSettings settings) =>
        PortalPriorities.Where(p => !settings.PriorityMap.ContainsKey(p)).Select(p => $"priority {p}")
            .Concat(PortalStatuses.Where(s => !settings.StatusMap.ContainsKey(s)).Select(s => $"status {s}"))
            .ToList();

    /// <summary>Validates and saves the settings; returns the problems, or an empty list when saved.</summary>
    public async Task<IReadOnlyList<string>> SaveAsync(AdvancedSettings settings, string actor, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        if (settings.DefaultBoardId is null)
        {
            problems.Add("Choose the default board.");
        }

        if (settings.ClusterIdMatch == ClusterIdMatch.CustomField && string.IsNullOrWhiteSpace(settings.ClusterIdCustomField))
        {
            problems.Add("Name the custom field (question) that holds the ClusterID.");
        }

        if (TextLimit.Check(settings.ClusterIdCustomField, AdvancedSettings.ClusterIdCustomFieldMaxLength, "custom field name") is { } tooLong)
        {
            problems.Add(tooLong);
        }

        if (settings.TicketSyncMinutes is < 1 or > 1440)
        {
            problems.Add("The ticket sync runs every 1 to 1,440 minutes.");
        }

        var unmapped = Unmapped(settings);
        if (settings.SyncEnabled && unmapped.Count > 0)
        {
            problems.Add($"Sync cannot be switched on while portal values are unmapped: {string.Join(", ", unmapped)}.");
        }

        if (settings.DefaultBoardId is not null)
        {
            var boardStatuses = (await StatusesAsync(settings.ConnectionId, settings.DefaultBoardId, cancellationToken)).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            var foreign = settings.StatusMap.Where(m => !boardStatuses.Contains(m.Value)).Select(m => m.Key).ToList();
            if (foreign.Count > 0)
            {
                problems.Add($"A status belongs to a board: choose statuses of the default board for {string.Join(", ", foreign)}.");
            }
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.AdvancedSettings.SingleOrDefaultAsync(s => s.ConnectionId == settings.ConnectionId, cancellationToken);
        var before = stored is null ? null : Snapshot(stored);
        if (stored is null)
        {
            stored = new AdvancedSettings { ConnectionId = settings.ConnectionId };
            db.AdvancedSettings.Add(stored);
        }

        stored.DefaultBoardId = settings.DefaultBoardId;
        stored.PriorityMapJson = settings.PriorityMapJson;
        stored.StatusMapJson = settings.StatusMapJson;
        stored.ClusterIdMatch = settings.ClusterIdMatch;
        stored.ClusterIdCustomField = settings.ClusterIdCustomField?.Trim();
        stored.FallbackCompanyId = settings.FallbackCompanyId;
        stored.TicketSyncMinutes = settings.TicketSyncMinutes;
        stored.SyncEnabled = settings.SyncEnabled;
        stored.ConfirmedAt = clock.GetUtcNow();
        stored.ConfirmedBy = actor;
        var changes = await ChangesAsync(db, settings.ConnectionId, before, Snapshot(stored), cancellationToken);
        if (changes.Count > 0)
        {
            audit.Add(db, actor, "Advanced Settings changed", "Advanced Settings", string.Join("; ", changes));
        }

        await db.SaveChangesAsync(cancellationToken);
        await jobs.SettingsChangedAsync(cancellationToken);
        return [];
    }

    private static AdvancedSettings Snapshot(AdvancedSettings s) => new()
    {
        ConnectionId = s.ConnectionId, DefaultBoardId = s.DefaultBoardId, PriorityMapJson = s.PriorityMapJson, StatusMapJson = s.StatusMapJson,
        ClusterIdMatch = s.ClusterIdMatch, ClusterIdCustomField = s.ClusterIdCustomField, FallbackCompanyId = s.FallbackCompanyId,
        TicketSyncMinutes = s.TicketSyncMinutes, SyncEnabled = s.SyncEnabled,
    };

    /// <summary>
    /// What changed, in the PSA's names, for the audit log: "priority map: urgent → Priority 1 - Emergency Response (was Priority 2 -
    /// Quick Response)". Everything is listed when nothing was stored before.
    /// </summary>
    private static async Task<List<string>> ChangesAsync(EasyConnectDbContext db, Guid connectionId, AdvancedSettings? before, AdvancedSettings after, CancellationToken cancellationToken)
    {
        var boards = await db.PsaBoards.AsNoTracking().Where(b => b.ConnectionId == connectionId).ToDictionaryAsync(b => b.PsaId, b => b.Name, StringComparer.Ordinal, cancellationToken);
        var priorities = await db.PsaPriorities.AsNoTracking().Where(p => p.ConnectionId == connectionId).ToDictionaryAsync(p => p.PsaId, p => p.Name, StringComparer.Ordinal, cancellationToken);
        var statuses = await db.PsaStatuses.AsNoTracking().Where(p => p.ConnectionId == connectionId).ToDictionaryAsync(p => p.PsaId, p => p.Name, StringComparer.Ordinal, cancellationToken);
        var companyIds = new[] { before?.FallbackCompanyId, after.FallbackCompanyId }.OfType<string>().ToList();
        var companies = await db.PsaCompanies.AsNoTracking().Where(c => c.ConnectionId == connectionId && companyIds.Contains(c.PsaId)).ToDictionaryAsync(c => c.PsaId, c => c.Name, StringComparer.Ordinal, cancellationToken);
        static string Name(Dictionary<string, string> names, string? id, string none) => id is null ? none : names.TryGetValue(id, out var name) ? name : $"#{id} (no longer in the PSA)";

        var changes = new List<string>();
        void Field(string label, string? was, string now)
        {
            if (before is null || was != now)
            {
                changes.Add(before is null ? $"{label}: {now}" : $"{label}: {now} (was {was})");
            }
        }

        Field("default board", before is null ? null : Name(boards, before.DefaultBoardId, "none"), Name(boards, after.DefaultBoardId, "none"));
        Map("priority map", before?.PriorityMap, after.PriorityMap, priorities);
        Map("status map", before?.StatusMap, after.StatusMap, statuses);
        Field("ClusterID matched by", before is null ? null : Match(before), Match(after));
        Field("fallback company", before is null ? null : Name(companies, before.FallbackCompanyId, "none"), Name(companies, after.FallbackCompanyId, "none"));
        Field("ticket sync every", before is null ? null : $"{before.TicketSyncMinutes} min", $"{after.TicketSyncMinutes} min");
        if (before is null || before.SyncEnabled != after.SyncEnabled)
        {
            changes.Add($"ticket sync {(after.SyncEnabled ? "on" : "off")}" + (before is null ? "" : $" (was {(before.SyncEnabled ? "on" : "off")})"));
        }
        return changes;

        void Map(string label, Dictionary<string, string>? was, Dictionary<string, string> now, Dictionary<string, string> names)
        {
            foreach (var key in now.Keys.Union((IEnumerable<string>?)was?.Keys ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var old = was is not null && was.TryGetValue(key, out var o) ? Name(names, o, "unmapped") : "unmapped";
                var current = now.TryGetValue(key, out var n) ? Name(names, n, "unmapped") : "unmapped";
                if (was is null || old != current)
                {
                    changes.Add(was is null ? $"{label}: {key} → {current}" : $"{label}: {key} → {current} (was {old})");
                }
            }
        }
    }

    private static string Match(AdvancedSettings s) => s.ClusterIdMatch switch
    {
        ClusterIdMatch.Name => "configuration name",
        ClusterIdMatch.SerialNumber => "serial number",
        ClusterIdMatch.TagNumber => "tag number",
        _ => $"custom field \"{s.ClusterIdCustomField}\"",
    };

    private static Dictionary<string, string> Prefill(IReadOnlyList<string> portalValues, IReadOnlyList<PsaOption> options, Dictionary<string, string[]> words)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in portalValues)
        {
            var match = words[value].Select(w => options.FirstOrDefault(o => o.Name.Contains(w, StringComparison.OrdinalIgnoreCase))).FirstOrDefault(o => o is not null);
            if (match is not null)
            {
                map[value] = match.Id;
            }
        }

        return map;
    }
}

using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Jobs;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Settings;

/// <summary>A PSA value offered in a map (board, status, priority, company).</summary>
public sealed record PsaOption(string Id, string Name);

/// <summary>A priority scope (HaloPSA: an SLA) as Advanced Settings shows it: its priorities and how many companies' new tickets fall under it.</summary>
/// <param name="Id">The PSA's id of the scope.</param>
/// <param name="Name">The scope as the page names it ("SLA 2").</param>
/// <param name="Priorities">The scope's mirrored priorities, in the PSA's order; empty when none are mirrored.</param>
/// <param name="Companies">Active mirrored companies under the scope.</param>
/// <param name="Prefilled">Whether its map was pre-filled by name just now rather than saved before.</param>
public sealed record PriorityScopeView(string Id, string Name, IReadOnlyList<PsaOption> Priorities, int Companies, bool Prefilled);

/// <summary>What Advanced Settings offers for the product's note settings: the values the PSA has for each, or why they could not be read.</summary>
/// <param name="Settings">Each of the product's <see cref="PsaProduct.NoteSettings"/> with the values the PSA offers; empty when the product has none.</param>
/// <param name="Problem">Why the PSA's values could not be read, in plain words; null when they were.</param>
public sealed record NoteSettingsOffer(IReadOnlyList<(PsaNoteSetting Setting, PsaNoteSettingChoices Choices)> Settings, string? Problem);

/// <summary>
/// Reads and saves Advanced Settings. Values offered come from the mirror; unsaved settings are
/// pre-filled by name and count only once an admin saves (confirms) them. Sync cannot be switched on
/// while a portal value is unmapped; every change is audited. The note settings a product has (Autotask: publish level and note
/// type) are offered from the PSA itself, as the mirror keeps no such values.
/// </summary>
public sealed class AdvancedSettingsStore(
    IDbContextFactory<EasyConnectDbContext> dbFactory, AuditLog audit, RecurringJobSchedule jobs, TimeProvider clock, IPsaClientProvider psaClients)
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
        var byBoard = await StatusesByBoardAsync(connectionId, cancellationToken);
        var settings = new AdvancedSettings { ConnectionId = connectionId, DefaultBoardId = board?.Id, StatusScopeId = byBoard ? board?.Id : null };
        settings.PriorityMap = Prefill(PortalPriorities, await PrioritiesAsync(connectionId, settings.PriorityScopeId, cancellationToken), PriorityWords);
        settings.StatusMap = byBoard && board is null ? [] : Prefill(PortalStatuses, await StatusesAsync(connectionId, settings.StatusScopeId, cancellationToken), StatusWords);
        await PriorityScopesAsync(settings, cancellationToken);
        return settings;
    }

    /// <summary>
    /// The priority scopes of the connection, where its product keeps priorities per scope (HaloPSA: per SLA, and a company's new tickets
    /// fall under its SLA); empty otherwise. Every scope without a map in <paramref name="settings"/> gets one pre-filled by name from its
    /// own priorities (<see cref="PriorityScopeView.Prefilled"/>), and settings without a default scope get one: the scope their one
    /// earlier map's priorities belong to (that map moves to it), else the scope of most companies.
    /// </summary>
    public async Task<IReadOnlyList<PriorityScopeView>> PriorityScopesAsync(AdvancedSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if ((await ProductAsync(settings.ConnectionId, cancellationToken))?.PriorityScope is not { } scope)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var priorities = await db.PsaPriorities.AsNoTracking().Where(p => p.ConnectionId == settings.ConnectionId && p.ScopeId != null)
            .OrderBy(p => p.Sort).ThenBy(p => p.Name).Select(p => new { p.ScopeId, p.PsaId, p.Name }).ToListAsync(cancellationToken);
        var companies = await db.PsaCompanies.AsNoTracking().Where(c => c.ConnectionId == settings.ConnectionId && !c.Inactive && c.PriorityScopeId != null)
            .GroupBy(c => c.PriorityScopeId!).Select(g => new { Scope = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Scope, g => g.Count, StringComparer.Ordinal, cancellationToken);
        var ids = priorities.Select(p => p.ScopeId!).Concat(companies.Keys).Distinct(StringComparer.Ordinal)
            .OrderBy(id => long.TryParse(id, out var n) ? n : long.MaxValue).ThenBy(id => id, StringComparer.Ordinal).ToList();
        var maps = settings.PriorityMaps;
        if (settings.PriorityScopeId is null && ids.Count > 0)
        {
            var earlier = maps.GetValueOrDefault("") ?? [];
            var scopeOfEarlier = priorities.FirstOrDefault(p => earlier.ContainsValue(p.PsaId))?.ScopeId;
            settings.PriorityScopeId = scopeOfEarlier ?? ids.OrderByDescending(id => companies.GetValueOrDefault(id)).First();
            if (earlier.Count > 0 && !maps.ContainsKey(settings.PriorityScopeId))
            {
                maps[settings.PriorityScopeId] = earlier;
            }

            maps.Remove("");
        }

        var views = new List<PriorityScopeView>();
        foreach (var id in ids)
        {
            var options = priorities.Where(p => p.ScopeId == id).Select(p => new PsaOption(p.PsaId, p.Name)).ToList();
            var prefilled = !maps.ContainsKey(id);
            if (prefilled)
            {
                maps[id] = Prefill(PortalPriorities, options, PriorityWords);
            }

            views.Add(new PriorityScopeView(id, $"{scope.Noun} {id}", options, companies.GetValueOrDefault(id), prefilled));
        }

        settings.PriorityMapJson = System.Text.Json.JsonSerializer.Serialize(maps);
        return views;
    }

    /// <summary>
    /// Whether the connection's statuses belong to boards (its product's <see cref="PsaProduct.StatusScope"/> is the board, as in
    /// ConnectWise), so the status map that counts is the default board's. Without a stored connection the mirror tells.
    /// </summary>
    public async Task<bool> StatusesByBoardAsync(Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var kind = await db.PsaConnections.AsNoTracking().Where(c => c.Id == connectionId).Select(c => (PsaKind?)c.Kind).SingleOrDefaultAsync(cancellationToken);
        return kind is { } k
            ? PsaProducts.Get(k).StatusScope?.Parent == PsaEntity.Boards
            : await db.PsaStatuses.AnyAsync(s => s.ConnectionId == connectionId && s.ScopeId != null, cancellationToken);
    }

    /// <summary>The product of the connection; null when no connection is stored under that id.</summary>
    public async Task<PsaProduct?> ProductAsync(Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var kind = await db.PsaConnections.AsNoTracking().Where(c => c.Id == connectionId).Select(c => (PsaKind?)c.Kind).SingleOrDefaultAsync(cancellationToken);
        return kind is { } k ? PsaProducts.Get(k) : null;
    }

    /// <summary>
    /// The values the connection's PSA offers for its product's note settings (one call to the PSA; none for a product without note
    /// settings). A PSA that cannot be reached gives no values and a <see cref="NoteSettingsOffer.Problem"/>.
    /// </summary>
    public async Task<NoteSettingsOffer> NoteSettingsAsync(Guid connectionId, CancellationToken cancellationToken = default)
    {
        var product = await ProductAsync(connectionId, cancellationToken);
        if (product is null || product.NoteSettings.Count == 0)
        {
            return new([], null);
        }

        try
        {
            var client = await psaClients.GetClientAsync(connectionId, cancellationToken);
            var read = await client.ReadNoteSettingsAsync(cancellationToken);
            return new([.. product.NoteSettings.Select(s => (s, read.FirstOrDefault(c => c.Key == s.Key) ?? new PsaNoteSettingChoices(s.Key, [], null)))], null);
        }
        catch (Exception e) when (e is PsaException or InvalidOperationException or NotSupportedException && !cancellationToken.IsCancellationRequested)
        {
            return new([.. product.NoteSettings.Select(s => (s, new PsaNoteSettingChoices(s.Key, [], null)))],
                $"The note settings could not be read from {product.DisplayName}: {e.Message}");
        }
    }

    /// <summary>
    /// Fills each note setting that has no value, or a value the PSA no longer offers, with the PSA's suggestion (Autotask: an
    /// internal publish level and the tenant's default note type); an offer that could not be read changes nothing.
    /// </summary>
    public static void PrefillNoteSettings(AdvancedSettings settings, NoteSettingsOffer offer)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(offer);
        if (offer.Problem is not null)
        {
            return;
        }

        var options = settings.NoteOptions;
        foreach (var (setting, choices) in offer.Settings)
        {
            if (!options.TryGetValue(setting.Key, out var value) || choices.Values.All(v => v.Id != value))
            {
                if (choices.Suggested is { } suggested)
                {
                    options[setting.Key] = suggested;
                }
                else
                {
                    options.Remove(setting.Key);
                }
            }
        }

        settings.NoteOptions = options;
    }

    /// <summary>What a ClusterID is compared with under <paramref name="settings"/>, in the product's words ("reference title", "user-defined field (UDF) \"ClusterID\"").</summary>
    public static string MatchedBy(AdvancedSettings settings, PsaProduct? product)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var fields = product?.ClusterIdFields ?? PsaClusterIdFields.Default;
        return settings.ClusterIdMatch switch
        {
            ClusterIdMatch.Name => fields.Name ?? "name",
            ClusterIdMatch.SerialNumber => fields.SerialNumber ?? "serial number",
            ClusterIdMatch.TagNumber => fields.TagNumber ?? "tag number",
            _ => $"{fields.CustomField} \"{settings.ClusterIdCustomField}\"",
        };
    }

    /// <summary>The ways a ClusterID can be matched on the product, with their names, in the order Advanced Settings offers them.</summary>
    public static IReadOnlyList<(ClusterIdMatch Match, string Name)> ClusterIdChoices(PsaProduct? product)
    {
        var fields = product?.ClusterIdFields ?? PsaClusterIdFields.Default;
        return new (ClusterIdMatch Match, string? Name)[]
            {
                (ClusterIdMatch.Name, fields.Name), (ClusterIdMatch.SerialNumber, fields.SerialNumber), (ClusterIdMatch.TagNumber, fields.TagNumber),
                (ClusterIdMatch.CustomField, fields.CustomField),
            }
            .Where(c => c.Name is not null).Select(c => (c.Match, c.Name!)).ToList();
    }

    /// <summary>Active boards of the connection.</summary>
    public async Task<IReadOnlyList<PsaOption>> BoardsAsync(Guid connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PsaBoards.AsNoTracking().Where(b => b.ConnectionId == connectionId && !b.Inactive).OrderBy(b => b.Name)
            .Select(b => new PsaOption(b.PsaId, b.Name)).ToListAsync(cancellationToken);
    }

    /// <summary>Active statuses of one scope (ConnectWise: a board; null: the global statuses of a PSA without status scopes), in the PSA's order.</summary>
    public async Task<IReadOnlyList<PsaOption>> StatusesAsync(Guid connectionId, string? scopeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PsaStatuses.AsNoTracking().Where(s => s.ConnectionId == connectionId && s.ScopeId == scopeId && !s.Inactive).OrderBy(s => s.Sort).ThenBy(s => s.Name)
            .Select(s => new PsaOption(s.PsaId, s.Name)).ToListAsync(cancellationToken);
    }

    /// <summary>Priorities of one scope (HaloPSA: an SLA; null: the global priorities of the PSAs without priority scopes), in the PSA's order.</summary>
    public async Task<IReadOnlyList<PsaOption>> PrioritiesAsync(Guid connectionId, string? scopeId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PsaPriorities.AsNoTracking().Where(p => p.ConnectionId == connectionId && p.ScopeId == scopeId).OrderBy(p => p.Sort).ThenBy(p => p.Name)
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
        ArgumentNullException.ThrowIfNull(settings);
        var byBoard = await StatusesByBoardAsync(settings.ConnectionId, cancellationToken);
        if (byBoard && settings.StatusScopeId != settings.DefaultBoardId)
        {
            // The map tickets use follows the default board; the other boards' maps stay for tickets moved there.
            var map = settings.StatusMapFor(settings.DefaultBoardId).Count > 0 ? settings.StatusMapFor(settings.DefaultBoardId) : settings.StatusMap;
            settings.StatusScopeId = settings.DefaultBoardId;
            settings.StatusMap = map;
        }

        var problems = new List<string>();
        if (settings.DefaultBoardId is null)
        {
            problems.Add("Choose the default board.");
        }

        var product = await ProductAsync(settings.ConnectionId, cancellationToken);
        var fields = product?.ClusterIdFields ?? PsaClusterIdFields.Default;
        if (ClusterIdChoices(product).All(c => c.Match != settings.ClusterIdMatch))
        {
            // Worded with the general names: the product has no name of its own for a field it lacks.
            problems.Add($"{product?.DisplayName ?? "The PSA"} has no {MatchedBy(settings, null)} to compare a ClusterID with: choose among {string.Join(", ", ClusterIdChoices(product).Select(c => c.Name))}.");
        }

        if (settings.ClusterIdMatch == ClusterIdMatch.CustomField && string.IsNullOrWhiteSpace(settings.ClusterIdCustomField))
        {
            problems.Add($"Name the {fields.CustomField} that holds the ClusterID.");
        }

        if (TextLimit.Check(settings.ClusterIdCustomField, AdvancedSettings.ClusterIdCustomFieldMaxLength, fields.CustomFieldName.ToLowerInvariant()) is { } tooLong)
        {
            problems.Add(tooLong);
        }

        var noteOffer = product is { NoteSettings.Count: > 0 } ? await NoteSettingsAsync(settings.ConnectionId, cancellationToken) : new([], null);
        var noteOptions = settings.NoteOptions;
        foreach (var (setting, choices) in noteOffer.Settings)
        {
            if (!noteOptions.TryGetValue(setting.Key, out var value) || string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"Choose the {setting.Label.ToLowerInvariant()}.");
            }
            else if (noteOffer.Problem is null && choices.Values.All(v => v.Id != value))
            {
                // Checked only when the PSA answered: an outage must not stop the rest of the settings from being saved.
                problems.Add($"The {setting.Label.ToLowerInvariant()} chosen is not one {product!.DisplayName} offers now: choose another.");
            }
        }

        if (settings.TicketSyncMinutes is < 1 or > 1440)
        {
            problems.Add("The ticket sync runs every 1 to 1,440 minutes.");
        }

        if (product?.PriorityScope is { } priorityScope)
        {
            await CheckPriorityScopesAsync(settings, priorityScope, problems, cancellationToken);
        }

        var unmapped = Unmapped(settings);
        if (settings.SyncEnabled && unmapped.Count > 0)
        {
            problems.Add(product?.PriorityScope is { } scope && settings.PriorityScopeId is { } defaultScope
                ? $"Sync cannot be switched on while portal values are unmapped (priorities in the map of the default {scope.Noun}, {scope.Noun} {defaultScope}): {string.Join(", ", unmapped)}."
                : $"Sync cannot be switched on while portal values are unmapped: {string.Join(", ", unmapped)}.");
        }

        if (settings.DefaultBoardId is not null || !byBoard)
        {
            var boardStatuses = (await StatusesAsync(settings.ConnectionId, settings.StatusScopeId, cancellationToken)).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
            var foreign = settings.StatusMap.Where(m => !boardStatuses.Contains(m.Value)).Select(m => m.Key).ToList();
            if (foreign.Count > 0)
            {
                problems.Add(byBoard
                    ? $"A status belongs to a board: choose statuses of the default board for {string.Join(", ", foreign)}."
                    : $"Choose statuses the PSA has for {string.Join(", ", foreign)}.");
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
        stored.StatusScopeId = settings.StatusScopeId;
        stored.PriorityScopeId = settings.PriorityScopeId;
        stored.ClusterIdMatch = settings.ClusterIdMatch;
        stored.ClusterIdCustomField = settings.ClusterIdCustomField?.Trim();
        stored.NoteOptionsJson = settings.NoteOptionsJson;
        stored.FallbackCompanyId = settings.FallbackCompanyId;
        stored.TicketSyncMinutes = settings.TicketSyncMinutes;
        stored.SyncEnabled = settings.SyncEnabled;
        stored.ConfirmedAt = clock.GetUtcNow();
        stored.ConfirmedBy = actor;
        var changes = await ChangesAsync(db, settings.ConnectionId, product, noteOffer, before, Snapshot(stored), cancellationToken);
        if (changes.Count > 0)
        {
            audit.Add(db, actor, "Advanced Settings changed", "Advanced Settings", string.Join("; ", changes));
        }

        await db.SaveChangesAsync(cancellationToken);
        await jobs.SettingsChangedAsync(cancellationToken);
        return [];
    }

    // Each scope's map may name only that scope's priorities: a priority of one SLA means nothing under another.
    private async Task CheckPriorityScopesAsync(AdvancedSettings settings, PsaScope scope, List<string> problems, CancellationToken cancellationToken)
    {
        if (settings.PriorityScopeId is null)
        {
            problems.Add($"Choose the default {scope.Noun}: its priority map is the one for tickets whose {scope.Noun} EasyConnect cannot tell.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var scopes = await db.PsaPriorities.AsNoTracking().Where(p => p.ConnectionId == settings.ConnectionId)
            .ToDictionaryAsync(p => p.PsaId, p => p.ScopeId, StringComparer.Ordinal, cancellationToken);
        foreach (var (scopeId, map) in settings.PriorityMaps.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var foreign = map.Where(m => !scopes.TryGetValue(m.Value, out var s) || s != scopeId).Select(m => m.Key).ToList();
            if (foreign.Count > 0)
            {
                problems.Add($"Priorities belong to their {scope.Noun}: choose priorities of {scope.Noun} {scopeId} for {string.Join(", ", foreign)} in its map.");
            }
        }
    }

    private static AdvancedSettings Snapshot(AdvancedSettings s) => new()
    {
        ConnectionId = s.ConnectionId, DefaultBoardId = s.DefaultBoardId, PriorityMapJson = s.PriorityMapJson, StatusMapJson = s.StatusMapJson,
        StatusScopeId = s.StatusScopeId, PriorityScopeId = s.PriorityScopeId,
        ClusterIdMatch = s.ClusterIdMatch, ClusterIdCustomField = s.ClusterIdCustomField, FallbackCompanyId = s.FallbackCompanyId, NoteOptionsJson = s.NoteOptionsJson,
        TicketSyncMinutes = s.TicketSyncMinutes, SyncEnabled = s.SyncEnabled,
    };

    /// <summary>
    /// What changed, in the PSA's names, for the audit log: "priority map: urgent → Priority 1 - Emergency Response (was Priority 2 -
    /// Quick Response)". Everything is listed when nothing was stored before.
    /// </summary>
    private static async Task<List<string>> ChangesAsync(
        EasyConnectDbContext db, Guid connectionId, PsaProduct? product, NoteSettingsOffer noteOffer, AdvancedSettings? before, AdvancedSettings after, CancellationToken cancellationToken)
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
        if (product?.PriorityScope is { } scope)
        {
            Field($"default {scope.Noun}", before is null ? null : before.PriorityScopeId is { } was ? $"{scope.Noun} {was}" : "none",
                after.PriorityScopeId is { } now ? $"{scope.Noun} {now}" : "none");
            var beforeMaps = before?.PriorityMaps;
            foreach (var scopeId in after.PriorityMaps.Keys.Union((IEnumerable<string>?)beforeMaps?.Keys ?? [], StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                Map($"priority map of {scope.Noun} {scopeId}", beforeMaps is null ? null : beforeMaps.GetValueOrDefault(scopeId) ?? [],
                    after.PriorityMaps.GetValueOrDefault(scopeId) ?? [], priorities);
            }
        }
        else
        {
            Map("priority map", before?.PriorityMap, after.PriorityMap, priorities);
        }

        Map("status map", before?.StatusMap, after.StatusMap, statuses);
        Field("ClusterID matched by", before is null ? null : MatchedBy(before, product), MatchedBy(after, product));
        foreach (var (setting, choices) in noteOffer.Settings)
        {
            // Named as the PSA names the value; by its id alone when the PSA could not be asked.
            var names = choices.Values.ToDictionary(v => v.Id, v => $"{v.Name} ({v.Id})", StringComparer.Ordinal);
            string Value(AdvancedSettings s) => s.NoteOptions.GetValueOrDefault(setting.Key) is { } id ? names.GetValueOrDefault(id) ?? $"#{id}" : "none";
            Field(setting.Label.ToLowerInvariant(), before is null ? null : Value(before), Value(after));
        }

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

using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Settings;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.PsaSync;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Settings;

public sealed class AdvancedSettingsStoreTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly Guid _connection = Guid.NewGuid();
    private EasyConnectApp _app = default!;
    private AdvancedSettingsStore _store = default!;

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres);
        _store = _app.Services.GetRequiredService<AdvancedSettingsStore>();
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        db.PsaBoards.AddRange(new MirroredBoard { ConnectionId = _connection, PsaId = "1", Name = "Projects", LastModified = now },
            new MirroredBoard { ConnectionId = _connection, PsaId = "2", Name = "Help Desk", LastModified = now });
        var statuses = new[] { "New", "In Progress", "Waiting on Customer", "On Hold", "Resolved", "Closed" };
        db.PsaStatuses.AddRange(statuses.Select((name, i) => new MirroredStatus { ConnectionId = _connection, PsaId = $"2{i}", ScopeId = "2", Name = name, Sort = i, LastModified = now }));
        db.PsaStatuses.Add(new MirroredStatus { ConnectionId = _connection, PsaId = "99", ScopeId = "1", Name = "New", LastModified = now });
        var priorities = new[] { "Priority 1 - Emergency Response", "Priority 2 - Quick Response", "Priority 3 - Normal Response", "Priority 4 - Schedule Maintenance" };
        db.PsaPriorities.AddRange(priorities.Select((name, i) => new MirroredPriority { ConnectionId = _connection, PsaId = $"p{i + 1}", Name = name, Sort = i, LastModified = now }));
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task GetAsync_PrefillsMapsByNameOnTheHelpDeskBoard_WhenNothingIsSaved()
    {
        var settings = await _store.GetAsync(_connection, Ct);

        Assert.Null(settings.ConfirmedAt);
        Assert.Equal("2", settings.DefaultBoardId);
        Assert.Equal(new Dictionary<string, string> { ["low"] = "p4", ["normal"] = "p3", ["high"] = "p2", ["urgent"] = "p1" }, settings.PriorityMap);
        Assert.Equal(["20", "21", "22", "23", "24", "25"], AdvancedSettingsStore.PortalStatuses.Select(s => settings.StatusMap[s]));
    }

    [Fact]
    public async Task SaveAsync_RefusesToSwitchSyncOn_WhileAPortalValueIsUnmapped()
    {
        var settings = await _store.GetAsync(_connection, Ct);
        settings.PriorityMap = new() { ["low"] = "p4" };
        settings.SyncEnabled = true;

        var problems = await _store.SaveAsync(settings, "admin@msp.example", Ct);

        Assert.Contains(problems, p => p.Contains("priority normal", StringComparison.Ordinal) && p.Contains("priority urgent", StringComparison.Ordinal));
        Assert.Null((await _store.GetAsync(_connection, Ct)).ConfirmedAt);
    }

    [Fact]
    public async Task SaveAsync_RefusesWithPlainMessageAndSavesNothing_WhenCustomFieldNameIsLongerThanItsColumn()
    {
        var settings = await _store.GetAsync(_connection, Ct);
        settings.ClusterIdMatch = ClusterIdMatch.CustomField;
        settings.ClusterIdCustomField = new string('c', 5_000);

        var problems = await _store.SaveAsync(settings, "admin@msp.example", Ct);

        Assert.Equal(["The custom field name can be at most 200 characters."], problems);
        Assert.Null((await _store.GetAsync(_connection, Ct)).ConfirmedAt);
    }

    [Fact]
    public async Task SaveAsync_RefusesAStatusOfAnotherBoard()
    {
        var settings = await _store.GetAsync(_connection, Ct);
        var statuses = settings.StatusMap;
        statuses["new"] = "99";
        settings.StatusMap = statuses;

        var problems = await _store.SaveAsync(settings, "admin@msp.example", Ct);

        Assert.Contains(problems, p => p.Contains("belongs to a board", StringComparison.Ordinal) && p.Contains("new", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SaveAsync_ConfirmsAndAudits_WhenEverythingIsMapped()
    {
        var settings = await _store.GetAsync(_connection, Ct);
        settings.SyncEnabled = true;

        var problems = await _store.SaveAsync(settings, "admin@msp.example", Ct);

        var saved = await _store.GetAsync(_connection, Ct);
        Assert.Empty(problems);
        Assert.True(saved.SyncEnabled);
        Assert.Equal("admin@msp.example", saved.ConfirmedBy);
        var audit = (await _app.Services.GetRequiredService<AuditLog>().ListAsync(0, 10, null, Ct)).Items;
        Assert.Contains(audit, e => e.Action == "Advanced Settings changed" && e.Details!.Contains("sync on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SaveAsync_AuditsTheChangesInThePsasNames_WhenAMapEntryAndTheBoardChange()
    {
        // Arrange
        var settings = await _store.GetAsync(_connection, Ct);
        Assert.Empty(await _store.SaveAsync(settings, "admin@msp.example", Ct));
        var changed = await _store.GetAsync(_connection, Ct);
        changed.PriorityMap = new(changed.PriorityMap) { ["urgent"] = "p2" };
        changed.StatusMap = new(changed.StatusMap) { ["open"] = "22" };
        changed.TicketSyncMinutes = 10;

        // Act
        Assert.Empty(await _store.SaveAsync(changed, "tech-lead@msp.example", Ct));

        // Assert
        var entry = (await _app.Services.GetRequiredService<AuditLog>().ListAsync(0, 10, null, Ct)).Items
            .First(e => e.Action == "Advanced Settings changed" && e.Actor == "tech-lead@msp.example");
        Assert.Equal(
            "priority map: urgent → Priority 2 - Quick Response (was Priority 1 - Emergency Response); " +
            "status map: open → Waiting on Customer (was In Progress); ticket sync every: 10 min (was 5 min)",
            entry.Details);
        Assert.DoesNotContain("{", entry.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveAsync_KeepsEachBoardsStatusMap_WhenTheDefaultBoardChangesAndBack()
    {
        var helpDesk = await _store.GetAsync(_connection, Ct);
        Assert.Empty(await _store.SaveAsync(helpDesk, "admin@msp.example", Ct));

        // Another default board with a map of its own statuses; sync stays off, so a partial map may be saved.
        var projects = await _store.GetAsync(_connection, Ct);
        projects.DefaultBoardId = "1";
        projects.StatusScopeId = "1";
        projects.StatusMap = new() { ["new"] = "99" };
        Assert.Empty(await _store.SaveAsync(projects, "admin@msp.example", Ct));
        var saved = await _store.GetAsync(_connection, Ct);

        Assert.Equal("1", saved.StatusScopeId);
        Assert.Equal(new Dictionary<string, string> { ["new"] = "99" }, saved.StatusMap);
        Assert.Equal(["20", "21", "22", "23", "24", "25"], AdvancedSettingsStore.PortalStatuses.Select(s => saved.StatusMapFor("2")[s]));

        // Back to the help desk: its map, kept all along, is the one used again.
        saved.DefaultBoardId = "2";
        Assert.Empty(await _store.SaveAsync(saved, "admin@msp.example", Ct));
        var back = await _store.GetAsync(_connection, Ct);
        Assert.Equal("2", back.StatusScopeId);
        Assert.Equal("20", back.StatusMap["new"]);
        Assert.Equal(new Dictionary<string, string> { ["new"] = "99" }, back.StatusMapFor("1"));
    }

    [Fact]
    public async Task GetAsync_PrefillsTheGlobalStatusMap_WhenThePsaHasNoStatusScopes()
    {
        var connection = Guid.NewGuid();
        await using (var db = PostgresServer.CreateContext(_app.ConnectionString))
        {
            var now = DateTimeOffset.UtcNow;
            db.PsaBoards.Add(new MirroredBoard { ConnectionId = connection, PsaId = "q1", Name = "Service Desk", LastModified = now });
            db.PsaStatuses.AddRange(new[] { "New", "In Progress", "Waiting Customer", "On Hold", "Completed", "Cancelled" }
                .Select((name, i) => new MirroredStatus { ConnectionId = connection, PsaId = $"s{i}", Name = name, Sort = i, LastModified = now }));
            await db.SaveChangesAsync(Ct);
        }

        var settings = await _store.GetAsync(connection, Ct);

        Assert.False(await _store.StatusesByBoardAsync(connection, Ct));
        Assert.Null(settings.StatusScopeId);
        Assert.Equal("q1", settings.DefaultBoardId);
        Assert.Equal(["s0", "s1", "s2", "s3", "s4", "s5"], AdvancedSettingsStore.PortalStatuses.Select(s => settings.StatusMapFor(null)[s]));
    }

    [Fact]
    public async Task GetAsync_PrefillsEverySlasMapFromItsOwnPriorities_AndDefaultsToTheSlaOfMostClients_ForHalo()
    {
        // Arrange
        var halo = await AddHaloAsync();

        // Act
        var settings = await _store.GetAsync(halo, Ct);
        var scopes = await _store.PriorityScopesAsync(settings, Ct);

        // Assert
        Assert.Equal("2", settings.PriorityScopeId);
        Assert.Equal(new Dictionary<string, string> { ["urgent"] = "2:1", ["high"] = "2:2", ["normal"] = "2:3", ["low"] = "2:4" }, settings.PriorityMap);
        Assert.Equal(new Dictionary<string, string> { ["urgent"] = "1:1", ["high"] = "1:2", ["normal"] = "1:3", ["low"] = "1:4" }, settings.PriorityMapFor("1"));
        Assert.Empty(settings.PriorityMapFor("3"));
        Assert.False(settings.PriorityMaps.ContainsKey(""));
        Assert.Equal([("1", "SLA 1", 1), ("2", "SLA 2", 2), ("3", "SLA 3", 0)], scopes.Select(v => (v.Id, v.Name, v.Companies)));
        Assert.Equal(["Only Tier"], scopes[2].Priorities.Select(p => p.Name));
    }

    [Fact]
    public async Task SaveAsync_RefusesToSwitchSyncOn_OnlyWhileTheDefaultSlasMapLeavesAPortalValueUnmapped()
    {
        // Arrange: SLA 3's map is empty throughout; the default SLA's lacks "low" at first.
        var halo = await AddHaloAsync();
        var settings = await _store.GetAsync(halo, Ct);
        settings.PriorityMap = new(settings.PriorityMap.Where(m => m.Key != "low").ToDictionary());
        settings.SyncEnabled = true;

        // Act
        var refused = await _store.SaveAsync(settings, "admin@msp.example", Ct);
        settings.PriorityMap = new(settings.PriorityMap) { ["low"] = "2:4" };
        var saved = await _store.SaveAsync(settings, "admin@msp.example", Ct);

        // Assert
        Assert.Equal(["Sync cannot be switched on while portal values are unmapped (priorities in the map of the default SLA, SLA 2): priority low."], refused);
        Assert.Empty(saved);
        var stored = await _store.GetAsync(halo, Ct);
        Assert.True(stored.SyncEnabled);
        Assert.Empty(stored.PriorityMapFor("3"));
        Assert.Equal("1:2", stored.PriorityMapFor("1")["high"]);
    }

    [Fact]
    public async Task SaveAsync_RefusesAPriorityOfAnotherSla_AndAuditsEachSlasMapInItsNames()
    {
        // Arrange
        var halo = await AddHaloAsync();
        var settings = await _store.GetAsync(halo, Ct);
        Assert.Empty(await _store.SaveAsync(settings, "admin@msp.example", Ct));
        var changed = await _store.GetAsync(halo, Ct);
        var maps = changed.PriorityMaps;
        maps["1"]["urgent"] = "2:1";

        // Act
        changed.PriorityMapJson = System.Text.Json.JsonSerializer.Serialize(maps);
        var refused = await _store.SaveAsync(changed, "tech-lead@msp.example", Ct);
        maps["1"]["urgent"] = "1:2";
        maps["3"] = new() { ["urgent"] = "3:1" };
        changed.PriorityMapJson = System.Text.Json.JsonSerializer.Serialize(maps);
        var saved = await _store.SaveAsync(changed, "tech-lead@msp.example", Ct);

        // Assert
        Assert.Equal(["Priorities belong to their SLA: choose priorities of SLA 1 for urgent in its map."], refused);
        Assert.Empty(saved);
        var entry = (await _app.Services.GetRequiredService<AuditLog>().ListAsync(0, 10, null, Ct)).Items
            .First(e => e.Action == "Advanced Settings changed" && e.Actor == "tech-lead@msp.example");
        Assert.Equal("priority map of SLA 1: urgent → Standard High (was Standard Critical); priority map of SLA 3: urgent → Only Tier (was unmapped)", entry.Details);
    }

    /// <summary>A Halo connection with three SLAs (two clients under SLA 2, one under SLA 1, none under SLA 3) and their priorities.</summary>
    private async Task<Guid> AddHaloAsync()
    {
        var halo = await MirrorHarness.AddConnectionAsync(_app.ConnectionString, "halo.example|", kind: PsaKind.Halo);
        await using var db = PostgresServer.CreateContext(_app.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        var names = new Dictionary<string, string[]>
        {
            ["1"] = ["Standard Critical", "Standard High", "Standard Medium", "Standard Low"],
            ["2"] = ["P1 - Urgent", "P2 - High", "P3 - Normal", "P4 - Low"],
            ["3"] = ["Only Tier"],
        };
        foreach (var (sla, priorities) in names)
        {
            db.PsaPriorities.AddRange(priorities.Select((name, i) => new MirroredPriority
            {
                ConnectionId = halo, PsaId = $"{sla}:{i + 1}", ScopeId = sla, Name = name, Sort = i + 1, LastModified = now,
            }));
        }

        db.PsaCompanies.AddRange(
            new MirroredCompany { ConnectionId = halo, PsaId = "12", Identifier = "12", Name = "Contoso Dental", PriorityScopeId = "2", LastModified = now },
            new MirroredCompany { ConnectionId = halo, PsaId = "13", Identifier = "13", Name = "Fabrikam Legal", PriorityScopeId = "2", LastModified = now },
            new MirroredCompany { ConnectionId = halo, PsaId = "14", Identifier = "14", Name = "Northwind Bakery", PriorityScopeId = "1", LastModified = now },
            new MirroredCompany { ConnectionId = halo, PsaId = "15", Identifier = "15", Name = "Old Client", PriorityScopeId = "3", Inactive = true, LastModified = now });
        db.PsaBoards.Add(new MirroredBoard { ConnectionId = halo, PsaId = "Service Desk", Name = "Service Desk", LastModified = now });
        db.PsaStatuses.AddRange(new[] { "New", "In Progress", "Waiting on User", "On Hold", "Resolved", "Closed" }
            .Select((name, i) => new MirroredStatus { ConnectionId = halo, PsaId = $"{i + 1}", Name = name, Sort = i, LastModified = now }));
        await db.SaveChangesAsync(Ct);
        return halo;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

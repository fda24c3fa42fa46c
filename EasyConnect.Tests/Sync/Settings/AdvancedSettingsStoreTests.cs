using EasyConnect.Sync.Audit;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Settings;
using EasyConnect.Tests.Support;
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

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

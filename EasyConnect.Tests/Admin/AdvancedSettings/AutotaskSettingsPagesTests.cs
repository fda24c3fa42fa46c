using Bunit;
using EasyConnect.Admin.Components.AdvancedSettings;
using EasyConnect.Admin.Components.ClientMapping;
using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Jobs;
using EasyConnect.Sync.Mappings;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Tickets;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace EasyConnect.Tests.Admin.AdvancedSettings;

/// <summary>
/// The Advanced Settings and Client mapping pages for an Autotask, a ConnectWise or a HaloPSA connection (bUnit over the real database,
/// the PSA's sandbox and its real client on loopback): the product's words, the note settings only where the product has them, and a
/// priority map per SLA for HaloPSA.
/// </summary>
public sealed class AutotaskSettingsPagesTests(PostgresServer postgres) : MudTestContext, IAsyncLifetime
{
    private TicketHarness? _h;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_h is not null)
        {
            await _h.DisposeAsync();
        }
    }

    [Fact]
    public async Task AdvancedSettings_OffersAutotasksNoteSettingsAndClusterIdSources_InAutotasksWords()
    {
        // Arrange
        await StartAsync(TicketSuitePsa.Autotask);

        // Act
        var page = Render<AdvancedSettingsPage>();

        // Assert
        // The page asks Autotask for the note settings' values before it shows them: one request on loopback, slow on a busy machine.
        page.WaitForElement("[data-testid=note-settings]", TimeSpan.FromSeconds(30));
        var notes = page.Find("[data-testid=note-settings]").TextContent;
        Assert.Contains("Publish level of notes", notes, StringComparison.Ordinal);
        Assert.Contains("Note type", notes, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=note-settings-problem]"));
        Assert.Contains("A ClusterID matches the configuration item's", page.Markup, StringComparison.Ordinal);
        Assert.Contains("User-defined field name", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdvancedSettings_ShowsNoNoteSettings_ForConnectWise()
    {
        // Arrange
        await StartAsync(TicketSuitePsa.ConnectWise);

        // Act
        var page = Render<AdvancedSettingsPage>();

        // Assert
        page.WaitForElement("[data-testid=clusterid-match]", TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll("[data-testid=note-settings]"));
        Assert.Contains("A ClusterID matches the configuration's", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Custom field name", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdvancedSettings_ShowsAMapPerSla_PrefillingAnSlaNotMappedYetByItsOwnPrioritiesAndSavingEveryMapTogether_ForHalo()
    {
        // Arrange: the suite's settings map the Standard SLA only; the Gold SLA's map has never been saved.
        await StartAsync(TicketSuitePsa.Halo);
        var (standard, gold) = Slas();
        var page = Render<AdvancedSettingsPage>();
        page.WaitForElement("[data-testid=priority-scope]", TimeSpan.FromSeconds(30));

        // Act
        await page.InvokeAsync(() => Select(page, "priority-scope").ValueChanged.InvokeAsync(gold));
        var prefilled = page.FindAll("[data-testid=scope-prefilled]").Select(e => e.TextContent).SingleOrDefault();
        var urgent = ValueOf(page, "priority-urgent");
        page.Find("[data-testid=save-settings]").Click();

        // Assert
        Assert.Contains("Each SLA has its own priorities, and a client's SLA decides which map its tickets use", page.Find("[data-testid=priority-scope-text]").TextContent, StringComparison.Ordinal);
        Assert.Equal(standard, ValueOf(page, "default-priority-scope"));
        Assert.Equal($"SLA {gold}'s map is pre-filled by name. Check it and save to confirm.", prefilled);
        Assert.Equal($"{gold}:1", urgent);
        await page.WaitForAssertionAsync(async () =>
        {
            await using var db = _h!.Db();
            var saved = await db.AdvancedSettings.AsNoTracking().SingleAsync(s => s.ConnectionId == _h!.ConnectionId, Xunit.TestContext.Current.CancellationToken);
            Assert.Equal(new Dictionary<string, string> { ["urgent"] = $"{gold}:1", ["high"] = $"{gold}:2", ["normal"] = $"{gold}:3", ["low"] = $"{gold}:4" }, saved.PriorityMapFor(gold));
            Assert.Equal(_h!.Priorities["urgent"], saved.PriorityMapFor(standard)["urgent"]);
            Assert.Equal(standard, saved.PriorityScopeId);
        }, TimeSpan.FromSeconds(30));
        await using var audits = _h!.Db();
        var audit = await audits.AuditEntries.AsNoTracking().Where(e => e.Action == "Advanced Settings changed").Select(e => e.Details).ToListAsync(Xunit.TestContext.Current.CancellationToken);
        Assert.Contains(audit, d => d!.Contains($"priority map of SLA {gold}: urgent → P1 - Urgent (was unmapped)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AdvancedSettings_StatesAnSlaWithoutAMap_AndKeepsSyncOffWhileTheDefaultSlasMapLacksAValue_ForHalo()
    {
        // Arrange: the Gold SLA's map was saved empty.
        await StartAsync(TicketSuitePsa.Halo);
        var (standard, gold) = Slas();
        await _h!.ConfirmSettingsAsync(s =>
        {
            var maps = s.PriorityMaps;
            maps[gold] = [];
            s.PriorityMapJson = System.Text.Json.JsonSerializer.Serialize(maps);
        });
        var page = Render<AdvancedSettingsPage>();
        page.WaitForElement("[data-testid=priority-scope]", TimeSpan.FromSeconds(30));

        // Act: the default SLA's "low" is cleared, and the sync is left on.
        await page.InvokeAsync(() => Select(page, "priority-low").ValueChanged.InvokeAsync(null));
        page.Find("[data-testid=save-settings]").Click();

        // Assert
        Assert.Equal(standard, ValueOf(page, "priority-scope"));
        Assert.Contains($"SLA {gold} has no priority map: new tickets of its clients with a portal priority are held until you map its priorities here.",
            page.Find("[data-testid=unmapped-scopes]").TextContent, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Contains(
            $"Sync cannot be switched on while portal values are unmapped (priorities in the map of the default SLA, SLA {standard}): priority low.",
            page.Find("[data-testid=settings-problems]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        await using var db = _h.Db();
        Assert.Equal(_h.Priorities["low"], (await db.AdvancedSettings.AsNoTracking().SingleAsync(s => s.ConnectionId == _h.ConnectionId, Xunit.TestContext.Current.CancellationToken)).PriorityMap["low"]);
    }

    private (string Standard, string Gold) Slas()
    {
        var standard = _h!.Priorities["urgent"].Split(':')[0];
        return (standard, _h.Psa.Priorities().Select(p => p.Scope!).First(s => s != standard));
    }

    private static MudSelect<string> Select(IRenderedComponent<AdvancedSettingsPage> page, string testId) =>
        page.FindComponents<MudSelect<string>>().Single(c => c.Instance.UserAttributes.TryGetValue("data-testid", out var id) && (string?)id == testId).Instance;

    // MUD0012 keeps components from reading another's parameters; a test reads what the page gave a select, and changes nothing.
#pragma warning disable MUD0012
    private static string? ValueOf(IRenderedComponent<AdvancedSettingsPage> page, string testId) => Select(page, testId).Value;
#pragma warning restore MUD0012

    [Fact]
    public async Task ClientMapping_NamesConfigurationItemsAndCompanies_ForAutotask()
    {
        // Arrange
        await StartAsync(TicketSuitePsa.Autotask);
        _h!.Portal.State.AddTicket("Printer", "Out of toner.", clusterId: "CL-000007");
        await _h.RunAsync();

        // Act
        var page = Render<ClientMappingPage>();

        // Assert
        page.WaitForAssertion(() => Assert.Equal("Device-0007", page.Find("[data-testid=configuration-CL-000007]").TextContent), TimeSpan.FromSeconds(30));
        Assert.Contains("Which Autotask configuration item, and so which company", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Choose a configuration item", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Choose a configuration<", page.Markup, StringComparison.Ordinal);
    }

    private async Task StartAsync(TicketSuitePsa psa)
    {
        _h = await TicketHarness.StartAsync(postgres, psaKind: psa);
        AddAuthorization().SetAuthorized("admin@msp.example").SetRoles(Roles.Admin).SetPolicies(Policies.AdminOnly, Policies.AnyRole, Policies.Mapping);
        var database = _h.ConnectionString;
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        Services.AddLogging();
        Services.AddOptions();
        Services.AddSingleton(TimeProvider.System);
        Services.AddDbContextFactory<EasyConnectDbContext>(o => o
            .UseNpgsql(database, n => n.MigrationsHistoryTable("ef_migrations_history"))
            .UseSnakeCaseNamingConvention());
        Services.AddDataProtection();
        Services.AddSingleton<ConnectionSecrets>();
        Services.AddSingleton<AuditLog>();
        Services.AddSingleton<RecurringJobSchedule>();
        Services.AddSingleton<IBackgroundJobClient, NoJobs>();
        Services.AddSingleton<ApiBudgetGovernor>();
        Services.AddSingleton<PsaConnections>();
        // The page reads the connection through PsaConnections; the PSA itself is asked through the sandbox's real client.
        Services.AddSingleton<IPsaClientProvider>(_h.PsaHost);
        Services.AddSingleton<AdvancedSettingsStore>();
        Services.AddSingleton<ClientMappings>();
    }

    private sealed class NoJobs : IBackgroundJobClient
    {
        public string Create(Job job, IState state) => throw new InvalidOperationException("The pages under test queue no jobs.");

        public bool ChangeState(string jobId, IState state, string expectedState) => false;
    }
}

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

namespace EasyConnect.Tests.Admin.AdvancedSettings;

/// <summary>
/// The Advanced Settings and Client mapping pages for an Autotask or a ConnectWise connection (bUnit over the real database, the PSA's
/// sandbox and its real client on loopback): the product's words, and the note settings only where the product has them.
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

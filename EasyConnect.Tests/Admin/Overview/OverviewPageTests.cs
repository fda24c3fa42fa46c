using Bunit;
using EasyConnect.Admin.Components.Overview;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Sync.Users;
using Microsoft.Extensions.DependencyInjection;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Admin.Overview;

public sealed class OverviewPageTests : MudTestContext
{
    private readonly StubSetupStatus _status = new();

    private readonly StubMirrorStatus _mirror = new();

    private readonly StubRunHealth _health = new();

    public OverviewPageTests()
    {
        Services.AddSingleton<ISetupStatusReader>(_status);
        Services.AddSingleton<IMirrorStatusReader>(_mirror);
        Services.AddSingleton<IRunHealthReader>(_health);
        Services.AddOptions();
        Services.AddLogging();
        Services.AddSingleton<EasyConnect.Sync.Budget.ApiBudgetGovernor>();
        Services.AddSingleton(TimeProvider.System);
    }

    [Fact]
    public void Render_ShowsRowsAndAgesPerEntity_WhenAPsaIsConnected()
    {
        AddAuthorization().SetAuthorized("support@msp.example").SetRoles(Roles.Support).SetPolicies(Policies.AnyRole, Policies.Monitoring);
        var now = DateTimeOffset.UtcNow;
        _mirror.Current = new MirrorOverview(Guid.NewGuid(), "sandbox / easyconnect",
        [
            new(PsaEntity.Configurations, 12_345, now.AddMinutes(-3), now.AddMinutes(-4), now.AddMinutes(-3)),
            new(PsaEntity.Tickets, 0, null, null, null),
        ]);

        var page = Render<OverviewPage>();

        var configurations = page.Find("[data-testid=mirror-Configurations]");
        Assert.Equal("12,345", configurations.QuerySelector("[data-testid=mirror-rows]")!.TextContent);
        Assert.Contains("3 min ago", configurations.TextContent, StringComparison.Ordinal);
        Assert.Contains("4 min ago", configurations.TextContent, StringComparison.Ordinal);
        Assert.Contains("never", page.Find("[data-testid=mirror-Tickets]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HidesMirrorSection_WhenNoPsaIsConnected()
    {
        AddAuthorization().SetAuthorized("admin@msp.example").SetRoles(Roles.Admin).SetPolicies(Policies.AdminOnly, Policies.AnyRole);

        var page = Render<OverviewPage>();

        Assert.Empty(page.FindAll("[data-testid=mirror-status]"));
    }

    [Fact]
    public void Render_ShowsGettingStartedSteps_WhenUserIsAdmin()
    {
        AddAuthorization().SetAuthorized("admin@msp.example").SetRoles(Roles.Admin).SetPolicies(Policies.AdminOnly, Policies.AnyRole);

        var page = Render<OverviewPage>();

        var steps = page.Find("[data-testid=next-steps]");
        Assert.Contains("Connect the PSA", steps.TextContent, StringComparison.Ordinal);
        Assert.Contains("Connect the Support Portal", steps.TextContent, StringComparison.Ordinal);
        Assert.Contains("Set the maps", steps.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SaysWhatToClickInTheSandbox_WhenTheSandboxIsOn()
    {
        AddAuthorization().SetAuthorized("admin@msp.example").SetRoles(Roles.Admin).SetPolicies(Policies.AdminOnly, Policies.AnyRole);
        Services.AddSingleton(new PortalSandboxState(new PortalSandboxOptions { Tickets = 0 }, TimeProvider.System));

        var page = Render<OverviewPage>();

        var tour = page.Find("[data-testid=sandbox-tour]").TextContent;
        Assert.Contains("Use the sandbox", tour, StringComparison.Ordinal);
        Assert.Contains("Create a test ticket in the sandbox portal", tour, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SaysNothingOfTheSandbox_WhenTheSandboxIsOff()
    {
        AddAuthorization().SetAuthorized("admin@msp.example").SetRoles(Roles.Admin).SetPolicies(Policies.AdminOnly, Policies.AnyRole);

        var page = Render<OverviewPage>();

        Assert.Empty(page.FindAll("[data-testid=sandbox-tour]"));
    }

    [Fact]
    public void Render_MarksPsaStepDone_WhenAPsaIsConnected()
    {
        AddAuthorization().SetAuthorized("admin@msp.example").SetRoles(Roles.Admin).SetPolicies(Policies.AdminOnly, Policies.AnyRole);
        _status.Current = new SetupStatus("ConnectWise", "sandbox / easyconnect");

        var page = Render<OverviewPage>();

        var done = page.Find("[data-testid=step-done]");
        Assert.Contains("connected to ConnectWise sandbox / easyconnect", done.TextContent, StringComparison.Ordinal);
        Assert.Equal(2, page.FindAll("[data-testid=step-todo]").Count);
    }

    [Fact]
    public void Render_HidesAdminStepsAndExplainsWhoActs_WhenUserIsTechnician()
    {
        AddAuthorization().SetAuthorized("tech@msp.example").SetRoles(Roles.Technician).SetPolicies(Policies.AnyRole, Policies.Mapping);

        var page = Render<OverviewPage>();

        Assert.Empty(page.FindAll("[data-testid=next-steps]"));
        Assert.Contains("An administrator connects the PSA", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShowsHealthAtAGlanceWithCharts_WhenTheSyncHasRun()
    {
        AddAuthorization().SetAuthorized("support@msp.example").SetRoles(Roles.Support).SetPolicies(Policies.AnyRole, Policies.Monitoring);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        _health.Current = new RunHealth("sandbox / easyconnect", true,
            [new JobHealth(SyncRunKind.Tickets, SyncRunStatus.Failed, now.AddMinutes(-2), "Tickets: the portal had a server error (503)."),
             new JobHealth(SyncRunKind.Incremental, SyncRunStatus.Succeeded, now.AddMinutes(-4), null)],
            HeldTickets: 3, FailedLast24Hours: 2,
            [.. Enumerable.Range(0, 7).Select(d => new DayHealth(today.AddDays(d - 6), 10 * d, 30 * d, d % 2, new Dictionary<SyncRunKind, double> { [SyncRunKind.Tickets] = 1.5 }))]);

        var page = Render<OverviewPage>();

        Assert.Equal("3", page.Find("[data-testid=health-held-count]").TextContent);
        Assert.Equal("/tickets?filter=held", page.Find("[data-testid=health-held] a").GetAttribute("href"));
        Assert.Equal("2", page.Find("[data-testid=health-failed-count]").TextContent);
        Assert.Contains("Ticket sync: failed, 2 min ago", page.Find("[data-testid=health-job-Tickets]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Incremental mirror: succeeded, 4 min ago", page.Find("[data-testid=health-job-Incremental]").TextContent, StringComparison.Ordinal);
        Assert.Contains("PSA: sandbox / easyconnect", page.Find("[data-testid=health-connections]").TextContent, StringComparison.Ordinal);
        foreach (var chart in new[] { "chart-moved", "chart-durations", "chart-failures" })
        {
            Assert.NotEmpty(page.Find($"[data-testid={chart}]").QuerySelectorAll("svg"));
        }
    }

    [Fact]
    public void Render_FoldsTheChecklistAway_WhenEveryStepIsDone()
    {
        AddAuthorization().SetAuthorized("admin@msp.example").SetRoles(Roles.Admin).SetPolicies(Policies.AdminOnly, Policies.AnyRole);
        _status.Current = new SetupStatus("ConnectWise", "sandbox / easyconnect", "https://acme.zendesk.com", SyncEnabled: true);

        var page = Render<OverviewPage>();

        Assert.Contains("Set-up is complete", page.Find("[data-testid=steps-folded]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=step-done]"));
        page.Find("[data-testid=show-steps]").Click();
        Assert.Equal(3, page.FindAll("[data-testid=step-done]").Count);
    }

    private sealed class StubRunHealth : IRunHealthReader
    {
        public RunHealth Current { get; set; } = new(null, false, [], 0, 0, []);

        public Task<RunHealth> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(Current);
    }

    private sealed class StubMirrorStatus : IMirrorStatusReader
    {
        public MirrorOverview? Current { get; set; }

        public Task<MirrorOverview?> ReadActiveAsync(CancellationToken cancellationToken) => Task.FromResult(Current);
    }

    private sealed class StubSetupStatus : ISetupStatusReader
    {
        public SetupStatus Current { get; set; } = new(null, null);

        public Task<SetupStatus> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(Current);
    }
}

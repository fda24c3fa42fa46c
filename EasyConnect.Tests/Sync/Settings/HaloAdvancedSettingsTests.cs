using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Settings;
using EasyConnect.Tests.Support;
using EasyConnect.Tests.Sync.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Settings;

/// <summary>
/// Advanced Settings of a HaloPSA connection made with "Use the sandbox", after its first full sync: priorities are per SLA in Halo,
/// so the pre-filled priority map is the first SLA's, in its own names, and Halo's ClusterID choices are worded as Halo words them.
/// </summary>
public sealed class HaloAdvancedSettingsTests(PostgresServer postgres) : IAsyncLifetime
{
    private EasyConnectApp _app = default!;
    private PsaConnection _connection = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AdvancedSettingsStore Store => _app.Services.GetRequiredService<AdvancedSettingsStore>();

    public async ValueTask InitializeAsync()
    {
        _app = await EasyConnectApp.StartAsync(postgres, HaloSandboxDraft.Settings);
        var connected = await _app.Services.GetRequiredService<PsaConnections>().ConnectAsync(HaloSandboxDraft.For(_app), TestUsers.Admin, Ct);
        Assert.True(connected.Succeeded, connected.Error);
        _connection = connected.Connection!;
        await _app.WaitForFullSyncAsync(_connection.Id);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task GetAsync_PrefillsThePriorityMapOfTheFirstSla_InThatSlasNames_WhenNothingWasSaved()
    {
        var settings = await Store.GetAsync(_connection.Id, Ct);
        var offered = await Store.PrioritiesAsync(_connection.Id, settings.PriorityScopeId, Ct);

        // The sandbox's first SLA is "Standard SLA" (id 1) with Critical, High, Medium and Low; Gold Support's P1…P4 are not offered with it.
        Assert.Equal("1", settings.PriorityScopeId);
        Assert.Equal(["Critical", "High", "Medium", "Low"], offered.Select(p => p.Name));
        var names = offered.ToDictionary(p => p.Id, p => p.Name);
        Assert.Equal(
            new Dictionary<string, string> { ["low"] = "Low", ["normal"] = "Medium", ["high"] = "High", ["urgent"] = "Critical" },
            settings.PriorityMap.ToDictionary(p => p.Key, p => names[p.Value]));
        Assert.Null(settings.ConfirmedAt);
    }

    [Fact]
    public async Task GetAsync_PrefillsTheStatusMapFromHalosGlobalStatuses_AndTheServiceDeskTeam()
    {
        var settings = await Store.GetAsync(_connection.Id, Ct);
        var statuses = (await Store.StatusesAsync(_connection.Id, settings.StatusScopeId, Ct)).ToDictionary(s => s.Id, s => s.Name);

        Assert.Null(settings.StatusScopeId);
        Assert.Equal("Service Desk", settings.DefaultBoardId);
        Assert.Equal("New", statuses[settings.StatusMap["new"]]);
        Assert.Equal("Closed", statuses[settings.StatusMap["closed"]]);
    }
}

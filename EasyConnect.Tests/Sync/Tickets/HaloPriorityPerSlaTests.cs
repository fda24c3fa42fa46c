using System.Globalization;
using System.Text.Json;
using EasyConnect.Sync.Sandbox.Halo;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>
/// HaloPSA keeps priorities per SLA and a ticket's client decides its SLA (the SLA of the client's main site): a new ticket takes the map
/// of its client's SLA as mirrored, a linked ticket under another SLA than the default one takes that SLA's map, either is held with a
/// plain reason while that map lacks the portal priority, and neither is rewritten on every pass.
/// </summary>
public sealed class HaloPriorityPerSlaTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HaloSandboxState State => ((HaloPsaSandbox)_h.Psa).State;

    private string Standard => _h.Priorities["urgent"].Split(':')[0];

    private string Gold => _h.Psa.Priorities().Select(p => p.Scope!).First(s => s != Standard);

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres, psaKind: TicketSuitePsa.Halo);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_UsesTheMapOfTheTicketsSla_HoldingThePriorityUntilThatSlaIsMapped()
    {
        // Arrange: a client under the other SLA, whose map has only "high" for now.
        var client = State.AddClient("Goldcrest Dental", long.Parse(Gold, CultureInfo.InvariantCulture));
        State.AddAsset("Goldcrest-FS01", client, "CL-900001");
        await _h.MirrorAsync();
        await _h.ConfirmSettingsAsync(s => MapGold(s, new() { ["high"] = $"{Gold}:2" }));
        var ticket = _h.Portal.State.AddTicket("Scanner offline", "Reception cannot scan.", clusterId: "CL-900001", priority: "high", status: "open");

        // Act: created, then the portal raises the priority while the Gold SLA's map lacks it.
        var created = await _h.RunAsync();
        var quiet = await _h.RunAsync();
        _h.Portal.State.UpdateTicket(ticket.Id, priority: "urgent");
        var held = await _h.RunAsync();
        var heldLink = await _h.LinkAsync(ticket.Id);
        var heldPriority = _h.PsaTicketOf(ticket.Id).PriorityId;
        await _h.ConfirmSettingsAsync(s => MapGold(s, new() { ["urgent"] = $"{Gold}:1", ["high"] = $"{Gold}:2", ["normal"] = $"{Gold}:3", ["low"] = $"{Gold}:4" }));
        var released = await _h.RunAsync();
        var after = await _h.RunAsync();

        // Assert
        Assert.Equal(1, created.Counts.Created);
        Assert.Equal(0, quiet.Counts.Written);
        Assert.Equal(1, held.Counts.Held);
        Assert.Equal(HoldKind.UnmappedPriority, heldLink.HeldKind);
        Assert.Contains($"The HaloPSA ticket is under SLA {Gold}", heldLink.HeldReason, StringComparison.Ordinal);
        Assert.Contains("\"urgent\"", heldLink.HeldReason, StringComparison.Ordinal);
        Assert.Equal($"{Gold}:2", heldPriority);
        Assert.Equal(0, released.Counts.Held);
        Assert.Null((await _h.LinkAsync(ticket.Id)).HeldReason);
        Assert.Equal($"{Gold}:1", _h.PsaTicketOf(ticket.Id).PriorityId);
        Assert.Equal(0, after.Counts.Written);
    }

    [Fact]
    public async Task RunAsync_HoldsANewTicketOfAClientUnderAnUnmappedSla_AndCreatesItWithThatSlasPriorityOnceMapped()
    {
        // Arrange: the default (Standard) SLA is mapped, the Gold SLA of the ticket's client is not.
        var client = State.AddClient("Goldcrest Legal", long.Parse(Gold, CultureInfo.InvariantCulture));
        State.AddAsset("Goldcrest-FS02", client, "CL-900002");
        await _h.MirrorAsync();
        await _h.ConfirmSettingsAsync();
        var ticket = _h.Portal.State.AddTicket("Laptop will not boot", "Black screen.", clusterId: "CL-900002", priority: "high", status: "open");

        // Act
        var held = await _h.RunAsync();
        var heldLink = await _h.LinkAsync(ticket.Id);
        var createdWhileHeld = _h.Psa.TicketsWithExternalReference(ticket.Id.ToString(CultureInfo.InvariantCulture)).Count;
        // This MSP treats a Gold client's "high" as Gold's P1, which the Standard map's "high" (its second priority) would not give.
        await _h.ConfirmSettingsAsync(s => MapGold(s, new() { ["urgent"] = $"{Gold}:1", ["high"] = $"{Gold}:1", ["normal"] = $"{Gold}:3", ["low"] = $"{Gold}:4" }));
        var created = await _h.RunAsync();
        var after = await _h.RunAsync();

        // Assert
        Assert.Equal(1, held.Counts.Held);
        Assert.Equal(0, held.Counts.Created);
        Assert.Equal(0, createdWhileHeld);
        Assert.Equal(HoldKind.UnmappedPriority, heldLink.HeldKind);
        Assert.Equal(
            $"A new HaloPSA ticket of this client goes under SLA {Gold} (the client's), whose priority map has no priority for the portal priority \"high\": " +
            "map it for that SLA in Advanced Settings.", heldLink.HeldReason);
        Assert.Equal(1, created.Counts.Created);
        Assert.Equal($"{Gold}:1", _h.PsaTicketOf(ticket.Id).PriorityId);
        Assert.Equal(0, after.Counts.Written);
    }

    [Fact]
    public async Task RunAsync_TakesTheMapOfTheClientsNewSla_WhenTheClientsSiteMovedToAnotherSlaBeforeTheMirrorRan()
    {
        // Arrange: a Standard client of the suite moves to Gold in Halo (on its main site, the client's record unchanged).
        await _h.ConfirmSettingsAsync(s => MapGold(s, new() { ["urgent"] = $"{Gold}:1", ["high"] = $"{Gold}:1", ["normal"] = $"{Gold}:3", ["low"] = $"{Gold}:4" }));
        var company = _h.CompanyOf("CL-000001");
        State.SetClientSla(long.Parse(company, CultureInfo.InvariantCulture), long.Parse(Gold, CultureInfo.InvariantCulture));
        await _h.MirrorAsync();
        var ticket = _h.Portal.State.AddTicket("Wi-Fi slow", "Since Monday.", clusterId: "CL-000001", priority: "high", status: "open");

        // Act
        var created = await _h.RunAsync();

        // Assert
        Assert.Equal(1, created.Counts.Created);
        Assert.Equal(0, created.Counts.Held);
        Assert.Equal($"{Gold}:1", _h.PsaTicketOf(ticket.Id).PriorityId);
    }

    private void MapGold(AdvancedSettings settings, Dictionary<string, string> map)
    {
        var maps = settings.PriorityMaps;
        maps[Gold] = map;
        settings.PriorityMapJson = JsonSerializer.Serialize(maps);
    }
}

using System.Globalization;
using System.Text.Json;
using EasyConnect.Sync.Sandbox.Halo;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>
/// HaloPSA keeps priorities per SLA and a ticket's client decides its SLA: a ticket of a client under another SLA than the priority
/// map's takes that SLA's map, is held with a plain reason while that map lacks the portal priority, and is never rewritten on every pass.
/// </summary>
public sealed class HaloPriorityPerSlaTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres, psaKind: TicketSuitePsa.Halo);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_UsesTheMapOfTheTicketsSla_HoldingThePriorityUntilThatSlaIsMapped()
    {
        // Arrange: a client under the other SLA, with an asset carrying the portal ticket's ClusterID.
        var state = ((HaloPsaSandbox)_h.Psa).State;
        var standard = _h.Priorities["urgent"].Split(':')[0];
        var gold = _h.Psa.Priorities().Select(p => p.Scope!).First(s => s != standard);
        var client = state.AddClient("Goldcrest Dental", long.Parse(gold, CultureInfo.InvariantCulture));
        state.AddAsset("Goldcrest-FS01", client, "CL-900001");
        await _h.MirrorAsync();
        var ticket = _h.Portal.State.AddTicket("Scanner offline", "Reception cannot scan.", clusterId: "CL-900001", priority: "high", status: "open");

        // Act: created, then the portal raises the priority while the Gold SLA has no map.
        var created = await _h.RunAsync();
        var quiet = await _h.RunAsync();
        _h.Portal.State.UpdateTicket(ticket.Id, priority: "urgent");
        var held = await _h.RunAsync();
        var heldLink = await _h.LinkAsync(ticket.Id);
        var heldPriority = _h.PsaTicketOf(ticket.Id).PriorityId;
        await _h.ConfirmSettingsAsync(s =>
        {
            var maps = s.PriorityMaps;
            maps[gold] = new() { ["urgent"] = $"{gold}:1", ["high"] = $"{gold}:2", ["normal"] = $"{gold}:3", ["low"] = $"{gold}:4" };
            s.PriorityMapJson = JsonSerializer.Serialize(maps);
        });
        var released = await _h.RunAsync();
        var after = await _h.RunAsync();

        // Assert
        Assert.Equal(1, created.Counts.Created);
        Assert.Equal(0, quiet.Counts.Written);
        Assert.Equal(1, held.Counts.Held);
        Assert.Equal(HoldKind.UnmappedPriority, heldLink.HeldKind);
        Assert.Contains($"under SLA {gold}", heldLink.HeldReason, StringComparison.Ordinal);
        Assert.Contains("\"urgent\"", heldLink.HeldReason, StringComparison.Ordinal);
        Assert.Equal($"{gold}:2", heldPriority);
        Assert.Equal(0, released.Counts.Held);
        Assert.Null((await _h.LinkAsync(ticket.Id)).HeldReason);
        Assert.Equal($"{gold}:1", _h.PsaTicketOf(ticket.Id).PriorityId);
        Assert.Equal(0, after.Counts.Written);
    }
}

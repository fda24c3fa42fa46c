using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>
/// The run after a run that wrote, against HaloPSA: Halo names no last updater on a ticket, but stamps to the millisecond, so
/// EasyConnect's own writes are recognised by the stamp their answers carried (and the fields) and not read back, while a technician's
/// note or status change after them is still found and synced. Calls are counted from the sandboxes' request logs.
/// </summary>
public sealed class HaloTicketSyncOwnWritesTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres, psaKind: TicketSuitePsa.Halo);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_MakesAtMostTwoCallsPerConnection_WhenRightAfterARunThatCreatedTicketsWithComments()
    {
        // Arrange
        await _h.ConfirmSettingsAsync();
        for (var i = 0; i < 6; i++)
        {
            var ticket = _h.Portal.State.AddTicket($"Printer {i} jams", $"Printer {i} jams on every job.", clusterId: "CL-000031", priority: "normal", status: "open");
            _h.Portal.State.AddComment(ticket.Id, $"Still jamming ({i}).");
            _h.Portal.State.AddComment(ticket.Id, $"Tried a new tray ({i}).");
        }

        var big = await _h.RunAsync();
        _h.Psa.Faults.ResetRequests();
        _h.Portal.Faults.ResetRequests();

        // Act
        var after = await _h.RunAsync();

        // Assert
        Assert.Equal((6, 12), (big.Counts.Created, big.Counts.CommentsToNotes));
        var psaCalls = _h.Psa.Faults.Requests.Select(r => $"{r.Method} {r.Path}").ToList();
        var portalCalls = _h.Portal.Requests.Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.True(psaCalls.Count <= 2, $"{psaCalls.Count} Halo calls: {string.Join(", ", psaCalls)}");
        Assert.True(portalCalls.Count <= 2, $"{portalCalls.Count} portal calls: {string.Join(", ", portalCalls)}");
        Assert.Equal((0, 0), (after.Counts.Examined, after.Counts.Written));
    }

    [Fact]
    public async Task RunAsync_CopiesATechniciansNote_WhenAddedRightAfterEasyConnectsLastWrite()
    {
        // Arrange
        var (portalId, psaId) = await SyncedTicketAsync();
        var liam = _h.Psa.MemberIdByEmail(TicketHarness.Liam);
        _h.Psa.AddNote(psaId, "Replaced the fuser.", liam);

        // Act
        var run = await _h.RunAsync();

        // Assert
        Assert.Equal(1, run.Counts.NotesToComments);
        Assert.Contains(_h.Portal.State.Comments(portalId), c => !c.Public && c.Body.Contains("Replaced the fuser.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_NotesATechniciansStatusChange_WhenMadeRightAfterEasyConnectsLastWrite()
    {
        // Arrange
        var (portalId, psaId) = await SyncedTicketAsync();
        var link = await _h.LinkAsync(portalId);
        var pending = _h.Ids().Statuses["pending"];
        Assert.NotEqual(pending, link.PsaStatusId);
        _h.Psa.EditTicket(psaId, new(StatusId: pending));

        // Act
        await _h.RunAsync();

        // Assert
        var ledger = await _h.LedgerAsync(link.Id);
        Assert.Contains(ledger, e => e.Subject == "Status" && e.Result == LedgerResult.NotSynced && e.Detail.Contains("changed in HaloPSA", StringComparison.Ordinal));
        Assert.Equal(pending, (await _h.LinkAsync(portalId)).PsaStatusId);
    }

    [Fact]
    public async Task RunAsync_WritesTheLedgerInHalosWords_WhenItCreatesATicketWithAComment()
    {
        // Act
        var (portalId, _) = await SyncedTicketAsync();

        // Assert: teams, clients, assets, agents and private actions, as Halo names them.
        var ledger = (await _h.LedgerAsync((await _h.LinkAsync(portalId)).Id)).Select(e => e.Detail).ToList();
        Assert.Contains(ledger, d => d.Contains("ticket #", StringComparison.Ordinal) && d.Contains(" on team ", StringComparison.Ordinal)
            && d.Contains(", client ", StringComparison.Ordinal) && d.Contains("(asset \"", StringComparison.Ordinal));
        Assert.Contains(ledger, d => d.Contains("became private action #", StringComparison.Ordinal) && d.Contains("the integration's agent", StringComparison.Ordinal));
        Assert.DoesNotContain(ledger, d => d.Contains("internal note", StringComparison.Ordinal) || d.Contains(" board ", StringComparison.Ordinal));
    }

    /// <summary>A portal ticket with a comment, created in Halo by a run that claimed its last Halo write.</summary>
    private async Task<(long PortalId, string PsaId)> SyncedTicketAsync()
    {
        await _h.ConfirmSettingsAsync();
        var ticket = _h.Portal.State.AddTicket("Printer jams", "The printer jams on every job.", clusterId: "CL-000031", priority: "normal", status: "open");
        _h.Portal.State.AddComment(ticket.Id, "Again this morning.");
        Assert.Equal(1, (await _h.RunAsync()).Counts.Created);
        var link = await _h.LinkAsync(ticket.Id);
        // The run's own Halo writes were recognised: the claim the technician's changes below have to get past.
        Assert.NotNull(link.PsaOwnStamp);
        Assert.Equal(link.PsaOwnStamp, _h.PsaTicketOf(ticket.Id).LastModified);
        return (ticket.Id, _h.PsaTicketOf(ticket.Id).Id);
    }
}

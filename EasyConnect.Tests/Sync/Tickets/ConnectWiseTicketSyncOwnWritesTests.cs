using System.Globalization;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>
/// The run after a run that wrote, against ConnectWise: EasyConnect's own writes are recognised by what their answers carried (the
/// ticket's <c>lastUpdated</c> and <c>updatedBy</c>, the portal's comment count) and not read back, while a change someone makes in
/// the very second of EasyConnect's last write (both sides stamp whole seconds) is still found and synced. Calls are counted from the
/// sandboxes' request logs.
/// </summary>
public sealed class ConnectWiseTicketSyncOwnWritesTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    // The portal's clock stands still: every portal stamp falls in one second, as a comment added right after EasyConnect's would.
    private readonly FakeTimeProvider _portalTime = new(DateTimeOffset.UtcNow);

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres, portalTime: _portalTime);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_MakesAtMostTwoCallsPerConnection_WhenRightAfterARunThatCreatedTicketsWithComments()
    {
        for (var i = 0; i < 6; i++)
        {
            var ticket = _h.Portal.State.AddTicket($"Printer {i} jams", $"Printer {i} jams on every job.", clusterId: "CL-000031");
            _h.Portal.State.AddComment(ticket.Id, $"Still jamming ({i}).");
            _h.Portal.State.AddComment(ticket.Id, $"Tried a new tray ({i}).");
        }

        var big = await _h.RunAsync();
        _h.Psa.Faults.ResetRequests();
        _h.Portal.Faults.ResetRequests();

        var after = await _h.RunAsync();

        Assert.Equal((6, 12), (big.Counts.Created, big.Counts.CommentsToNotes));
        var psaCalls = _h.Psa.Faults.Requests.Select(r => $"{r.Method} {r.Path}").ToList();
        var portalCalls = _h.Portal.Requests.Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.True(psaCalls.Count <= 2, $"{psaCalls.Count} PSA calls: {string.Join(", ", psaCalls)}");
        Assert.True(portalCalls.Count <= 2, $"{portalCalls.Count} portal calls: {string.Join(", ", portalCalls)}");
        Assert.Equal((0, 0), (after.Counts.Examined, after.Counts.Written));
    }

    [Fact]
    public async Task RunAsync_CopiesATechniciansNote_WhenAddedInTheSameSecondAsEasyConnectsLastWrite()
    {
        var (portalId, psaId, own) = await SyncedTicketAsync();
        var liam = _h.ConnectWise.MemberIdByEmail(TicketHarness.Liam);

        _h.ConnectWise.AddTicketNote(psaId, "Replaced the fuser.", liam);
        _h.ConnectWise.UpdateRecord("service/tickets", psaId, lastUpdated: own);
        var run = await _h.RunAsync();

        Assert.Equal(own, _h.PsaTicketOf(portalId).LastModified);
        Assert.Equal(1, run.Counts.NotesToComments);
        Assert.Contains(_h.Portal.State.Comments(portalId), c => !c.Public && c.Body.Contains("Replaced the fuser.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_NotesATechniciansStatusChange_WhenMadeInTheSameSecondAsEasyConnectsLastWrite()
    {
        var (portalId, psaId, own) = await SyncedTicketAsync();
        var link = await _h.LinkAsync(portalId);
        var pending = _h.Ids().Statuses["pending"];
        Assert.NotEqual(pending, link.PsaStatusId);

        _h.ConnectWise.ChangeTicket(psaId, statusId: int.Parse(pending, CultureInfo.InvariantCulture));
        _h.ConnectWise.UpdateRecord("service/tickets", psaId, lastUpdated: own);
        await _h.RunAsync();

        var ledger = await _h.LedgerAsync(link.Id);
        Assert.Contains(ledger, e => e.Subject == "Status" && e.Result == LedgerResult.NotSynced && e.Detail.Contains("changed in ConnectWise", StringComparison.Ordinal));
        Assert.Equal(pending, (await _h.LinkAsync(portalId)).PsaStatusId);
    }

    [Fact]
    public async Task RunAsync_CopiesAPortalComment_WhenAddedInTheSameSecondAsEasyConnectsLastWrite()
    {
        var (portalId, psaId, _) = await SyncedTicketAsync();
        var link = await _h.LinkAsync(portalId);
        var notesBefore = _h.ConnectWise.NotesOf(psaId).Count;

        _h.Portal.State.AddComment(portalId, "It jammed again just now.");
        var run = await _h.RunAsync();

        Assert.Equal(link.PortalOwnStamp, _h.Portal.State.FindTicket(portalId)!.UpdatedAt);
        Assert.Equal(1, run.Counts.CommentsToNotes);
        Assert.Equal(notesBefore + 1, _h.ConnectWise.NotesOf(psaId).Count);
        Assert.Contains(_h.ConnectWise.NotesOf(psaId), n => n.Text.Contains("It jammed again just now.", StringComparison.Ordinal));
    }

    /// <summary>A portal ticket with a comment, created in the PSA by a run that claimed both of its last writes.</summary>
    private async Task<(long PortalId, int PsaId, DateTimeOffset PsaOwnStamp)> SyncedTicketAsync()
    {
        var ticket = _h.Portal.State.AddTicket("Printer jams", "The printer jams on every job.", clusterId: "CL-000031");
        _h.Portal.State.AddComment(ticket.Id, "Again this morning.");
        Assert.Equal(1, (await _h.RunAsync()).Counts.Created);
        var link = await _h.LinkAsync(ticket.Id);
        // The run's own writes were recognised on both sides: the claims the same-second changes below have to get past.
        Assert.NotNull(link.PortalOwnStamp);
        Assert.NotNull(link.PsaOwnStamp);
        Assert.Equal(link.PsaOwnStamp, _h.PsaTicketOf(ticket.Id).LastModified);
        return (ticket.Id, int.Parse(_h.PsaTicketOf(ticket.Id).Id, CultureInfo.InvariantCulture), link.PsaOwnStamp!.Value);
    }
}

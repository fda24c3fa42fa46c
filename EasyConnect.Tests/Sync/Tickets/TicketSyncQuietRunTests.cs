using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>
/// What a run costs when nothing changed (DESIGN §8: at most 2 API calls), with the linked ticket inside the PSA overlap so that the
/// PSA read returns it again, and that this saving never hides a PSA change. Calls are counted from the sandboxes' request logs.
/// </summary>
public sealed class TicketSyncQuietRunTests(PostgresServer postgres) : IAsyncLifetime
{
    // A short overlap keeps the tests quick; the ticket stays inside it because it is the newest PSA change.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(1);
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres, o => o.PsaOverlap = Overlap);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_MakesAtMostTwoApiCalls_WhenRightAfterASyncedRunTheTicketIsReadAgainInTheOverlap()
    {
        var ticket = await SyncedTicketAsync();
        ResetRequestLogs();

        var quiet = await _h.RunAsync();

        var calls = _h.Psa.State.Faults.Requests.Concat(_h.Portal.Requests).Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.True(calls.Count <= 2, $"{calls.Count} API calls: {string.Join(", ", calls)}");
        Assert.Equal(calls.Count, quiet.ApiCalls);
        // The PSA read did return the ticket (it lies in the overlap): it was skipped, not missed.
        Assert.Equal(1, quiet.Counts.PsaTicketsRead);
        Assert.Equal(0, quiet.Counts.Examined);
        Assert.NotNull((await _h.LinkAsync(ticket.Id)).PsaTicketId);
    }

    [Fact]
    public async Task RunAsync_CopiesANoteAddedInThePsa_WhenTheTicketIsInTheOverlap_EvenWithTheLastModifiedSecondAlreadySeen()
    {
        var ticket = await SyncedTicketAsync();
        await _h.RunAsync();
        var psaId = _h.PsaTicketOf(ticket.Id).Id;
        var liam = _h.Psa.State.MemberIdByEmail("liam.smith@msp.example");

        _h.Psa.State.AddTicketNote(psaId, "Rebooted the router.", liam);
        var moved = await _h.RunAsync();
        // A second note in the very second the first one was stamped: the ticket's last-modified time does not move.
        var seen = (await _h.LinkAsync(ticket.Id)).PsaLastModified!.Value;
        _h.Psa.State.AddTicketNote(psaId, "The router is back.", liam);
        _h.Psa.State.UpdateRecord("service/tickets", psaId, lastUpdated: seen);
        var sameSecond = await _h.RunAsync();

        Assert.Equal((1, 1), (moved.Counts.NotesToComments, sameSecond.Counts.NotesToComments));
        Assert.Equal(seen, _h.PsaTicketOf(ticket.Id).LastUpdated);
        Assert.Equal(
            ["Liam Smith wrote in ConnectWise:\nRebooted the router.", "Liam Smith wrote in ConnectWise:\nThe router is back."],
            _h.Portal.State.Comments(ticket.Id).Where(c => !c.Public).Select(c => c.Body));
    }

    /// <summary>
    /// A portal ticket with a comment, created in the PSA, and the run after it that reads EasyConnect's own writes back once (the
    /// PSA stamps whole seconds); that run starts once the second of those writes and the overlap have passed, as a scheduled run would.
    /// </summary>
    private async Task<EasyConnect.Sync.Sandbox.Portal.PortalSandboxTicket> SyncedTicketAsync()
    {
        var ticket = _h.Portal.State.AddTicket("Router drops", "The office router drops every hour.", clusterId: "CL-000031");
        _h.Portal.State.AddComment(ticket.Id, "Again at noon.");
        Assert.Equal(1, (await _h.RunAsync()).Counts.Created);
        await Task.Delay(TimeSpan.FromSeconds(1) + Overlap + TimeSpan.FromMilliseconds(200), Ct);
        var readBack = await _h.RunAsync();
        Assert.Equal((0, 1), (readBack.Counts.Written, readBack.Counts.PsaTicketsRead));
        return ticket;
    }

    private void ResetRequestLogs()
    {
        _h.Psa.State.Faults.ResetRequests();
        _h.Portal.Faults.ResetRequests();
    }
}

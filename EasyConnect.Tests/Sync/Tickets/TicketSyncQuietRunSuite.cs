using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>
/// What a run costs when nothing changed (DESIGN §8: at most 2 API calls), with the linked ticket inside the PSA overlap so that the
/// PSA read returns it again, and that this saving never hides a PSA change. Calls are counted from the sandboxes' request logs.
/// </summary>
public abstract class TicketSyncQuietRunSuite(PostgresServer postgres, TicketSuitePsa psa) : TicketSuite(postgres, psa)
{
    /// <summary>A short overlap keeps the tests quick; the ticket stays inside it because it is the newest PSA change.</summary>
    internal static readonly TimeSpan Overlap = TimeSpan.FromSeconds(1);

    private protected override Task<TicketHarness> StartAsync() => StartAsync(o => o.PsaOverlap = Overlap);

    [Fact]
    public async Task RunAsync_MakesAtMostTwoApiCalls_WhenRightAfterASyncedRunTheTicketIsReadAgainInTheOverlap()
    {
        var ticket = await SyncedTicketAsync(H);
        Psa.Faults.ResetRequests();
        H.Portal.Faults.ResetRequests();

        var quiet = await H.RunAsync();

        var calls = Psa.Faults.Requests.Concat(H.Portal.Requests).Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.True(calls.Count <= 2, $"{calls.Count} API calls: {string.Join(", ", calls)}");
        Assert.Equal(calls.Count, quiet.ApiCalls);
        // The PSA read did return the ticket (it lies in the overlap): it was skipped, not missed.
        Assert.Equal(1, quiet.Counts.PsaTicketsRead);
        Assert.Equal(0, quiet.Counts.Examined);
        Assert.NotNull((await H.LinkAsync(ticket.Id)).PsaTicketId);
    }

    /// <summary>
    /// A portal ticket with a comment, created in the PSA, and the run after it that reads EasyConnect's own writes back once (the
    /// PSA's stamps have a resolution); that run starts once the stamp of those writes and the overlap have passed, as a scheduled run would.
    /// </summary>
    internal static async Task<EasyConnect.Sync.Sandbox.Portal.PortalSandboxTicket> SyncedTicketAsync(TicketHarness h)
    {
        var ticket = h.Portal.State.AddTicket("Router drops", "The office router drops every hour.", clusterId: "CL-000031");
        h.Portal.State.AddComment(ticket.Id, "Again at noon.");
        Assert.Equal(1, (await h.RunAsync()).Counts.Created);
        await Task.Delay(h.Psa.StampResolution + Overlap + TimeSpan.FromMilliseconds(200), Ct);
        var readBack = await h.RunAsync();
        Assert.Equal((0, 1), (readBack.Counts.Written, readBack.Counts.PsaTicketsRead));
        return ticket;
    }
}

using System.Text.RegularExpressions;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>
/// The run after a run that wrote, against Autotask, whose creates answer the new id only: EasyConnect reads none of its writes back
/// one by one, confirms them at the end of the run (the read of changes, then one read of the written tickets' notes), and the run
/// right after reads nothing back; a note a technician adds before that confirmation is still found and synced. Calls are counted from
/// the sandboxes' request logs.
/// </summary>
public sealed partial class AutotaskTicketSyncOwnWritesTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres, psaKind: TicketSuitePsa.Autotask);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_WritesEachTicketWithoutReadingItBack_AndTheRunRightAfterMakesAtMostTwoCallsPerConnection()
    {
        var portalIds = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            var ticket = _h.Portal.State.AddTicket($"Printer {i} jams", $"Printer {i} jams on every job.", clusterId: "CL-000031");
            portalIds.Add(ticket.Id);
            _h.Portal.State.AddComment(ticket.Id, $"Still jamming ({i}).");
            _h.Portal.State.AddComment(ticket.Id, $"Tried a new tray ({i}).");
        }

        _h.Psa.Faults.ResetRequests();
        var big = await _h.RunAsync();
        var bigCalls = _h.Psa.Faults.Requests.Select(r => $"{r.Method} {r.Path}").ToList();
        _h.Psa.Faults.ResetRequests();
        _h.Portal.Faults.ResetRequests();

        var after = await _h.RunAsync();

        Assert.Equal((6, 12), (big.Counts.Created, big.Counts.CommentsToNotes));
        // One create per ticket carrying its configuration item, one create per note: no read-back, no separate attach.
        Assert.Equal(6, bigCalls.Count(c => c.StartsWith("POST", StringComparison.Ordinal) && c.EndsWith("/V1.0/Tickets", StringComparison.Ordinal)));
        Assert.DoesNotContain(bigCalls, c => c.StartsWith("PATCH", StringComparison.Ordinal) || ReadById().IsMatch(c));
        Assert.Single(bigCalls, c => c.EndsWith("/V1.0/TicketNotes/query", StringComparison.Ordinal));
        Assert.All(portalIds, id => Assert.Single(_h.PsaTicketOf(id).ConfigurationIds));
        var psaCalls = _h.Psa.Faults.Requests.Select(r => $"{r.Method} {r.Path}").ToList();
        var portalCalls = _h.Portal.Requests.Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.True(psaCalls.Count <= 2, $"{psaCalls.Count} Autotask calls: {string.Join(", ", psaCalls)}");
        Assert.True(portalCalls.Count <= 2, $"{portalCalls.Count} portal calls: {string.Join(", ", portalCalls)}");
        Assert.Equal((0, 0), (after.Counts.Examined, after.Counts.Written));
    }

    [Fact]
    public async Task RunAsync_CopiesATechniciansNote_WhenAddedAfterEasyConnectsWritesBeforeTheRunConfirmedThem()
    {
        var ticket = _h.Portal.State.AddTicket("Router drops", "The office router drops every hour.", clusterId: "CL-000031");
        _h.Portal.State.AddComment(ticket.Id, "Again at noon.");
        var liam = _h.Psa.MemberIdByEmail(TicketHarness.Liam);
        var wrote = false;
        // The read of changed tickets after the run's writes is where its own writes are confirmed: the technician's note arrives just
        // before it, so the stamp that read finds is the technician's, not EasyConnect's.
        _h.Psa.Faults.FailNext(SandboxFaultKind.None, 1, (method, path) =>
        {
            wrote |= method == "POST" && path.EndsWith("/Notes", StringComparison.Ordinal);
            if (!wrote || method != "POST" || !path.EndsWith("/V1.0/Tickets/query", StringComparison.Ordinal))
            {
                return false;
            }

            _h.Psa.AddNote(_h.PsaTicketOf(ticket.Id).Id, "Replaced the router.", liam);
            return true;
        });

        var first = await _h.RunAsync();
        Assert.Single(_h.Psa.NotesOf(_h.PsaTicketOf(ticket.Id).Id), n => n.Text == "Replaced the router.");
        var next = await _h.RunAsync();

        Assert.Equal((1, 1), (first.Counts.Created, first.Counts.CommentsToNotes));
        Assert.Equal(1, next.Counts.NotesToComments);
        Assert.Contains(_h.Portal.State.Comments(ticket.Id), c => c.Body.Contains("Replaced the router.", StringComparison.Ordinal));
    }

    // A read of one ticket or note by its id: what a read-back is.
    [GeneratedRegex(@"^GET .*/V1\.0/(Tickets|TicketNotes)/\d+$")]
    private static partial Regex ReadById();
}

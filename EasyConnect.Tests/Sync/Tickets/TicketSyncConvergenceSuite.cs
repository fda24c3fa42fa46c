using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>
/// Exactly once under hostile conditions: both sandboxes fail requests at random (5xx, 429, timeouts, writes applied but
/// answered never), and the engine is stopped at random points and started again, while people keep adding comments and notes.
/// Once the faults stop, every portal ticket has exactly one PSA ticket, every comment one note and every note one comment.
/// </summary>
public abstract class TicketSyncConvergenceSuite(PostgresServer postgres, TicketSuitePsa psa) : TicketSuite(postgres, psa)
{
    private const int Seed = 20261201;
    private const int Tickets = 10;
    private const int Rounds = 8;

    [Fact]
    public async Task RunAsync_ConvergesToExactlyOnce_ThroughFaultsAndRestarts()
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"Convergence seed: {Seed}");
        var random = new Random(Seed);
        var technician = Psa.MemberIdByEmail(TicketHarness.Liam);
        var portalTickets = new List<long>();
        var comments = 0;
        var notes = 0;
        for (var i = 0; i < Tickets; i++)
        {
            var ticket = Portal.AddTicket($"Converge {i}", $"Description {i}.", clusterId: $"CL-{i + 30:000000}", priority: "normal", status: "open");
            portalTickets.Add(ticket.Id);
            for (var c = 0; c < 2; c++)
            {
                Portal.AddComment(ticket.Id, $"portal-comment {i}.{comments++}");
            }
        }

        var faults = new SandboxFaults
        {
            ServerErrorRate = 0.10, ThrottleRate = 0.05, TimeoutRate = 0.02, LostResponseRate = 0.01, RetryAfterSeconds = 1, HangMs = 10_000, Seed = Seed,
        };
        Psa.Faults.Faults = faults;
        Portal.Faults.Faults = faults with { Seed = Seed + 1 };
        var stops = 0;
        for (var round = 0; round < Rounds; round++)
        {
            // People keep working on both sides while the sync struggles.
            foreach (var portalId in portalTickets.Where(_ => random.NextDouble() < 0.3))
            {
                Portal.AddComment(portalId, $"portal-comment {portalId}.{comments++}");
            }

            foreach (var portalId in portalTickets.Where(_ => random.NextDouble() < 0.3))
            {
                if (H.PsaTicketsOf(portalId).FirstOrDefault() is { } psa)
                {
                    Psa.AddNote(psa.Id, $"psa-note {psa.Id}.{notes++}", technician);
                }
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            if (random.NextDouble() < 0.6)
            {
                stop.CancelAfter(random.Next(20, 1500));
            }

            try
            {
                await H.RunAsync(stop.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                stops++;
                // A restarted process comes back after a moment; requests in flight when it stopped have landed by then.
                await Task.Delay(300, Ct);
            }
        }

        var injected = Psa.Faults.Requests.Concat(Portal.Faults.Requests).GroupBy(r => r.Fault).ToDictionary(g => g.Key, g => g.Count());
        Psa.Faults.Faults = SandboxFaults.None;
        Portal.Faults.Faults = SandboxFaults.None;
        var settled = false;
        for (var run = 0; run < 6 && !settled; run++)
        {
            var result = await H.RunAsync();
            settled = result.Status == SyncRunStatus.Succeeded && result.Counts.Written == 0 && result.Counts.Waiting == 0;
        }

        var summary = $"seed {Seed}: {stops} stops, {comments} portal comments, {notes} PSA notes, requests by fault: " +
            string.Join(", ", injected.OrderBy(f => f.Key).Select(f => $"{f.Key} {f.Value}"));
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Console.WriteLine(summary);
        // The run must really have met every kind of trouble, or it proves nothing.
        Assert.True(stops > 0 && injected.GetValueOrDefault(SandboxFaultKind.ServerError) > 0 && injected.GetValueOrDefault(SandboxFaultKind.Throttle) > 0
            && injected.GetValueOrDefault(SandboxFaultKind.Timeout) + injected.GetValueOrDefault(SandboxFaultKind.LostResponse) > 0, summary);
        Assert.True(settled, $"seed {Seed}: the sync did not settle");
        foreach (var portalId in portalTickets)
        {
            var psa = H.PsaTicketOf(portalId);
            var psaNotes = Psa.NotesOf(psa.Id);
            var portalComments = Portal.Comments(portalId);
            Assert.Equal(Psa.AsStored($"Description {portalTickets.IndexOf(portalId)}."), Psa.DescriptionOf(psa.Id));
            Assert.All(psaNotes, n => Assert.Equal(PsaSandboxNoteVisibility.Internal, n.Visibility));
            foreach (var comment in portalComments.Skip(1).Where(c => c.Body.StartsWith("portal-comment", StringComparison.Ordinal)))
            {
                Assert.Single(psaNotes, n => n.Text.EndsWith(comment.Body, StringComparison.Ordinal));
            }

            foreach (var note in psaNotes.Where(n => n.Text.StartsWith("psa-note", StringComparison.Ordinal)))
            {
                Assert.Single(portalComments, c => c.Body.EndsWith(note.Text, StringComparison.Ordinal));
            }

            // Nothing else: one note per comment, one comment per note, no duplicates either way (the description is no note).
            var ownComments = portalComments.Count(c => c.Body.StartsWith("portal-comment", StringComparison.Ordinal));
            var ownNotes = psaNotes.Count(n => n.Text.StartsWith("psa-note", StringComparison.Ordinal));
            Assert.Equal(ownComments + ownNotes, psaNotes.Count);
            Assert.Equal(1 + ownComments + ownNotes, portalComments.Count);
        }

        Assert.Equal(comments, portalTickets.Sum(p => Portal.Comments(p).Count(c => c.Body.StartsWith("portal-comment", StringComparison.Ordinal))));
        Assert.Equal(notes, portalTickets.Sum(p => Portal.Comments(p).Count(c => c.Body.Contains("psa-note", StringComparison.Ordinal))));
    }
}

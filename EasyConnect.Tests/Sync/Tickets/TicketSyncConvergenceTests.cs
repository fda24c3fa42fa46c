using System.Globalization;
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
public sealed class TicketSyncConvergenceTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int Seed = 20261201;
    private const int Tickets = 10;
    private const int Rounds = 8;
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_ConvergesToExactlyOnce_ThroughFaultsAndRestarts()
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"Convergence seed: {Seed}");
        var random = new Random(Seed);
        var technician = _h.Psa.State.MemberIdByEmail("liam.smith@msp.example");
        var portalTickets = new List<long>();
        var comments = 0;
        var notes = 0;
        for (var i = 0; i < Tickets; i++)
        {
            var ticket = _h.Portal.State.AddTicket($"Converge {i}", $"Description {i}.", clusterId: $"CL-{i + 30:000000}", priority: "normal", status: "open");
            portalTickets.Add(ticket.Id);
            for (var c = 0; c < 2; c++)
            {
                _h.Portal.State.AddComment(ticket.Id, $"portal-comment {i}.{comments++}");
            }
        }

        var faults = new SandboxFaults
        {
            ServerErrorRate = 0.10, ThrottleRate = 0.05, TimeoutRate = 0.02, LostResponseRate = 0.01, RetryAfterSeconds = 1, HangMs = 10_000, Seed = Seed,
        };
        _h.Psa.State.Faults.Faults = faults;
        _h.Portal.State.Faults.Faults = faults with { Seed = Seed + 1 };
        var stops = 0;
        for (var round = 0; round < Rounds; round++)
        {
            // People keep working on both sides while the sync struggles.
            foreach (var portalId in portalTickets.Where(_ => random.NextDouble() < 0.3))
            {
                _h.Portal.State.AddComment(portalId, $"portal-comment {portalId}.{comments++}");
            }

            foreach (var portalId in portalTickets.Where(_ => random.NextDouble() < 0.3))
            {
                if (_h.Psa.State.TicketsWithExternalXRef(portalId.ToString(CultureInfo.InvariantCulture)).FirstOrDefault() is { } psa)
                {
                    _h.Psa.State.AddTicketNote(psa.Id, $"psa-note {psa.Id}.{notes++}", technician);
                }
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            if (random.NextDouble() < 0.6)
            {
                stop.CancelAfter(random.Next(20, 1500));
            }

            try
            {
                await _h.RunAsync(stop.Token);
            }
            catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
            {
                stops++;
                // A restarted process comes back after a moment; requests in flight when it stopped have landed by then.
                await Task.Delay(300, Ct);
            }
        }

        var injected = _h.Psa.State.Faults.Requests.Concat(_h.Portal.State.Faults.Requests).GroupBy(r => r.Fault).ToDictionary(g => g.Key, g => g.Count());
        _h.Psa.State.Faults.Faults = SandboxFaults.None;
        _h.Portal.State.Faults.Faults = SandboxFaults.None;
        var settled = false;
        for (var run = 0; run < 6 && !settled; run++)
        {
            var result = await _h.RunAsync();
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
            var psa = Assert.Single(_h.Psa.State.TicketsWithExternalXRef(portalId.ToString(CultureInfo.InvariantCulture)));
            var psaNotes = _h.Psa.State.NotesOf(psa.Id);
            var portalComments = _h.Portal.State.Comments(portalId);
            Assert.Single(psaNotes, n => n.Discussion);
            foreach (var comment in portalComments.Skip(1).Where(c => c.Body.StartsWith("portal-comment", StringComparison.Ordinal)))
            {
                Assert.Single(psaNotes, n => n.Text.EndsWith(comment.Body, StringComparison.Ordinal));
            }

            foreach (var note in psaNotes.Where(n => n.Text.StartsWith("psa-note", StringComparison.Ordinal)))
            {
                Assert.Single(portalComments, c => c.Body.EndsWith(note.Text, StringComparison.Ordinal));
            }

            // Nothing else: one note per comment, one comment per note, no duplicates either way.
            var ownComments = portalComments.Count(c => c.Body.StartsWith("portal-comment", StringComparison.Ordinal));
            var ownNotes = psaNotes.Count(n => n.Text.StartsWith("psa-note", StringComparison.Ordinal));
            Assert.Equal(1 + ownComments + ownNotes, psaNotes.Count);
            Assert.Equal(1 + ownComments + ownNotes, portalComments.Count);
        }

        Assert.Equal(comments, portalTickets.Sum(p => _h.Portal.State.Comments(p).Count(c => c.Body.StartsWith("portal-comment", StringComparison.Ordinal))));
        Assert.Equal(notes, portalTickets.Sum(p => _h.Portal.State.Comments(p).Count(c => c.Body.Contains("psa-note", StringComparison.Ordinal))));
    }
}

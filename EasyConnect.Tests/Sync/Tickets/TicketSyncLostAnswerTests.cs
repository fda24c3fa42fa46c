using System.Globalization;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>Writes whose answers were lost or timed out: each create, note and comment lands exactly once.</summary>
public sealed class TicketSyncLostAnswerTests(PostgresServer postgres) : IAsyncLifetime
{
    private TicketHarness _h = default!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _h = await TicketHarness.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunAsync_CreatesOnce_WhenTheCreateIsAppliedButItsAnswerIsLost()
    {
        var ticket = _h.Portal.State.AddTicket("Lost answer", "Create me once.", clusterId: "CL-000016");
        _h.Psa.State.Faults.FailNext(EasyConnect.Sync.Sandbox.SandboxFaultKind.LostResponse, 1, (method, path) => method == "POST" && path.EndsWith("/service/tickets", StringComparison.Ordinal));

        await _h.RunAsync();
        await _h.RunAsync();

        _h.PsaTicketOf(ticket.Id);
        Assert.Single(_h.Psa.State.NotesOf(_h.PsaTicketOf(ticket.Id).Id));
        var ledger = await _h.LedgerAsync((await _h.LinkAsync(ticket.Id)).Id);
        Assert.Contains(ledger, e => e.Result == LedgerResult.Reconciled);
    }

    [Fact]
    public async Task RunAsync_CreatesAgain_WhenTheCreateTimedOutWithoutBeingApplied()
    {
        var ticket = _h.Portal.State.AddTicket("Timed out", "Create me after all.", clusterId: "CL-000017");
        _h.Psa.State.Faults.FailNext(EasyConnect.Sync.Sandbox.SandboxFaultKind.Timeout, 1, (method, path) => method == "POST" && path.EndsWith("/service/tickets", StringComparison.Ordinal));

        var first = await _h.RunAsync();
        Assert.Empty(_h.Psa.State.TicketsWithExternalXRef(ticket.Id.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(1, first.Counts.Failed);

        await _h.RunAsync();

        _h.PsaTicketOf(ticket.Id);
        Assert.Null((await _h.LinkAsync(ticket.Id)).LastError);
    }

    [Fact]
    public async Task RunAsync_WaitsForAnUnconfirmedCreate_InsteadOfCreatingAgain()
    {
        await using var patient = await TicketHarness.StartAsync(postgres, o => o.UnconfirmedWriteWait = TimeSpan.FromMinutes(10));
        var ticket = patient.Portal.State.AddTicket("Slow create", "Wait for me.", clusterId: "CL-000018");
        patient.Psa.State.Faults.FailNext(EasyConnect.Sync.Sandbox.SandboxFaultKind.Timeout, 1, (method, path) => method == "POST" && path.EndsWith("/service/tickets", StringComparison.Ordinal));

        await patient.RunAsync();
        var second = await patient.RunAsync();

        Assert.Equal(1, second.Counts.Waiting);
        Assert.Empty(patient.Psa.State.TicketsWithExternalXRef(ticket.Id.ToString(CultureInfo.InvariantCulture)));
        Assert.Contains("Waiting for ConnectWise to confirm", (await patient.LedgerAsync((await patient.LinkAsync(ticket.Id)).Id))[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AddsNoteAndCommentOnce_WhenTheirAnswersAreLost()
    {
        var ticket = _h.Portal.State.AddTicket("Lost notes", "Once only.", clusterId: "CL-000019");
        await _h.RunAsync();
        var psaId = _h.PsaTicketOf(ticket.Id).Id;
        _h.Portal.State.AddComment(ticket.Id, "A comment whose note's answer is lost.");
        _h.Psa.State.AddTicketNote(psaId, "A note whose comment's answer is lost.", _h.Psa.State.MemberIdByEmail("liam.smith@msp.example"));
        _h.Psa.State.Faults.FailNext(EasyConnect.Sync.Sandbox.SandboxFaultKind.LostResponse, 1, (method, path) => method == "POST" && path.EndsWith("/notes", StringComparison.Ordinal));
        _h.Portal.Faults.FailNext(EasyConnect.Sync.Sandbox.SandboxFaultKind.LostResponse, 1, (method, path) => method == "PUT");

        await _h.RunAsync();
        await _h.RunAsync();
        await _h.RunAsync();

        Assert.Single(_h.Psa.State.NotesOf(psaId), n => n.Text.Contains("A comment whose note's answer is lost.", StringComparison.Ordinal));
        Assert.Single(_h.Portal.State.Comments(ticket.Id), c => c.Body.Contains("A note whose comment's answer is lost.", StringComparison.Ordinal));
        Assert.Equal(3, _h.Psa.State.NotesOf(psaId).Count);
        Assert.Equal(3, _h.Portal.State.Comments(ticket.Id).Count);
    }
}

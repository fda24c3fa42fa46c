using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Tickets;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

/// <summary>Writes whose answers were lost or timed out: each create, note and comment lands exactly once.</summary>
public abstract class TicketSyncLostAnswerSuite(PostgresServer postgres, TicketSuitePsa psa) : TicketSuite(postgres, psa)
{
    [Fact]
    public async Task RunAsync_CreatesOnce_WhenTheCreateIsAppliedButItsAnswerIsLost()
    {
        var ticket = Portal.AddTicket("Lost answer", "Create me once.", clusterId: "CL-000016");
        Psa.FailNext(SandboxFaultKind.LostResponse, PsaSandboxOperation.CreateTicket);

        await H.RunAsync();
        await H.RunAsync();

        var psa = H.PsaTicketOf(ticket.Id);
        Assert.Equal(Psa.AsStored("Create me once."), Psa.DescriptionOf(psa.Id));
        Assert.Empty(Psa.NotesOf(psa.Id));
        var ledger = await H.LedgerAsync((await H.LinkAsync(ticket.Id)).Id);
        Assert.Contains(ledger, e => e.Result == LedgerResult.Reconciled);
    }

    [Fact]
    public async Task RunAsync_CreatesAgain_WhenTheCreateTimedOutWithoutBeingApplied()
    {
        var ticket = Portal.AddTicket("Timed out", "Create me after all.", clusterId: "CL-000017");
        Psa.FailNext(SandboxFaultKind.Timeout, PsaSandboxOperation.CreateTicket);

        var first = await H.RunAsync();
        Assert.Empty(H.PsaTicketsOf(ticket.Id));
        Assert.Equal(1, first.Counts.Failed);

        await H.RunAsync();

        H.PsaTicketOf(ticket.Id);
        Assert.Null((await H.LinkAsync(ticket.Id)).LastError);
    }

    [Fact]
    public async Task RunAsync_WaitsForAnUnconfirmedCreate_InsteadOfCreatingAgain()
    {
        await using var patient = await StartAsync(o => o.UnconfirmedWriteWait = TimeSpan.FromMinutes(10));
        var ticket = patient.Portal.State.AddTicket("Slow create", "Wait for me.", clusterId: "CL-000018");
        patient.Psa.FailNext(SandboxFaultKind.Timeout, PsaSandboxOperation.CreateTicket);

        await patient.RunAsync();
        var second = await patient.RunAsync();

        Assert.Equal(1, second.Counts.Waiting);
        Assert.Empty(patient.PsaTicketsOf(ticket.Id));
        Assert.Contains($"Waiting for {patient.Psa.ProductName} to confirm", (await patient.LedgerAsync((await patient.LinkAsync(ticket.Id)).Id))[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AddsNoteAndCommentOnce_WhenTheirAnswersAreLost()
    {
        var ticket = Portal.AddTicket("Lost notes", "Once only.", clusterId: "CL-000019");
        await H.RunAsync();
        var psaId = H.PsaTicketOf(ticket.Id).Id;
        Portal.AddComment(ticket.Id, "A comment whose note's answer is lost.");
        Psa.AddNote(psaId, "A note whose comment's answer is lost.", Psa.MemberIdByEmail(TicketHarness.Liam));
        Psa.FailNext(SandboxFaultKind.LostResponse, PsaSandboxOperation.CreateNote);
        H.Portal.Faults.FailNext(SandboxFaultKind.LostResponse, 1, (method, path) => method == "PUT");

        await H.RunAsync();
        await H.RunAsync();
        await H.RunAsync();

        Assert.Single(Psa.NotesOf(psaId), n => n.Text.Contains("A comment whose note's answer is lost.", StringComparison.Ordinal));
        Assert.Single(Portal.Comments(ticket.Id), c => c.Body.Contains("A note whose comment's answer is lost.", StringComparison.Ordinal));
        Assert.Equal(2, Psa.NotesOf(psaId).Count);
        Assert.Equal(3, Portal.Comments(ticket.Id).Count);
    }
}

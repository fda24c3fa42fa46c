using System.Globalization;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.Tickets;

// The ticket-engine suite against ConnectWise: each class runs one part of the suite through the ConnectWise sandbox and the real
// ConnectWise client. The few facts written here are ConnectWise's own mechanics (the first Discussion note, whole-second stamps).

public sealed class ConnectWiseTicketSyncEngineTests(PostgresServer postgres) : TicketSyncEngineSuite(postgres, TicketSuitePsa.ConnectWise);

public sealed class ConnectWiseTicketSyncConvergenceTests(PostgresServer postgres) : TicketSyncConvergenceSuite(postgres, TicketSuitePsa.ConnectWise);

public sealed class ConnectWiseTicketSyncLostAnswerTests(PostgresServer postgres) : TicketSyncLostAnswerSuite(postgres, TicketSuitePsa.ConnectWise);

public sealed class ConnectWiseTicketSyncPortalRulesTests(PostgresServer postgres) : TicketSyncPortalRulesSuite(postgres, TicketSuitePsa.ConnectWise);

public sealed class ConnectWiseTicketSyncPortalReachTests(PostgresServer postgres) : TicketSyncPortalReachSuite(postgres, TicketSuitePsa.ConnectWise);

public sealed class ConnectWiseTicketSyncDataTests(PostgresServer postgres) : TicketSyncDataSuite(postgres, TicketSuitePsa.ConnectWise);

public sealed class ConnectWiseTicketLookupsTests(PostgresServer postgres) : TicketLookupsSuite(postgres, TicketSuitePsa.ConnectWise);

public sealed class ConnectWiseTicketSyncDescriptionTests(PostgresServer postgres) : TicketSyncDescriptionSuite(postgres, TicketSuitePsa.ConnectWise)
{
    [Fact]
    public async Task RunAsync_RewritesTheDiscussionNote_WhenThePortalDescriptionChanges()
    {
        var ticket = Portal.AddTicket("Password", "My password is hunter2, please reset it.", clusterId: "CL-000013");
        await H.RunAsync();

        Portal.EditDescription(ticket.Id, "My password is ▇▇▇▇▇▇▇, please reset it.");
        await H.RunAsync();

        // ConnectWise keeps the description in the ticket's first Discussion note: that note is rewritten, no other is added.
        var notes = H.ConnectWise.NotesOf(int.Parse(H.PsaTicketOf(ticket.Id).Id, CultureInfo.InvariantCulture));
        var description = Assert.Single(notes);
        Assert.True(description.Discussion);
        Assert.Equal("My password is ▇▇▇▇▇▇▇, please reset it.", description.Text);
        Assert.Single(Portal.Comments(ticket.Id));
    }
}

public sealed class ConnectWiseTicketSyncQuietRunTests(PostgresServer postgres) : TicketSyncQuietRunSuite(postgres, TicketSuitePsa.ConnectWise)
{
    [Fact]
    public async Task RunAsync_CopiesANoteAddedInThePsa_WhenTheTicketIsInTheOverlap_EvenWithTheLastModifiedSecondAlreadySeen()
    {
        var ticket = await SyncedTicketAsync(H);
        await H.RunAsync();
        var psaId = H.PsaTicketOf(ticket.Id).Id;
        var liam = Psa.MemberIdByEmail(TicketHarness.Liam);

        Psa.AddNote(psaId, "Rebooted the router.", liam);
        var moved = await H.RunAsync();
        // ConnectWise stamps whole seconds: a second note in the very second the first one was stamped leaves lastUpdated where it was.
        var seen = (await H.LinkAsync(ticket.Id)).PsaLastModified!.Value;
        Psa.AddNote(psaId, "The router is back.", liam);
        H.ConnectWise.UpdateRecord("service/tickets", int.Parse(psaId, CultureInfo.InvariantCulture), lastUpdated: seen);
        var sameSecond = await H.RunAsync();

        Assert.Equal((1, 1), (moved.Counts.NotesToComments, sameSecond.Counts.NotesToComments));
        Assert.Equal(seen, H.PsaTicketOf(ticket.Id).LastModified);
        Assert.Equal(
            ["Liam Smith wrote in ConnectWise:\nRebooted the router.", "Liam Smith wrote in ConnectWise:\nThe router is back."],
            Portal.Comments(ticket.Id).Where(c => !c.Public).Select(c => c.Body));
    }
}

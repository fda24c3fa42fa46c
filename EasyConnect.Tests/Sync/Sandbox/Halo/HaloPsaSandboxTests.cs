using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.Halo;
using Microsoft.Extensions.Time.Testing;

namespace EasyConnect.Tests.Sync.Sandbox.Halo;

/// <summary>
/// The HaloPSA sandbox seen through the PSA-neutral contract the ticket-engine suite uses: seeded as the suite expects, a technician's
/// actions and edits land as Halo's web app makes them (HTML details, private actions by an agent), and system actions are not notes.
/// </summary>
public sealed class HaloPsaSandboxTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly HaloPsaSandbox _sandbox;

    public HaloPsaSandboxTests()
    {
        var state = new HaloSandboxState(new HaloSandboxOptions(), _time);
        _sandbox = new HaloPsaSandbox(state, new Uri("http://127.0.0.1:5999/sandbox/halo"));
    }

    [Fact]
    public void Seed_HoldsWhatTheTicketEngineSuiteExpects()
    {
        // Act
        var statuses = _sandbox.Statuses(_sandbox.DefaultBoardId);
        var priorities = _sandbox.Priorities();

        // Assert
        Assert.True(_sandbox.CompanyIds().Count >= 15);
        for (var i = 1; i <= 60; i++)
        {
            Assert.Single(_sandbox.ConfigurationsWithClusterId($"CL-{i:000000}"));
        }

        Assert.Equal(["New", "In Progress", "Waiting on User", "On Hold", "Resolved", "Closed"], statuses.Select(s => s.Name));
        // A priority's id names its SLA and the priorityid within it, as the Halo client reads a ticket's priority.
        Assert.All(priorities.GroupBy(p => p.Scope), sla => Assert.Equal(new[] { "1", "2", "3", "4" }.Select(p => $"{sla.Key}:{p}"), sla.Select(p => p.Id)));
        Assert.Equal(2, priorities.Select(p => p.Scope).Distinct().Count());
        Assert.Equal("Ava Nguyen", _sandbox.MemberName(_sandbox.MemberIdByEmail("ava.nguyen@msp.example")!));
        Assert.Equal("Liam Smith", _sandbox.MemberName(_sandbox.MemberIdByEmail("liam.smith@msp.example")!));
        Assert.Equal("HaloPSA", _sandbox.ProductName);
        Assert.Equal("http://127.0.0.1:5999/sandbox/halo", _sandbox.ConnectionSettings["address"]);
    }

    [Fact]
    public void AddNote_AddsAPrivateActionByTheAgent_AndNotesOfLeavesSystemActionsOut()
    {
        // Arrange
        var liam = _sandbox.MemberIdByEmail("liam.smith@msp.example")!;
        _sandbox.EditTicket("2001", new PsaSandboxTicketEdit(StatusId: "4"));

        // Act
        var note = _sandbox.AddNote("2001", "Line one\nline <two>", liam);
        var notes = _sandbox.NotesOf("2001");

        // Assert
        Assert.Equal(PsaSandboxNoteVisibility.Internal, note.Visibility);
        Assert.Equal(liam, note.AuthorId);
        Assert.Equal("Line one\nline <two>", note.Text);
        Assert.Equal(note, notes[^1]);
        Assert.Equal(4, notes.Count);
        Assert.Contains(_sandbox.State.All(HaloSandboxState.Actions, a => a["ticket_id"]!.GetValue<long>() == 2001), a => a["who_type"]!.GetValue<int>() == HaloSandboxState.WhoSystem);
        Assert.Equal("<p>Line one<br>line &lt;two&gt;</p>", _sandbox.State.Find(HaloSandboxState.Actions, long.Parse(note.Id, System.Globalization.CultureInfo.InvariantCulture))!["note_html"]!.GetValue<string>());
    }

    [Fact]
    public void EditDescription_StoresHtmlAsHalosEditorDoes_AndReadsBackItsText()
    {
        // Arrange
        var before = _sandbox.FindTicket("2002")!;
        _time.Advance(TimeSpan.FromMinutes(5));

        // Act
        _sandbox.EditDescription("2002", "Line one\nline & two");

        // Assert
        Assert.Equal("Line one\nline & two", _sandbox.DescriptionOf("2002"));
        Assert.Equal("<p>Line one<br>line &amp; two</p>", _sandbox.State.Find(HaloSandboxState.Tickets, 2002)!["details_html"]!.GetValue<string>());
        Assert.True(_sandbox.FindTicket("2002")!.LastModified > before.LastModified);
    }

    [Fact]
    public void EditTicket_MovesTheTicketToTheNewClientsSiteAndSla_KeepingTheOtherFields()
    {
        // Arrange: the third client is on the Gold SLA.
        var before = _sandbox.FindTicket("2001")!;
        var gold = _sandbox.CompanyIds()[2];

        // Act
        var after = _sandbox.EditTicket("2001", new PsaSandboxTicketEdit(CompanyId: gold));

        // Assert
        var stored = _sandbox.State.Find(HaloSandboxState.Tickets, 2001)!;
        Assert.Equal(gold, after.CompanyId);
        Assert.Equal(_sandbox.State.SlaOfClient(long.Parse(gold, System.Globalization.CultureInfo.InvariantCulture)), stored["sla_id"]!.GetValue<long>());
        // The priority keeps its number within the ticket's new SLA, so its id names the new SLA.
        Assert.Equal((before.Summary, before.StatusId, before.PriorityId.Split(':')[1], before.BoardId), (after.Summary, after.StatusId, after.PriorityId.Split(':')[1], after.BoardId));
        Assert.Equal($"{stored["sla_id"]!.GetValue<long>()}:{after.PriorityId.Split(':')[1]}", after.PriorityId);
    }
}

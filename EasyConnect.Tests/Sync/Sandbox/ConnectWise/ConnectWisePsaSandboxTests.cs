using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.ConnectWise;
using Microsoft.Extensions.Time.Testing;

namespace EasyConnect.Tests.Sync.Sandbox.ConnectWise;

/// <summary>
/// The ConnectWise sandbox seen through the PSA-neutral contract the ticket-engine suite uses: the first Discussion note is the
/// description and never a note, a technician's edits land as ConnectWise's own would, and a fault aimed at one operation hits no other.
/// </summary>
public sealed class ConnectWisePsaSandboxTests
{
    private const string Site = "http://127.0.0.1:5999/sandbox/connectwise";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly ConnectWisePsaSandbox _sandbox;

    public ConnectWisePsaSandboxTests()
    {
        var state = new ConnectWiseSandboxState(new ConnectWiseSandboxOptions { Configurations = 30, Companies = 10, Members = 5, Tickets = 2 }, _time);
        _sandbox = new ConnectWisePsaSandbox(state, new Uri(Site), "client-id");
    }

    [Fact]
    public void NotesOf_LeavesOutTheDescription_WhenItIsTheFirstDiscussionNote()
    {
        // Arrange: a seeded ticket has a Discussion note (its description) and an internal note.
        var ticket = _sandbox.FindTicket("1")!;

        // Act
        var external = _sandbox.AddNote(ticket.Id, "Told the customer.", visibility: PsaSandboxNoteVisibility.External);
        var notes = _sandbox.NotesOf(ticket.Id);

        // Assert
        Assert.Equal("Monitoring reported a problem with a server.", _sandbox.DescriptionOf(ticket.Id));
        Assert.Equal([PsaSandboxNoteVisibility.Internal, PsaSandboxNoteVisibility.External], notes.Select(n => n.Visibility));
        Assert.Equal(external, notes[^1]);
        Assert.Equal(_sandbox.ApiMemberId, external.AuthorId);
        Assert.Equal(3, _sandbox.State.NotesOf(1).Count);
        Assert.True(_sandbox.State.NotesOf(1)[2].Discussion);
    }

    [Fact]
    public void EditDescription_RewritesTheFirstDiscussionNote_AndMovesTheTicketsStamp()
    {
        // Arrange
        var before = _sandbox.FindTicket("2")!;
        _time.Advance(TimeSpan.FromMinutes(5));

        // Act
        _sandbox.EditDescription("2", "Line one\nline two", _sandbox.MemberIdByEmail("ava.nguyen@msp.example"));

        // Assert
        Assert.Equal("Line one\nline two", _sandbox.DescriptionOf("2"));
        Assert.Single(_sandbox.NotesOf("2"));
        var discussion = _sandbox.State.NotesOf(2).First(n => n.Discussion);
        Assert.Equal("Line one\nline two", discussion.Text);
        Assert.True(_sandbox.FindTicket("2")!.LastModified > before.LastModified);
        Assert.Equal("Line one line two", _sandbox.AsStored("Line one\nline two"));
    }

    [Fact]
    public void EditTicket_ChangesOnlyTheGivenFields_AsATechnicianWould()
    {
        // Arrange
        var before = _sandbox.FindTicket("1")!;
        var status = _sandbox.Statuses(before.BoardId).First(s => s.Id != before.StatusId);

        // Act
        var after = _sandbox.EditTicket("1", new PsaSandboxTicketEdit(StatusId: status.Id));

        // Assert
        Assert.Equal(status.Id, after.StatusId);
        Assert.Equal((before.Summary, before.PriorityId, before.CompanyId), (after.Summary, after.PriorityId, after.CompanyId));
        Assert.Equal(status.Id, _sandbox.FindTicket("1")!.StatusId);
        Assert.True(after.LastModified > before.LastModified);
    }

    [Fact]
    public void Statuses_GivesTheBoardsActiveStatusesInOrder_AndPrioritiesMostUrgentFirst()
    {
        var statuses = _sandbox.Statuses(_sandbox.DefaultBoardId);
        var priorities = _sandbox.Priorities();

        Assert.Equal(["New", "In Progress", "Waiting on Customer", "Scheduled", "Resolved", "Closed"], statuses.Select(s => s.Name));
        Assert.All(statuses, s => Assert.Equal(_sandbox.DefaultBoardId, s.Scope));
        Assert.Equal("Priority 1 - Emergency Response", priorities[0].Name);
        Assert.All(priorities, p => Assert.Null(p.Scope));
    }

    [Fact]
    public void AddConfiguration_IsFoundByItsClusterId_WithItsCompany_AndAddMemberByItsEmail()
    {
        var company = _sandbox.AddCompany("New Owner Ltd");

        var configuration = _sandbox.AddConfiguration("Edge firewall", company, "CL-777777");
        var member = _sandbox.AddMember("Grace", "Hopper", "grace.hopper@msp.example");

        Assert.Equal(new PsaSandboxConfiguration(configuration, "Edge firewall", company, "CL-777777"), Assert.Single(_sandbox.ConfigurationsWithClusterId("CL-777777")));
        Assert.Contains(company, _sandbox.CompanyIds());
        Assert.Equal(member, _sandbox.MemberIdByEmail("grace.hopper@msp.example"));
        Assert.Equal("Grace Hopper", _sandbox.MemberName(member));
    }

    [Theory]
    [InlineData(PsaSandboxOperation.CreateTicket, "POST", "/service/tickets")]
    [InlineData(PsaSandboxOperation.UpdateTicket, "PATCH", "/service/tickets/5")]
    [InlineData(PsaSandboxOperation.ReadTickets, "GET", "/service/tickets?conditions=lastUpdated>[2026-01-01T00:00:00Z]")]
    [InlineData(PsaSandboxOperation.CreateNote, "POST", "/service/tickets/5/notes")]
    [InlineData(PsaSandboxOperation.UpdateNote, "PATCH", "/service/tickets/5/notes/9")]
    [InlineData(PsaSandboxOperation.ReadNotes, "GET", "/service/tickets/5/notes?page=1")]
    [InlineData(PsaSandboxOperation.AttachConfiguration, "POST", "/service/tickets/5/configurations")]
    public void FailNext_FaultsTheNextRequestOfThatOperation_AndNoOther(PsaSandboxOperation operation, string method, string path)
    {
        // Arrange
        var api = "/sandbox/connectwise/v2025_1/apis/3.0";
        var requests = new (PsaSandboxOperation Operation, string Method, string Path)[]
        {
            (PsaSandboxOperation.CreateTicket, "POST", "/service/tickets"), (PsaSandboxOperation.UpdateTicket, "PATCH", "/service/tickets/5"),
            (PsaSandboxOperation.ReadTickets, "GET", "/service/tickets/5"), (PsaSandboxOperation.CreateNote, "POST", "/service/tickets/5/notes"),
            (PsaSandboxOperation.UpdateNote, "PATCH", "/service/tickets/5/notes/9"), (PsaSandboxOperation.ReadNotes, "GET", "/service/tickets/5/notes"),
            (PsaSandboxOperation.AttachConfiguration, "POST", "/service/tickets/5/configurations"), (PsaSandboxOperation.ReadTickets, "GET", "/company/configurations"),
        };

        // Act
        _sandbox.FailNext(SandboxFaultKind.ServerError, operation);
        var unaimed = requests.Where(r => r.Operation != operation || r.Path == "/company/configurations")
            .Select(r => _sandbox.Faults.Next(r.Method, api + r.Path).Kind).ToList();
        var aimed = _sandbox.Faults.Next(method, api + path).Kind;
        var again = _sandbox.Faults.Next(method, api + path).Kind;

        // Assert
        Assert.All(unaimed, kind => Assert.Equal(SandboxFaultKind.None, kind));
        Assert.Equal((SandboxFaultKind.ServerError, SandboxFaultKind.None), (aimed, again));
    }

    [Fact]
    public void ConnectionSettings_NameTheSiteAndTheKeysTheSandboxAccepts()
    {
        var settings = _sandbox.ConnectionSettings;

        Assert.Equal(Site, settings["Site"]);
        Assert.Equal((_sandbox.State.Options.CompanyId, _sandbox.State.Options.PublicKey, _sandbox.State.Options.PrivateKey, "client-id"),
            (settings["CompanyId"], settings["PublicKey"], settings["PrivateKey"], settings["ClientId"]));
    }
}

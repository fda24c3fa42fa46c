using System.Globalization;
using EasyConnect.Sync.Mappings;
using EasyConnect.Sync.Sandbox.ConnectWise;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>
/// The technician's journey, in Chromium: logs in, finds a colleague without a PSA user mapping, maps them to their ConnectWise member,
/// and the colleague's next portal comment becomes an internal note written as that member. Its screenshots illustrate docs/guide-technician.md.
/// </summary>
public sealed class TechnicianJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    private const string Colleague = "new.hire@msp.example";
    private const string Comment = "I have reset the export job; please try again.";
    private Guid _connection;
    private PortalSandboxTicket _ticket = default!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // The admin has connected both systems and switched the sync on; a new colleague has an EasyConnect account but no mapping yet,
        // and a customer's ticket is already linked to the PSA.
        await App.CreateUserAsync(TestUsers.Technician, Roles.Technician);
        await App.CreateUserAsync(Colleague, Roles.Technician);
        _connection = await ConnectSandboxesAsync(ticketSyncOn: true);
        _ticket = await AddLinkedTicketAsync(_connection, "Printer on floor 2 jams", "CL-000003");
    }

    [Fact]
    public async Task Technician_MapsAColleagueWithoutMapping_AndTheirNextPortalCommentBecomesANoteByTheMappedMember()
    {
        var member = (await App.Services.GetRequiredService<UserMappings>().SearchMembersAsync(_connection, null, 50, Ct))
            .First(m => !m.Inactive && m.Email is { } email && email != "easyconnect-api@msp.example");
        await LoginAsync(TestUsers.Technician);
        await WaitForInteractiveAsync();

        // Users without a mapping, from the navigation; the link and the page are named after the connected PSA.
        await Page.GetByRole(AriaRole.Link, new() { Name = "CW User Mapping", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "CW User Mapping" })).ToBeVisibleAsync();
        await WaitForInteractiveAsync();
        await Page.GetByTestId("mapping-filter").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "Users without a mapping" }).ClickAsync();
        var grid = Page.GetByTestId("mapping-grid");
        await Assertions.Expect(grid.GetByRole(AriaRole.Row).Filter(new() { HasText = Colleague })).ToContainTextAsync("not mapped");
        await GuideScreenshotAsync("technician-01-unmapped");

        // The colleague's member, found by name.
        await Page.GetByLabel($"PSA member of {Colleague}").FillAsync(member.Name.Split(' ')[0]);
        await Page.GetByRole(AriaRole.Option, new() { Name = member.Name }).First.ClickAsync();
        await Assertions.Expect(Page.GetByText($"{Colleague} is now")).ToBeVisibleAsync();
        await GuideScreenshotAsync("technician-02-mapped");

        // The colleague answers the customer in the portal (the portal sandbox's page is for admins, so the test writes it there directly).
        App.Services.GetRequiredService<PortalSandboxState>().AddComment(_ticket.Id, Comment, Colleague);

        // The next run (the technician does not wait for the schedule) writes it as the mapped member.
        await GoToAsync("tickets");
        await Page.GetByTestId("sync-tickets-now").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("tickets-notice")).ToContainTextAsync("The ticket sync has run", new() { Timeout = 60_000 });
        await Page.GetByTestId("tickets-grid").GetByRole(AriaRole.Row).Filter(new() { HasText = "Printer on floor 2 jams" }).GetByTestId("portal-ticket").ClickAsync();
        await WaitForInteractiveAsync();
        await Assertions.Expect(Page.GetByTestId("ticket-notes")).ToContainTextAsync(Comment);
        await Assertions.Expect(Page.GetByTestId("ledger")).ToContainTextAsync("(by the mapped member)");
        await GuideScreenshotAsync("technician-03-ticket");

        // ConnectWise holds the note as written by the member, with the comment's own words (no "written by" line).
        var sandbox = App.Services.GetRequiredService<ConnectWiseSandboxState>();
        var psa = Assert.Single(sandbox.TicketsWithExternalXRef(_ticket.Id.ToString(CultureInfo.InvariantCulture)));
        var note = Assert.Single(sandbox.NotesOf(psa.Id), n => n.Text.Contains(Comment, StringComparison.Ordinal));
        Assert.Equal(Comment, note.Text);
        Assert.Equal(int.Parse(member.Id, CultureInfo.InvariantCulture), note.MemberId);
        Assert.True(note.Internal);
    }
}

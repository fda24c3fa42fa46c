using System.Globalization;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>The tickets grid and the ticket page: long summaries, addresses by portal number, unknown tickets, the held banner.</summary>
public sealed class TicketPagesTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    private static readonly string LongSubject = "The accounting server in the basement no longer answers on its second network card " +
        string.Join(" ", Enumerable.Repeat("after last night's update and nobody can export the payroll to the bank any more", 4));

    [Fact]
    public async Task HeldTicket_ShowsItsLongSubjectOnTwoLinesWithTheWholeTextOnHover_AndOpensAtItsPortalNumber_WithTheReasonOnce()
    {
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        var connection = await ConnectSandboxesAsync(ticketSyncOn: true);
        // A ClusterID that matches no configuration: the ticket is held and has no PSA summary, so the grid shows the portal subject.
        var ticket = await AddLinkedTicketAsync(connection, LongSubject, "CL-999999");
        var number = ticket.Id.ToString(CultureInfo.InvariantCulture);
        await LoginAsync(TestUsers.Admin);
        await GoToAsync("tickets");

        var summary = Page.GetByTestId("tickets-grid").GetByTestId("summary").First;
        await Assertions.Expect(summary).ToHaveAttributeAsync("title", LongSubject);
        var lineHeight = await summary.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).lineHeight)");
        var box = await summary.BoundingBoxAsync();
        Assert.True(box!.Height <= 2 * lineHeight + 1, $"The summary is {box.Height} px high, more than two {lineHeight} px lines.");

        await Page.GetByTestId("portal-ticket").First.ClickAsync();
        await Page.WaitForURLAsync($"**/tickets/{number}");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = $"Portal ticket {number}" })).ToBeVisibleAsync();
        var banner = await Page.GetByTestId("held-reason").InnerTextAsync();
        var sentences = banner.Split(['.', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(sentences.Length, sentences.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(1, CountOf(banner, "Client mapping page"));
        Assert.Equal(1, CountOf(banner, "It syncs by itself once this is fixed"));
    }

    [Fact]
    public async Task UnknownTicket_Answers404_WithAFriendlyMessage()
    {
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await LoginAsync(TestUsers.Admin);

        var response = await Page.GotoAsync("tickets/424242");

        Assert.Equal(404, response!.Status);
        await Assertions.Expect(Page.GetByTestId("ticket-missing")).ToContainTextAsync("no portal ticket 424242");
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Back to the tickets" })).ToBeVisibleAsync();
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.OrdinalIgnoreCase))
        {
            count++;
        }

        return count;
    }
}

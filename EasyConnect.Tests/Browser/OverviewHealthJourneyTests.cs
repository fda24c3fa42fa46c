using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>The Overview as health at a glance, after real runs against the built-in sandboxes, on a 1440-px screen and a phone, light and dark.</summary>
public sealed class OverviewHealthJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    [Fact]
    public async Task Overview_ShowsHealthAndChartsAndFoldsTheChecklist_OnADesktopAndAPhoneInLightAndDark()
    {
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        var connection = await ConnectSandboxesAsync(ticketSyncOn: true);
        await AddLinkedTicketAsync(connection, "Printer on floor 2 jams", "CL-000003");
        // A ClusterID no configuration carries: the ticket is held, with its reason on the Tickets page.
        await AddLinkedTicketAsync(connection, "Laptop of the new hire", "CL-999999");
        await Page.SetViewportSizeAsync(1440, 900);
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await LoginAsync(TestUsers.Admin);
        await WaitForInteractiveAsync();

        await Assertions.Expect(Page.GetByTestId("health-held-count")).ToHaveTextAsync("1");
        await Assertions.Expect(Page.GetByTestId("health-job-Tickets")).ToContainTextAsync("Ticket sync: succeeded");
        await Assertions.Expect(Page.GetByTestId("health-job-Full")).ToContainTextAsync("Full mirror: succeeded");
        await Assertions.Expect(Page.GetByTestId("health-budget")).ToContainTextAsync("API calls in the last hour:");
        await Assertions.Expect(Page.GetByTestId("steps-folded")).ToContainTextAsync("Set-up is complete");
        foreach (var chart in new[] { "chart-moved", "chart-durations", "chart-failures" })
        {
            await Assertions.Expect(Page.GetByTestId(chart).Locator("svg").First).ToBeVisibleAsync();
        }

        await GuideScreenshotAsync("overview-1440-light");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Assertions.Expect(Page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(30, 33, 41)");
        await GuideScreenshotAsync("overview-1440-dark");

        await Page.SetViewportSizeAsync(390, 844);
        await Assertions.Expect(Page.GetByTestId("health-held-count")).ToBeInViewportAsync();
        // Nothing is wider than the phone's screen, once the layout has followed the new width.
        await Page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= window.innerWidth", null, new() { Timeout = 10_000 });
        await GuideScreenshotAsync("overview-390-dark");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" }).ClickAsync();
        await Assertions.Expect(Page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(245, 247, 250)");
        await GuideScreenshotAsync("overview-390-light");

        // The held count leads to the held tickets.
        await Page.GetByTestId("health-held").GetByRole(AriaRole.Link).ClickAsync();
        await Page.WaitForURLAsync("**/tickets?filter=held");
        await Assertions.Expect(Page.GetByTestId("ticket-filter")).ToContainTextAsync("Held");
    }
}

using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>
/// Every page, checked by axe-core in Chromium: no serious or critical violation (contrast, names, landmarks, heading order...).
/// Each violation is printed with its page, rule, impact and element, so a failure says what to fix; the whole report is also
/// written to TestResults/accessibility.txt.
/// </summary>
public sealed class AccessibilityTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    private static readonly string[] Blocking = ["serious", "critical"];

    [Fact]
    public async Task EveryPage_HasNoSeriousOrCriticalViolations()
    {
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        var connection = await ConnectSandboxesAsync(ticketSyncOn: true);
        await AddLinkedTicketAsync(connection, "Printer on floor 2 jams", "CL-000003");
        var report = new StringBuilder();
        var blocking = 0;

        await Page.GotoAsync("Account/Login");
        blocking += await CheckAsync("Login", report);
        await LoginAsync(TestUsers.Admin);
        foreach (var (name, path) in new[]
        {
            ("Overview", "/"), ("Integration", "integration"), ("Advanced Settings", "advanced-settings"), ("Users", "users"),
            ("Audit log", "audit"), ("Sync runs", "sync-runs"), ("Tickets", "tickets"), ("User mapping", "user-mapping"),
            ("Client mapping", "client-mapping"), ("Notifications", "notifications"),
        })
        {
            await GoToAsync(path);
            blocking += await CheckAsync(name, report);
        }

        await GoToAsync("tickets");
        await Page.GetByTestId("portal-ticket").First.ClickAsync();
        await Assertions.Expect(Page.GetByTestId("ledger")).ToBeVisibleAsync();
        blocking += await CheckAsync("Ticket", report);

        await Page.GotoAsync("Account/Manage/ChangePassword");
        blocking += await CheckAsync("Change password", report);
        await Page.GotoAsync("Account/Manage/TwoFactorAuthentication");
        blocking += await CheckAsync("Two-factor sign-in", report);

        // Kept beside the failure screenshots, so the figures of a passing run can be read too.
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "accessibility.txt"), report.ToString(), Ct);
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        Assert.True(blocking == 0, $"{blocking} serious or critical accessibility violations:\n{report}");
    }

    [Fact]
    public async Task SkipLink_MovesPastTheNavigation_AndThePageTitleIsTheFirstHeading()
    {
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await LoginAsync(TestUsers.Admin);
        await GoToAsync("users");

        // The first heading is the page's h1, not the app bar's title.
        Assert.Equal("H1", await Page.Locator("h1, h2, h3, h4, h5, h6").First.EvaluateAsync<string>("e => e.tagName"));
        // Hidden until focused (FocusOnNavigate puts focus on the h1 after a navigation, so the test focuses the link itself).
        var skip = Page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        await Assertions.Expect(skip).Not.ToBeInViewportAsync();
        await skip.FocusAsync();
        await Assertions.Expect(skip).ToBeInViewportAsync();
        await Page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(Page.GetByRole(AriaRole.Main)).ToBeFocusedAsync();
    }

    /// <summary>Runs axe on the current page once it has settled; reports every violation and returns the serious or critical ones.</summary>
    private async Task<int> CheckAsync(string page, StringBuilder report)
    {
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var results = await Page.RunAxe();
        var counts = results.Violations.GroupBy(v => v.Impact ?? "none").Select(g => $"{g.Key} {g.Count()}");
        report.AppendLine($"{page}: {results.Violations.Length} violations ({string.Join(", ", counts)})");
        foreach (var violation in results.Violations)
        {
            foreach (var node in violation.Nodes)
            {
                report.AppendLine($"  {page} | {violation.Id} | {violation.Impact} | {node.Target} | {violation.Help}");
            }
        }

        return results.Violations.Count(v => Blocking.Contains(v.Impact));
    }
}

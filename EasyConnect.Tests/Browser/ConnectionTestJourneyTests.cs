using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>
/// An admin tests connections to hosts that never answer or refuse, in Chromium: the running check shows a spinner and Cancel
/// test, the test ends within the configured limit with what to check, a cancel saves nothing, and a new test clears the last one.
/// </summary>
public sealed class ConnectionTestJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    private const int LimitSeconds = 2;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["EasyConnect:Sandbox:Enabled"] = "true",
        ["EasyConnect:Connections:TestTimeoutSeconds"] = LimitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await LoginAsync(TestUsers.Admin);
    }

    [Fact]
    public async Task Admin_SeesTheRunningCheckThenWhatToCheck_WhenTheSiteNeverAnswers()
    {
        await using var silent = new SilentHost();
        await GoToAsync("integration");
        await Page.GetByTestId("use-sandbox").ClickAsync();
        await ReplaceSandboxValueAsync(Page.GetByLabel("Site", new() { Exact = true }), "sandbox/connectwise", silent.Url);

        await Page.GetByTestId("test-connection").ClickAsync();

        var results = Page.GetByTestId("test-results");
        await Assertions.Expect(results.GetByTestId("check-running")).ToHaveCountAsync(1);
        await Assertions.Expect(Page.GetByTestId("cancel-test")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("test-connection")).ToBeDisabledAsync();
        await ScreenshotAsync("silent-host-running");
        await Assertions.Expect(results).ToContainTextAsync($"ConnectWise did not answer within {LimitSeconds} s. Check the site address",
            new() { Timeout = (LimitSeconds + 3) * 1000 });
        await Assertions.Expect(results.GetByTestId("check-running")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.Locator("[data-testid=check][data-state=notrun]").First).ToContainTextAsync("Not run");
        await Assertions.Expect(Page.GetByTestId("cancel-test")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.GetByTestId("test-connection")).ToBeEnabledAsync();
        await ScreenshotAsync("silent-host-gave-up");
    }

    [Fact]
    public async Task Admin_CancelsConnect_AndSeesTestCancelledWithNothingSaved()
    {
        await using var silent = new SilentHost();
        var connections = App.Services.GetRequiredService<PsaConnections>();
        await GoToAsync("integration");
        await Page.GetByTestId("use-sandbox").ClickAsync();
        await ReplaceSandboxValueAsync(Page.GetByLabel("Site", new() { Exact = true }), "sandbox/connectwise", silent.Url);
        await Page.GetByTestId("connect").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("check-running")).ToBeVisibleAsync();

        await Page.GetByTestId("cancel-test").ClickAsync();

        await Assertions.Expect(Page.GetByTestId("test-cancelled")).ToHaveTextAsync("Test cancelled. Nothing was saved.");
        await Assertions.Expect(Page.GetByTestId("test-results")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.GetByTestId("connection-error")).ToHaveCountAsync(0);
        Assert.Null(await connections.GetActiveAsync(Ct));
    }

    [Fact]
    public async Task Admin_StartsASecondTest_AndTheFirstResultIsGoneAtOnce()
    {
        await using var silent = new SilentHost();
        await GoToAsync("integration");
        await Page.GetByTestId("use-sandbox").ClickAsync();
        await ReplaceSandboxValueAsync(Page.GetByLabel("Site", new() { Exact = true }), "sandbox/connectwise", ClosedPort.Url());
        await Page.GetByTestId("test-connection").ClickAsync();
        var results = Page.GetByTestId("test-results");
        await Assertions.Expect(results).ToContainTextAsync("nothing is listening at that address and port");

        await Page.GetByLabel("Site", new() { Exact = true }).FillAsync(silent.Url);
        await Assertions.Expect(Page.GetByLabel("Site", new() { Exact = true })).ToHaveValueAsync(silent.Url);
        await Page.GetByTestId("test-connection").ClickAsync();

        await Assertions.Expect(results.GetByTestId("check-running")).ToHaveCountAsync(1);
        await Assertions.Expect(results).Not.ToContainTextAsync("nothing is listening");
        await Assertions.Expect(results).ToContainTextAsync("did not answer within", new() { Timeout = (LimitSeconds + 3) * 1000 });
    }

    [Fact]
    public async Task Admin_CancelsAPortalTest_AfterSeeingItsSpinner()
    {
        await using var silent = new SilentHost();
        var portal = App.Services.GetRequiredService<PortalConnections>();
        await GoToAsync("integration");
        await Page.GetByTestId("portal-use-sandbox").ClickAsync();
        await ReplaceSandboxValueAsync(Page.GetByLabel("Portal address"), "sandbox/portal", silent.Url);
        await Page.GetByTestId("portal-connect").ClickAsync();
        var results = Page.GetByTestId("portal-test-results");
        await Assertions.Expect(results.GetByTestId("check-running")).ToHaveCountAsync(1);

        await Page.GetByTestId("portal-cancel-test").ClickAsync();

        await Assertions.Expect(Page.GetByTestId("portal-test-cancelled")).ToHaveTextAsync("Test cancelled. Nothing was saved.");
        await Assertions.Expect(results).ToHaveCountAsync(0);
        Assert.Null(await portal.GetActiveAsync(Ct));
    }

    [Fact]
    public async Task Admin_SeesWhatToCheck_WhenThePortalNeverAnswers()
    {
        await using var silent = new SilentHost();
        await GoToAsync("integration");
        await Page.GetByTestId("portal-use-sandbox").ClickAsync();
        await ReplaceSandboxValueAsync(Page.GetByLabel("Portal address"), "sandbox/portal", silent.Url);

        await Page.GetByTestId("portal-test").ClickAsync();

        var results = Page.GetByTestId("portal-test-results");
        await Assertions.Expect(results.GetByTestId("check-running")).ToHaveCountAsync(1);
        await Assertions.Expect(Page.GetByTestId("portal-cancel-test")).ToBeVisibleAsync();
        await Assertions.Expect(results).ToContainTextAsync($"The portal did not answer within {LimitSeconds} s. Check the portal address",
            new() { Timeout = (LimitSeconds + 3) * 1000 });
        await Assertions.Expect(Page.GetByTestId("portal-cancel-test")).ToHaveCountAsync(0);
    }

    /// <summary>Waits for "Use the sandbox" to have filled the field, then types another address over it.</summary>
    private static async Task ReplaceSandboxValueAsync(ILocator field, string sandboxPath, string value)
    {
        await Assertions.Expect(field).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(sandboxPath)));
        await field.FillAsync(value);
        await Assertions.Expect(field).ToHaveValueAsync(value);
    }
}

using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Support;

/// <summary>
/// Base of the browser journeys: the real app on its own database, and a fresh Chromium page on it.
/// Each test method gets a new instance (xunit), so a new app and a clean database.
/// </summary>
/// <param name="sandbox">Whether the app serves its built-in ConnectWise and portal sandboxes.</param>
public abstract class BrowserTest(PostgresServer postgres, Browser browser, bool sandbox = false) : IAsyncLifetime
{
    private BrowserSession? _session;

    protected EasyConnectApp App { get; private set; } = default!;

    protected IPage Page => _session!.Page;

    /// <summary>Settings for the app under test; override to change them.</summary>
    protected virtual IDictionary<string, string?> Settings => sandbox
        ? new Dictionary<string, string?> { ["EasyConnect:Sandbox:Enabled"] = "true" }
        : new Dictionary<string, string?>();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync()
    {
        App = await EasyConnectApp.StartAsync(postgres, Settings);
        _session = await browser.NewSessionAsync(App.BaseAddress);
    }

    /// <summary>Logs in through the login page and waits for the overview.</summary>
    protected async Task LoginAsync(string email, string password = TestUsers.Password)
    {
        await Page.GotoAsync("Account/Login");
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        // Hashing the password and the first render of the Overview can take a while on a busy two-core machine.
        await Page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal), new() { Timeout = 45_000 });
    }

    /// <summary>Opens a page of the app and waits until its components answer clicks.</summary>
    /// <summary>
    /// Creates the first administrator on the setup page with the setup code the app printed, as on a fresh install, and
    /// waits for the login page; <paramref name="beforeSubmit"/> runs with the form filled in (a guide screenshot, say).
    /// </summary>
    protected async Task SetUpFirstAdministratorAsync(string email, Func<Task>? beforeSubmit = null)
    {
        var code = App.Services.GetRequiredService<EasyConnect.Sync.Users.FirstRunSetup>().SetupCode;
        await Page.GotoAsync("/");
        await Page.WaitForURLAsync("**/setup");
        await Page.GetByLabel("Setup code").FillAsync(code);
        await Page.GetByLabel("Your name").FillAsync("Dana Admin");
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestUsers.Password);
        await Page.GetByLabel("Confirm password").FillAsync(TestUsers.Password);
        if (beforeSubmit is not null)
        {
            await beforeSubmit();
        }

        await Page.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).ClickAsync();
        await Page.WaitForURLAsync("**/Account/Login?created=true");
    }

    protected async Task GoToAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitForInteractiveAsync();
    }

    /// <summary>Waits until the page's Blazor circuit is connected (prerendered buttons do nothing before that).</summary>
    protected Task WaitForInteractiveAsync() => Page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    protected Task<string> ScreenshotAsync(string name) => _session!.SaveScreenshotAsync(name);

    /// <summary>
    /// A screenshot for a role guide in docs/: saved with the test's screenshots, and also as <c>{name}.png</c> in the folder named by
    /// <c>EASYCONNECT_GUIDE_SCREENSHOTS</c> when that is set (docs/development.md: "Guide screenshots").
    /// </summary>
    protected async Task GuideScreenshotAsync(string name)
    {
        // From the top, or the fixed app bar lands in the middle of a full-page capture.
        await Page.EvaluateAsync("window.scrollTo(0, 0)");
        var path = await ScreenshotAsync(name);
        if (Environment.GetEnvironmentVariable("EASYCONNECT_GUIDE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.Copy(path, Path.Combine(folder, name + ".png"), overwrite: true);
        }
    }

    /// <summary>
    /// What an admin has done before a technician's or support engineer's day starts: the app's built-in ConnectWise sandbox connected
    /// (and the portal sandbox, unless told otherwise), its first full sync finished, and the ticket sync switched on if asked.
    /// Returns the PSA connection's id.
    /// </summary>
    protected async Task<Guid> ConnectSandboxesAsync(bool portal = true, bool ticketSyncOn = false)
    {
        var ct = TestContext.Current.CancellationToken;
        var psa = await App.Services.GetRequiredService<PsaConnections>().ConnectAsync(new ConnectionDraft(PsaKind.ConnectWise, new Dictionary<string, string>
        {
            ["site"] = App.BaseAddress + "sandbox/connectwise", ["companyId"] = "easyconnect", ["publicKey"] = "sandbox-public-key",
            ["privateKey"] = "sandbox-private-key", ["clientId"] = "tests",
        }), "tests", ct);
        Assert.True(psa.Succeeded, psa.Error);
        var connection = psa.Connection!.Id;
        if (portal)
        {
            var result = await App.Services.GetRequiredService<PortalConnections>().ConnectAsync(
                new PortalConnectionDraft(App.BaseAddress + "sandbox/portal", "easyconnect@msp.example", "sandbox-api-token", 360012345678), "tests", ct);
            Assert.True(result.Passed, result.Error);
        }

        await App.WaitForFullSyncAsync(connection);
        if (ticketSyncOn)
        {
            var store = App.Services.GetRequiredService<AdvancedSettingsStore>();
            var settings = await store.GetAsync(connection, ct);
            settings.SyncEnabled = true;
            Assert.Empty(await store.SaveAsync(settings, "tests", ct));
        }

        return connection;
    }

    /// <summary>A customer's ticket added to the portal sandbox and linked to a PSA ticket by one ticket sync run.</summary>
    protected async Task<PortalSandboxTicket> AddLinkedTicketAsync(Guid connection, string subject, string clusterId)
    {
        var ticket = App.Services.GetRequiredService<PortalSandboxState>().AddTicket(subject, $"{subject}: please have a look.", clusterId: clusterId);
        await App.Services.GetRequiredService<TicketSyncEngine>().RunAsync(connection, new TicketSyncRequest(StartedBy: "tests"), Ct);
        return ticket;
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }

        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

using Microsoft.Playwright;

namespace EasyConnect.Tests.Support;

/// <summary>
/// Base of the browser journeys: the real app on its own database, and a fresh Chromium page on it.
/// Each test method gets a new instance (xunit), so a new app and a clean database.
/// </summary>
public abstract class BrowserTest(PostgresServer postgres, Browser browser) : IAsyncLifetime
{
    private BrowserSession? _session;

    protected EasyConnectApp App { get; private set; } = default!;

    protected IPage Page => _session!.Page;

    /// <summary>Settings for the app under test; override to change them.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

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
        await Page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
    }

    /// <summary>Opens a page of the app and waits until its components answer clicks.</summary>
    protected async Task GoToAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitForInteractiveAsync();
    }

    /// <summary>Waits until the page's Blazor circuit is connected (prerendered buttons do nothing before that).</summary>
    protected Task WaitForInteractiveAsync() => Page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    protected Task<string> ScreenshotAsync(string name) => _session!.SaveScreenshotAsync(name);

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

using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(EasyConnect.Tests.Support.Browser))]

namespace EasyConnect.Tests.Support;

/// <summary>
/// Debian's Chromium driven by Playwright, one per test run; each test gets its own context (cookies,
/// storage). Playwright never downloads a browser here: the executable is the system's.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root Chromium needs --no-sandbox; the rest keep it off the (closed) network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A new page in a fresh context, whose screenshot is saved if the test fails.</summary>
    public async Task<BrowserSession> NewSessionAsync(Uri baseAddress)
    {
        if (_browser is null)
        {
            Assert.Fail($"Chromium is not installed at {ChromiumPath}: install it with 'apt-get install chromium' (the README lists it).");
        }

        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        context.SetDefaultTimeout(15_000);
        // Assertions wait as long as actions do: on a loaded 2-core CI machine a server-side grid may take more than Playwright's
        // default 5 s to fill, and an assertion returns as soon as the page shows what it expects.
        Assertions.SetDefaultExpectTimeout(15_000);
        return new BrowserSession(context, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>
/// One browser context and page. Dispose it from the test class's DisposeAsync (after the test has run),
/// so a failed test leaves a screenshot in TestResults/screenshots.
/// </summary>
public sealed class BrowserSession(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    public async ValueTask DisposeAsync()
    {
        if (TestContext.Current.TestState?.Result == TestResult.Failed)
        {
            await SaveScreenshotAsync("failed");
        }

        await context.DisposeAsync();
    }

    /// <summary>Saves a full-page screenshot named after the test; returns its path.</summary>
    public async Task<string> SaveScreenshotAsync(string suffix)
    {
        var name = string.Concat((TestContext.Current.Test?.TestDisplayName ?? "test").Select(c => char.IsLetterOrDigit(c) ? c : '_'));
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{name}-{suffix}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}

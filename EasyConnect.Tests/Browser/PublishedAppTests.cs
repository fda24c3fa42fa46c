using System.Net;
using System.Text.RegularExpressions;
using EasyConnect.Tests.Support;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>
/// The install path of docs/install-linux.md: the output of <c>dotnet publish</c>, run with <c>dotnet EasyConnect.Admin.dll</c> in
/// Production, serves a styled, working UI. (The plain build output once served every stylesheet and script empty in Production.)
/// </summary>
public sealed partial class PublishedAppTests(PostgresServer postgres, Support.Browser browser) : IAsyncDisposable
{
    private PublishedApp? _app;
    private BrowserSession? _session;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishedOutput_ServesAStyledWorkingUi_InProduction()
    {
        var app = _app = await PublishedApp.StartAsync(await postgres.CreateDatabaseAsync("published"), Ct);
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        _session = await browser.NewSessionAsync(app.BaseAddress);
        var page = _session.Page;

        foreach (var asset in new[] { "_framework/blazor.web.js", "_content/MudBlazor/MudBlazor.min.css", "_content/MudBlazor/MudBlazor.min.js", "app.css" })
        {
            using var response = await client.GetAsync(asset, Ct);
            var body = await response.Content.ReadAsByteArrayAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK && body.Length > 0,
                $"{asset} answered {(int)response.StatusCode} with {body.Length} bytes. App output:\n{app.Output}");
        }

        Assert.DoesNotContain("runs from its build output", app.Output, StringComparison.Ordinal);
        var code = SetupCode().Match(app.Output) is { Success: true } match
            ? match.Groups[1].Value
            : throw new Xunit.Sdk.XunitException($"The published app logged no setup code. Output:\n{app.Output}");

        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/setup");
        var card = page.Locator(".ec-card");
        var background = await card.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        var shadow = await card.EvaluateAsync<string>("e => getComputedStyle(e).boxShadow");
        Assert.True(background == "rgb(255, 255, 255)" && shadow != "none",
            $"The setup card is not styled by app.css (background {background}, shadow {shadow}). App output:\n{app.Output}");

        await page.GetByLabel("Setup code").FillAsync(code);
        await page.GetByLabel("Your name").FillAsync("Dana Admin");
        await page.GetByLabel("Email").FillAsync("dana@msp.example");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestUsers.Password);
        await page.GetByLabel("Confirm password").FillAsync(TestUsers.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create administrator" }).ClickAsync();
        // The first administrator is created with a password hash and the first writes of a fresh Production install: on a busy
        // CI machine that can take longer than Playwright's default 15 s.
        await page.WaitForURLAsync("**/Account/Login?created=true", new() { Timeout = 60_000 });
        await page.GetByLabel("Email").FillAsync("dana@msp.example");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestUsers.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        // The Overview's marker appears only once blazor.web.js has opened the circuit (a WebSocket) to the server.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.styleSheets].some(s => s.href?.includes('MudBlazor') && s.cssRules.length > 0)"),
            $"MudBlazor's stylesheet did not load on the Overview. App output:\n{app.Output}");
    }

    // After the test has run, so a failure leaves a screenshot; then the process is killed.
    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [GeneratedRegex(@"enter the setup code ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})")]
    private static partial Regex SetupCode();
}

using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>A new MSP admin on a fresh install, in Chromium: setup, login, overview, jobs dashboard, users, logout.</summary>
public sealed class FirstRunJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser)
{
    [Fact]
    public async Task Admin_SetsUpLogsInOpensDashboardAddsUserAndLogsOut_OnAFreshInstall()
    {
        await SetUpFirstAdministratorAsync("dana@msp.example", () => ScreenshotAsync("setup"));
        await Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("administrator account is ready");

        await LoginAsync("dana@msp.example");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("next-steps")).ToContainTextAsync("Connect the PSA");
        await ScreenshotAsync("overview");

        await WaitForInteractiveAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Jobs dashboard" }).ClickAsync();
        await Page.WaitForURLAsync("**/hangfire");
        await Assertions.Expect(Page.GetByText("Recurring Jobs").First).ToBeVisibleAsync();

        await GoToAsync("users");
        await Page.GetByTestId("create-user").ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Email").FillAsync("tess@msp.example");
        await dialog.GetByLabel("Name").FillAsync("Tess Tech");
        await dialog.GetByLabel("Initial password").FillAsync(TestUsers.Password);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("users-grid")).ToContainTextAsync("tess@msp.example");
        await ScreenshotAsync("users");
        await WaitForInteractiveAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Page.WaitForURLAsync("**/Account/Login");
        await Page.GotoAsync("/");
        await Page.WaitForURLAsync("**/Account/Login**");
    }

    [Fact]
    public async Task Technician_SeesNoAdministrationAndIsRefusedUsersPage()
    {
        await App.CreateUserAsync(TestUsers.Technician, Roles.Technician);

        await LoginAsync(TestUsers.Technician);
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
        await Page.GotoAsync("users");

        await Page.WaitForURLAsync("**/Account/AccessDenied**");
        await Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not give access");
    }
}

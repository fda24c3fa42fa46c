using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>Two-factor sign-in in Chromium: an admin sets up an authenticator app, signs out, and signs in again with a code.</summary>
public sealed class TwoFactorJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser)
{
    [Fact]
    public async Task Admin_TurnsOnTwoFactorSignIn_SignsOut_AndSignsInWithACodeFromTheApp()
    {
        // Arrange
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await LoginAsync(TestUsers.Admin);

        // Act: set it up from My account.
        await Page.GotoAsync("Account/Manage/TwoFactorAuthentication");
        await Assertions.Expect(Page.GetByTestId("two-factor-state")).ToContainTextAsync("off");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Set up an authenticator app" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Img, new() { Name = "QR code for your authenticator app" })).ToBeVisibleAsync();
        var key = await Page.GetByTestId("authenticator-key").InnerTextAsync();
        await ScreenshotAsync("two-factor-setup");
        await Page.GetByLabel("Code from the app").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(10);
        var recoveryCode = (await Page.GetByTestId("recovery-codes").Locator("li").First.InnerTextAsync()).Trim();

        // Sign out and in: the password alone is not enough any more.
        await Page.GotoAsync("/");
        await WaitForInteractiveAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Page.WaitForURLAsync("**/Account/Login");
        await Page.GetByLabel("Email").FillAsync(TestUsers.Admin);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestUsers.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Page.WaitForURLAsync("**/Account/LoginWith2fa**");
        await Page.GetByLabel("Authenticator code").FillAsync("000000" == Totp.Code(key, DateTimeOffset.UtcNow) ? "111111" : "000000");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The code is not right");
        await Page.GetByLabel("Authenticator code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Assert
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Overview" })).ToBeVisibleAsync();
        await Page.GotoAsync("Account/Manage/TwoFactorAuthentication");
        await Assertions.Expect(Page.GetByTestId("two-factor-state")).ToContainTextAsync("10 recovery codes left");
        Assert.Matches("^[A-Z0-9]{5}-[A-Z0-9]{5}$", recoveryCode);
    }
}

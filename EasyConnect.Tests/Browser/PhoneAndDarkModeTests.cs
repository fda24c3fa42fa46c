using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>The admin utility on a phone (390 px wide), and its dark mode: the system's choice first, then the user's own.</summary>
public sealed class PhoneAndDarkModeTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    [Fact]
    public async Task Phone_ReachesLogOutThroughTheDrawer_AndNoPageScrollsSideways()
    {
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        var connection = await ConnectSandboxesAsync(ticketSyncOn: true);
        await AddLinkedTicketAsync(connection, "The accounting server in the basement no longer answers on its second network card after the update", "CL-000003");
        await Page.SetViewportSizeAsync(390, 844);
        await LoginAsync(TestUsers.Admin);

        foreach (var path in new[] { "/", "tickets", "users" })
        {
            await GoToAsync(path);
            await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            Assert.True(widths[0] <= widths[1], $"{path} is {widths[0]} px wide on a {widths[1]} px screen.");
        }

        // Grid rows stack as cards: no header row, each cell labelled with its column's name.
        await Assertions.Expect(Page.GetByTestId("users-grid").Locator("thead")).Not.ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("users-grid").Locator("td[data-label=Email]").First).ToBeVisibleAsync();
        var logOut = Page.GetByRole(AriaRole.Button, new() { Name = "Log out" });
        await Assertions.Expect(logOut).Not.ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        await logOut.ClickAsync();

        await Page.WaitForURLAsync("**/Account/Login**");
    }

    [Fact]
    public async Task DarkMode_StartsDark_WhenTheSystemPrefersDark()
    {
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await LoginAsync(TestUsers.Admin);
        await WaitForInteractiveAsync();

        await Assertions.Expect(Page.GetByTestId("dark-mode")).ToHaveAttributeAsync("aria-pressed", "true");
        await ExpectDarkAsync();
    }

    [Fact]
    public async Task DarkModeToggle_SwitchesTheTheme_AndIsKeptAfterAReload()
    {
        await App.CreateUserAsync(TestUsers.Admin, Roles.Admin);
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await LoginAsync(TestUsers.Admin);
        await WaitForInteractiveAsync();
        var toggle = Page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" });
        await Assertions.Expect(Page.GetByTestId("dark-mode")).ToHaveAttributeAsync("aria-pressed", "false");
        await ExpectLightAsync();

        await toggle.ClickAsync();
        await Assertions.Expect(Page.GetByTestId("dark-mode")).ToHaveAttributeAsync("aria-pressed", "true");
        await ExpectDarkAsync();
        await Page.ReloadAsync();
        await WaitForInteractiveAsync();

        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
        await ExpectDarkAsync();
    }

    // The themes' backgrounds (EasyConnectTheme): #f5f7fa and #1e2129.
    private Task ExpectLightAsync() => Assertions.Expect(Page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(245, 247, 250)");

    private Task ExpectDarkAsync() => Assertions.Expect(Page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(30, 33, 41)");
}

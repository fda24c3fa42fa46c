using EasyConnect.Sync.Mappings;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EasyConnect.Tests.Browser;

/// <summary>A technician fixes a PSA user mapping on the "CW User Mapping" page, in Chromium.</summary>
public sealed class UserMappingJourneyTests(PostgresServer postgres, Support.Browser browser) : BrowserTest(postgres, browser, sandbox: true)
{
    private Guid _connection;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await App.CreateUserAsync(TestUsers.Technician, Roles.Technician);
        await App.CreateUserAsync("new.hire@msp.example", Roles.Support);
        _connection = await ConnectSandboxesAsync(portal: false);
    }

    [Fact]
    public async Task Technician_FindsAnUnmappedUserAndMapsThemToAMember()
    {
        var mappings = App.Services.GetRequiredService<UserMappings>();
        var member = (await mappings.SearchMembersAsync(_connection, null, 50, TestContext.Current.CancellationToken)).First(m => !m.Inactive);
        await LoginAsync(TestUsers.Technician);

        await GoToAsync("user-mapping?filter=unmapped");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "CW User Mapping" })).ToBeVisibleAsync();
        var grid = Page.GetByTestId("mapping-grid");
        await Assertions.Expect(grid).ToContainTextAsync("new.hire@msp.example");
        var picker = Page.GetByLabel("PSA member of new.hire@msp.example");
        await picker.FillAsync(member.Name.Split(' ')[0]);
        await Page.GetByRole(AriaRole.Option, new() { Name = member.Name }).First.ClickAsync();
        await Assertions.Expect(Page.GetByText("new.hire@msp.example is now")).ToBeVisibleAsync();
        await ScreenshotAsync("mapped");

        Assert.Equal(member.Id, await mappings.MemberOfAsync(_connection, "new.hire@msp.example", TestContext.Current.CancellationToken));
    }
}

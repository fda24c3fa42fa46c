using Bunit;
using EasyConnect.Admin.Components.Overview;
using EasyConnect.Sync.Users;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Admin.Overview;

public sealed class OverviewPageTests : MudTestContext
{
    [Fact]
    public void Render_ShowsGettingStartedSteps_WhenUserIsAdmin()
    {
        AddAuthorization().SetAuthorized("admin@msp.example").SetRoles(Roles.Admin).SetPolicies(Policies.AdminOnly, Policies.AnyRole);

        var page = Render<OverviewPage>();

        var steps = page.Find("[data-testid=next-steps]");
        Assert.Contains("Connect the PSA", steps.TextContent, StringComparison.Ordinal);
        Assert.Contains("Connect the Support Portal", steps.TextContent, StringComparison.Ordinal);
        Assert.Contains("Set the maps", steps.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HidesAdminStepsAndExplainsWhoActs_WhenUserIsTechnician()
    {
        AddAuthorization().SetAuthorized("tech@msp.example").SetRoles(Roles.Technician).SetPolicies(Policies.AnyRole, Policies.Mapping);

        var page = Render<OverviewPage>();

        Assert.Empty(page.FindAll("[data-testid=next-steps]"));
        Assert.Contains("An administrator connects the PSA", page.Markup, StringComparison.Ordinal);
    }
}

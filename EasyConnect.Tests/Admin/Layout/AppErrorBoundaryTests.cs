using Bunit;
using EasyConnect.Admin.Components.Layout;
using EasyConnect.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Tests.Admin.Layout;

public sealed class AppErrorBoundaryTests : MudTestContext
{
    private readonly CapturedLog _log = new();

    public AppErrorBoundaryTests()
    {
        Services.AddSingleton<ILoggerFactory>(LoggerFactory.Create(b => b.AddProvider(_log)));
        Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
    }

    [Fact]
    public void Render_ShowsFriendlyMessageWithReloadAndLogsOnce_WhenAChildThrowsOnAClick()
    {
        var page = Render<AppErrorBoundary>(p => p.AddChildContent<ThrowingButton>());

        page.Find("[data-testid=throw]").Click();

        var error = page.Find("[data-testid=unexpected-error]");
        Assert.Contains("Something went wrong on this page", error.TextContent, StringComparison.Ordinal);
        Assert.Contains("Everything saved before is kept", error.TextContent, StringComparison.Ordinal);
        Assert.Equal("Reload", page.Find("[data-testid=reload]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=throw]"));
        var logged = Assert.Single(_log.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
        Assert.Contains("Unexpected error on /", logged, StringComparison.Ordinal);
        Assert.Contains("Boom from a test", logged, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShowsChildContentAndLogsNothing_WhenNothingThrows()
    {
        var page = Render<AppErrorBoundary>(p => p.AddChildContent<ThrowingButton>());

        Assert.Single(page.FindAll("[data-testid=throw]"));
        Assert.Empty(page.FindAll("[data-testid=unexpected-error]"));
        Assert.Empty(_log.Lines);
    }

    private sealed class ThrowingButton : ComponentBase
    {
        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "data-testid", "throw");
            builder.AddAttribute(2, "onclick", EventCallback.Factory.Create<MouseEventArgs>(this, () => throw new InvalidOperationException("Boom from a test")));
            builder.AddContent(3, "Throw");
            builder.CloseElement();
        }
    }
}

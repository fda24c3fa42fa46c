using EasyConnect.Admin.Components;
using EasyConnect.Admin.Components.Account;
using MudBlazor;
using MudBlazor.Services;

namespace EasyConnect.Admin.Hosting;

internal static class UiExtensions
{
    /// <summary>Blazor Server with MudBlazor.</summary>
    public static WebApplicationBuilder AddEasyConnectUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices(config =>
        {
            config.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
            config.SnackbarConfiguration.PreventDuplicates = false;
        });
        return builder;
    }

    /// <summary>Error handling, static assets, authentication and antiforgery, in that order.</summary>
    public static WebApplication UseEasyConnectPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAuthentication();
        app.UseEasyConnectTwoFactorEnforcement();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>The Razor components; every page needs a login unless it says otherwise.</summary>
    public static WebApplication MapEasyConnectUi(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}

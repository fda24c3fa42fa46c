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
        // The build output has no wwwroot of its own: its stylesheets and scripts are found through the static web
        // assets manifest beside the dll, which ASP.NET Core reads only in Development. Without it the build output
        // run in Production serves every asset empty and the UI is dead. Published output has no such manifest, so
        // this does nothing there.
        builder.WebHost.UseStaticWebAssets();
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
        if (!app.Environment.IsDevelopment() && RunsFromBuildOutput(app.Environment))
        {
            app.Logger.LogWarning(
                "EasyConnect runs from its build output, which reads its stylesheets and scripts from the source folder and the NuGet cache. " +
                "To install it on a server, use 'dotnet publish EasyConnect.Admin -c Release -o <folder>' and run the published folder (docs/install-linux.md)");
        }

        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    // Only the build output carries the development manifest; `dotnet publish` copies the files themselves instead.
    private static bool RunsFromBuildOutput(IWebHostEnvironment environment) =>
        File.Exists(Path.Combine(AppContext.BaseDirectory, $"{environment.ApplicationName}.staticwebassets.runtime.json"));
}

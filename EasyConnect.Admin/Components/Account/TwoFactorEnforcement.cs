using System.Security.Claims;
using EasyConnect.Sync.Users;
using Microsoft.AspNetCore.Identity;

namespace EasyConnect.Admin.Components.Account;

/// <summary>
/// Sends a signed-in user whom the sign-in rules require to use two-factor sign-in, and who has not set it up, to the set-up page
/// before any other page (the jobs dashboard included).
/// </summary>
internal static class TwoFactorEnforcement
{
    private const string SetupPath = "/Account/Manage/EnableAuthenticator";

    public static WebApplication UseEasyConnectTwoFactorEnforcement(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated == true && IsPage(context.Request) && await MustSetUpAsync(context))
            {
                context.Response.Redirect(SetupPath + "?required=true");
                return;
            }

            await next(context);
        });
        return app;
    }

    private static bool IsPage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.Path.StartsWithSegments("/Account", StringComparison.OrdinalIgnoreCase)
        && !request.Path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase)
        && !request.Path.StartsWithSegments("/_framework", StringComparison.OrdinalIgnoreCase)
        && !request.Path.StartsWithSegments("/_content", StringComparison.OrdinalIgnoreCase)
        && !request.Path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase)
        && !request.Path.StartsWithSegments("/sandbox", StringComparison.OrdinalIgnoreCase)
        && !Path.HasExtension(request.Path.Value);

    private static async Task<bool> MustSetUpAsync(HttpContext context)
    {
        var roles = context.User.FindAll(ClaimTypes.Role).Select(c => c.Value);
        if (!await context.RequestServices.GetRequiredService<SignInPolicy>().RequiresTwoFactorAsync(roles, context.RequestAborted))
        {
            return false;
        }

        var users = context.RequestServices.GetRequiredService<UserManager<AppUser>>();
        return await users.GetUserAsync(context.User) is { } user && !await users.GetTwoFactorEnabledAsync(user);
    }
}

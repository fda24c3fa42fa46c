using EasyConnect.Sync.Users;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace EasyConnect.Admin.Components.Account;

internal static class AccountEndpoints
{
    /// <summary>
    /// Logout is a POST with an antiforgery token (a GET, or a forged post, would let any page log you out).
    /// The token is checked here rather than by form binding so a missing token is a plain 400.
    /// </summary>
    public static WebApplication MapEasyConnectAccount(this WebApplication app)
    {
        app.MapPost("/Account/Logout", async (HttpContext context, [FromServices] IAntiforgery antiforgery, [FromServices] SignInManager<AppUser> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest("The logout form has expired. Reload the page and log out again.");
            }

            await signIn.SignOutAsync();
            return Results.LocalRedirect("~/Account/Login");
        });
        return app;
    }
}

using EasyConnect.Sync.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace EasyConnect.Admin.Components.Account;

internal static class AccountEndpoints
{
    /// <summary>
    /// Logout is a POST with an antiforgery token (a GET would let any page log you out); reading the form
    /// is what makes minimal APIs validate the token.
    /// </summary>
    public static WebApplication MapEasyConnectAccount(this WebApplication app)
    {
        app.MapPost("/Account/Logout", async ([FromServices] SignInManager<AppUser> signIn, [FromForm] string? returnUrl) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("~/Account/Login");
        });
        return app;
    }
}

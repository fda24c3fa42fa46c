using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.ConnectWise;
using EasyConnect.Sync.Users;
using Microsoft.AspNetCore.Authorization;

namespace EasyConnect.Admin.Hosting;

/// <summary>The built-in sandbox: simulated vendor APIs a newcomer can connect to from the Integration page.</summary>
internal static class SandboxExtensions
{
    public const string ConnectWisePrefix = "/sandbox/connectwise";

    public static bool IsSandboxEnabled(this IHostApplicationBuilder builder) =>
        builder.Configuration.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>()?.Enabled ?? builder.Environment.IsDevelopment();

    public static WebApplicationBuilder AddEasyConnectSandbox(this WebApplicationBuilder builder)
    {
        if (builder.IsSandboxEnabled())
        {
            builder.Services.AddEasyConnectConnectWiseSandbox();
        }

        return builder;
    }

    /// <summary>
    /// The vendor APIs answer anonymously, because they check credentials the way the vendor does; their
    /// <c>_admin</c> endpoints (fault injection) need an EasyConnect admin.
    /// </summary>
    public static WebApplication MapEasyConnectSandbox(this WebApplication app)
    {
        if (app.Services.GetService<ConnectWiseSandboxState>() is null)
        {
            return app;
        }

        var sandbox = app.MapGroup("");
        ((IEndpointConventionBuilder)sandbox).Add(endpoint =>
        {
            var pattern = (endpoint as RouteEndpointBuilder)?.RoutePattern.RawText ?? "";
            endpoint.Metadata.Add(pattern.Contains("/_admin", StringComparison.Ordinal)
                ? new AuthorizeAttribute { Policy = Policies.AdminOnly }
                : new AllowAnonymousAttribute());
        });
        sandbox.MapConnectWiseSandbox(ConnectWisePrefix);
        return app;
    }
}

using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.Autotask;
using EasyConnect.Sync.Sandbox.ConnectWise;
using EasyConnect.Sync.Sandbox.Halo;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Sync.Users;
using Microsoft.AspNetCore.Authorization;

namespace EasyConnect.Admin.Hosting;

/// <summary>The built-in sandbox: simulated vendor APIs a newcomer can connect to from the Integration page.</summary>
internal static class SandboxExtensions
{
    public const string ConnectWisePrefix = EasyConnect.Sync.Psa.ConnectWise.ConnectWiseProduct.SandboxPath;
    public const string PortalPrefix = "/sandbox/portal";
    public const string AutotaskPrefix = EasyConnect.Sync.Psa.Autotask.AutotaskProduct.SandboxPath;
    public const string HaloPrefix = EasyConnect.Sync.Psa.Halo.HaloProduct.SandboxPath;
    public const string HaloTenant = "sandbox";
    private const int DefaultRecentTickets = 4;

    public static bool IsSandboxEnabled(this IHostApplicationBuilder builder) =>
        builder.Configuration.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>()?.Enabled ?? builder.Environment.IsDevelopment();

    public static WebApplicationBuilder AddEasyConnectSandbox(this WebApplicationBuilder builder)
    {
        if (builder.IsSandboxEnabled())
        {
            builder.Services.AddEasyConnectConnectWiseSandbox();
            builder.Services.AddEasyConnectAutotaskSandbox();
            // The served sandbox acts as a Halo-hosted instance, so "Use the sandbox" fills the tenant as a hosted one needs.
            builder.Services.AddEasyConnectHaloSandbox(o => o.Tenant = o.Tenant.Length == 0 ? HaloTenant : o.Tenant);
            // A few tickets from the last hours, so the tour's first ticket sync run (which reads only recent changes) finds some.
            var recent = builder.Configuration.GetValue($"{PortalSandboxOptions.SectionName}:{nameof(PortalSandboxOptions.RecentTickets)}", DefaultRecentTickets);
            builder.Services.AddEasyConnectPortalSandbox(o => o.RecentTickets = recent);
        }

        return builder;
    }

    /// <summary>
    /// The vendor APIs answer anonymously, because they check credentials the way the vendor does; their
    /// <c>_admin</c> and <c>_sandbox</c> endpoints (fault injection, adding portal tickets) need an EasyConnect admin.
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
            endpoint.Metadata.Add(pattern.Contains("/_admin", StringComparison.Ordinal) || pattern.Contains("/_sandbox", StringComparison.Ordinal)
                ? new AuthorizeAttribute { Policy = Policies.AdminOnly }
                : new AllowAnonymousAttribute());
        });
        sandbox.MapConnectWiseSandbox(ConnectWisePrefix);
        sandbox.MapAutotaskSandbox(AutotaskPrefix);
        sandbox.MapHaloSandbox(HaloPrefix);
        sandbox.MapPortalSandbox(PortalPrefix);
        return app;
    }
}

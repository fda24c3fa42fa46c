using EasyConnect.Sync.Users;
using Hangfire;
using Hangfire.Dashboard;

namespace EasyConnect.Admin.Hosting;

internal static class JobsDashboardExtensions
{
    /// <summary>
    /// The Hangfire dashboard at <c>/hangfire</c>, behind the app's own login: Admin and Support may
    /// open it, only Admin may trigger, retry or delete jobs.
    /// </summary>
    public static WebApplication MapEasyConnectJobsDashboard(this WebApplication app)
    {
        app.MapHangfireDashboardWithAuthorizationPolicy(Policies.Monitoring, "/hangfire", new DashboardOptions
        {
            // The endpoint's policy decides who gets in; Hangfire's own default filter would only allow local requests.
            Authorization = [],
            IsReadOnlyFunc = context => !context.GetHttpContext().User.IsInRole(Roles.Admin),
            DashboardTitle = "EasyConnect jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        });
        return app;
    }
}

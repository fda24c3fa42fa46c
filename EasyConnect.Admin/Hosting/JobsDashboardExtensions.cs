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
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/hangfire", StringComparison.OrdinalIgnoreCase), dashboard => dashboard.Use(RefuseUnreadableRequests));
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

    /// <summary>
    /// The dashboard reads its commands' bodies as forms and throws on anything else (a GET of <c>/hangfire/stats</c>, a JSON body):
    /// that is the caller's mistake, answered with a plain 400 instead of a 500.
    /// </summary>
    private static async Task RefuseUnreadableRequests(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (InvalidOperationException e) when (!context.Response.HasStarted)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(JobsDashboardExtensions))
                .LogInformation("The jobs dashboard refused {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, e.Message);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("The jobs dashboard cannot read this request: its commands are form posts from the dashboard's own pages.", context.RequestAborted);
        }
    }
}

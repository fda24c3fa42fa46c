using Hangfire;
using Hangfire.Common;
using Hangfire.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Sync.Jobs;

/// <summary>
/// A job's name in the jobs dashboard, where <c>{0}</c>, <c>{1}</c>… are its arguments and a connection id shows as the connection's
/// name (<see cref="JobNames"/>). Outside the dashboard (or without <see cref="JobNames"/>) it behaves as <see cref="JobDisplayNameAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ConnectionJobNameAttribute(string displayName) : JobDisplayNameAttribute(displayName)
{
    public override string Format(DashboardContext context, Job job) =>
        context?.GetHttpContext().RequestServices.GetService<JobNames>() is { } names && job is not null
            ? names.Describe(job, DisplayName)
            : base.Format(context, job);
}

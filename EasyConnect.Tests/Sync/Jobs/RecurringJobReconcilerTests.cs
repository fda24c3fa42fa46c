using EasyConnect.Sync.Jobs;
using EasyConnect.Tests.Support;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Tests.Sync.Jobs;

public sealed class RecurringJobReconcilerTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly WantedJobs _wanted = new();
    private EasyConnectApp _app = default!;

    public async ValueTask InitializeAsync()
    {
        _wanted.Jobs.Add(new RecurringJobDefinition("ec:test:every-five", Job.FromExpression<NoOpJob>(j => j.RunAsync()), "*/5 * * * *"));
        _app = await EasyConnectApp.StartAsync(postgres, services: s => s.AddSingleton<IRecurringJobSource>(_wanted));
    }

    [Fact]
    public void Startup_RegistersTheJobsStoredSettingsAskFor()
    {
        var jobs = RecurringJobs();

        Assert.Contains(jobs, j => j.Id == "ec:test:every-five" && j.Cron == "*/5 * * * *");
    }

    [Fact]
    public async Task ReconcileAsync_UpdatesChangedAndRemovesUnwantedEasyConnectJobsOnly()
    {
        var manager = _app.Services.GetRequiredService<IRecurringJobManager>();
        manager.AddOrUpdate("someone-elses-job", Job.FromExpression<NoOpJob>(j => j.RunAsync()), Cron.Daily());
        manager.AddOrUpdate("ec:test:stale", Job.FromExpression<NoOpJob>(j => j.RunAsync()), Cron.Daily());
        _wanted.Jobs[0] = _wanted.Jobs[0] with { Cron = "*/10 * * * *" };

        await _app.Services.GetRequiredService<RecurringJobReconciler>().ReconcileAsync(TestContext.Current.CancellationToken);

        var jobs = RecurringJobs();
        Assert.Contains(jobs, j => j.Id == "ec:test:every-five" && j.Cron == "*/10 * * * *");
        Assert.DoesNotContain(jobs, j => j.Id == "ec:test:stale");
        Assert.Contains(jobs, j => j.Id == "someone-elses-job");
    }

    private List<RecurringJobDto> RecurringJobs()
    {
        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed class WantedJobs : IRecurringJobSource
    {
        public List<RecurringJobDefinition> Jobs { get; } = [];

        public Task<IReadOnlyList<RecurringJobDefinition>> GetRecurringJobsAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<RecurringJobDefinition>>(Jobs.ToList());
    }
}

public sealed class NoOpJob
{
    public Task RunAsync() => Task.CompletedTask;
}

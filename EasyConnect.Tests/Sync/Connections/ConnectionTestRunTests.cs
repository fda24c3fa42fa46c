using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa;
using Microsoft.Extensions.Time.Testing;

namespace EasyConnect.Tests.Sync.Connections;

/// <summary>The overall limit of a connection test, on a fake clock: which check is blamed, which are not run, and a cancel.</summary>
public sealed class ConnectionTestRunTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RunAsync_FailsTheRunningCheckAndMarksTheRestNotRun_WhenTheLimitPasses()
    {
        var clock = new FakeTimeProvider();
        var seen = new List<IReadOnlyList<PsaCheckItem>>();
        var run = ConnectionTestRun.RunAsync<PsaCheckItem>(HangsOnTheSecondCheck, PsaCheckItem.Of, "did not answer", Limit, clock,
            new Progress(seen.Add), CancellationToken.None);
        await WaitUntilAsync(() => seen.Any(s => s.Any(i => i is { Name: "B", State: ConnectionCheckState.Running })));

        clock.Advance(Limit - TimeSpan.FromSeconds(1));
        Assert.False(run.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var items = await run.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(
            [("A", ConnectionCheckState.Passed, "ok"), ("B", ConnectionCheckState.Failed, "did not answer"), ("C", ConnectionCheckState.NotRun, ConnectionTestRun.NotRunMessage)],
            items.Select(i => (i.Name, i.State, i.Message)));
        Assert.Equal(items, seen[^1]);
    }

    [Fact]
    public async Task RunAsync_ThrowsCancelled_WhenTheCallerCancelsBeforeTheLimit()
    {
        var clock = new FakeTimeProvider();
        using var cancel = new CancellationTokenSource();
        var started = false;
        var run = ConnectionTestRun.RunAsync<PsaCheckItem>(HangsOnTheSecondCheck, PsaCheckItem.Of, "did not answer", Limit, clock,
            new Progress(s => started |= s.Any(i => i.State == ConnectionCheckState.Running)), cancel.Token);
        await WaitUntilAsync(() => started);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task RunAsync_PlacesACheckFirstReportedMidTestAfterTheLastOneReported()
    {
        var seen = new List<IReadOnlyList<PsaCheckItem>>();

        await ConnectionTestRun.RunAsync<PsaCheckItem>(async (progress, _) =>
        {
            progress.Report(PsaCheckItem.Of("A", ConnectionCheckState.Waiting, ""));
            progress.Report(PsaCheckItem.Of("C", ConnectionCheckState.Waiting, ""));
            progress.Report(new PsaCheckItem("A", true, "ok"));
            progress.Report(PsaCheckItem.Of("B", ConnectionCheckState.Running, ""));
            await Task.Yield();
            return [];
        }, PsaCheckItem.Of, "did not answer", Limit, new FakeTimeProvider(), new Progress(seen.Add), CancellationToken.None);

        Assert.Equal(["A", "B", "C"], seen[^2].Select(i => i.Name));
    }

    private static async Task<IReadOnlyList<PsaCheckItem>> HangsOnTheSecondCheck(IProgress<PsaCheckItem> progress, CancellationToken cancellationToken)
    {
        foreach (var name in new[] { "A", "B", "C" })
        {
            progress.Report(PsaCheckItem.Of(name, ConnectionCheckState.Waiting, "Waiting."));
        }

        progress.Report(new PsaCheckItem("A", true, "ok"));
        progress.Report(PsaCheckItem.Of("B", ConnectionCheckState.Running, "Checking…"));
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return [];
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }

    private sealed class Progress(Action<IReadOnlyList<PsaCheckItem>> report) : IProgress<IReadOnlyList<PsaCheckItem>>
    {
        public void Report(IReadOnlyList<PsaCheckItem> value) => report(value);
    }
}

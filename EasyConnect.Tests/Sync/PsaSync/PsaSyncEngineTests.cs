using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Tests.Support;
using Medallion.Threading.Postgres;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.PsaSync;

/// <summary>The mirror against the ConnectWise sandbox over real HTTP, into a real PostgreSQL.</summary>
public sealed class PsaSyncEngineTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Configurations = "company/configurations";
    private MirrorSandbox _sandbox = default!;
    private MirrorHarness _mirror = default!;
    private Guid _connection;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await MirrorSandbox.StartAsync();
        var database = await postgres.CreateDatabaseAsync("mirror");
        _mirror = new MirrorHarness(database, _sandbox);
        _connection = await MirrorHarness.AddConnectionAsync(database);
    }

    public async ValueTask DisposeAsync()
    {
        await _mirror.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_MirrorsEveryEntityWithQueriedColumns_WhenFullRun()
    {
        var result = await _mirror.FullAsync(_connection);

        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        Assert.Equal(350, result.For(PsaEntity.Configurations).Upserted);
        await using var db = _mirror.Db();
        Assert.Equal(350, await db.PsaConfigurations.CountAsync(c => c.ConnectionId == _connection, Ct));
        var configuration = await db.PsaConfigurations.SingleAsync(c => c.ConnectionId == _connection && c.PsaId == "7", Ct);
        Assert.Equal("CL-000007", System.Text.Json.JsonDocument.Parse(configuration.CustomFields).RootElement.GetProperty("ClusterID").GetString());
        Assert.Contains("\"serialNumber\"", configuration.Raw, StringComparison.Ordinal);
        Assert.Equal(26, await db.PsaMembers.CountAsync(m => m.ConnectionId == _connection, Ct));
        Assert.True(await db.PsaMembers.AnyAsync(m => m.PrimaryEmail == "easyconnect-api@msp.example" && m.Emails.Contains("easyconnect-api@msp.example"), Ct));
        Assert.Equal(28, await db.PsaStatuses.CountAsync(s => s.ConnectionId == _connection, Ct));
        Assert.True(await db.PsaStatuses.AnyAsync(s => s.Name == "Closed" && s.Closed && s.ScopeId != null, Ct));
        Assert.Equal(10, await db.PsaTickets.CountAsync(t => t.ConnectionId == _connection && t.BoardId != null && t.StatusId != null, Ct));
        var run = await db.SyncRuns.SingleAsync(r => r.Id == result.RunId, Ct);
        Assert.Equal(result.ApiCalls, run.ApiCalls);
        Assert.True(run.ApiCalls > 0);
        Assert.Equal(7, run.Entities.Count);
    }

    [Fact]
    public async Task RunAsync_RecordsThatTheCredentialsWereRefused_WhenThePsaRefusesTheKeysMidRun()
    {
        _sandbox.Wrap = client => new InterferingClient(client, PsaEntity.Configurations, 1,
            () => throw new PsaException(RemoteErrorKind.AuthenticationFailed, "ConnectWise refused the API keys (401).", statusCode: 401));

        var result = await _mirror.FullAsync(_connection);

        Assert.Equal(SyncRunStatus.Failed, result.Status);
        await using var db = _mirror.Db();
        var run = await db.SyncRuns.SingleAsync(r => r.Id == result.RunId, Ct);
        Assert.Equal(RunFailureCause.Credentials, run.FailureCause);
        Assert.Contains("Sign-in failed: ConnectWise refused the API keys (401).", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RecordsAnOtherCause_WhenAnEntityFailsOnAServerError()
    {
        _sandbox.Wrap = client => new InterferingClient(client, PsaEntity.Configurations, 1,
            () => throw new PsaException(RemoteErrorKind.Unavailable, "ConnectWise had a server error (500).", statusCode: 500));

        var result = await _mirror.FullAsync(_connection);

        await using var db = _mirror.Db();
        var run = await db.SyncRuns.SingleAsync(r => r.Id == result.RunId, Ct);
        Assert.Equal((SyncRunStatus.Failed, RunFailureCause.Other), (run.Status, run.FailureCause));
        _sandbox.Wrap = client => client;
        var succeeded = await _mirror.IncrementalAsync(_connection);
        Assert.Null((await db.SyncRuns.AsNoTracking().SingleAsync(r => r.Id == succeeded.RunId, Ct)).FailureCause);
    }

    [Fact]
    public async Task RunAsync_ReadsEachPageOnce_WhenRowsExactlyFillTheLastPage()
    {
        // 300 rows in pages of 100: ConnectWise's Link names a next pageId on every forward-only page, the last full one
        // included, so the read ends on the empty fourth page and never asks again.
        for (var id = 301; id <= 350; id++)
        {
            _sandbox.State.DeleteRecord(Configurations, id);
        }

        _sandbox.State.Faults.ResetRequests();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(60));

        var result = await _mirror.Engine.RunAsync(_connection, new SyncRunRequest(SyncRunKind.Full, Entities: [PsaEntity.Configurations]), limit.Token);

        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        Assert.Equal(300, result.For(PsaEntity.Configurations).Read);
        Assert.Equal(4, _sandbox.State.Faults.Requests.Count(r => r.Path.Split('?')[0].EndsWith("/company/configurations", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_ReadsOneYearBack_WhenFirstIncrementalRun()
    {
        var now = DateTimeOffset.UtcNow;
        _sandbox.State.UpdateRecord(Configurations, 1, lastUpdated: now.AddDays(-400));
        _sandbox.State.UpdateRecord(Configurations, 2, lastUpdated: now.AddDays(-360));

        var first = await _mirror.IncrementalAsync(_connection, PsaEntity.Configurations);
        var full = await _mirror.FullAsync(_connection, null, PsaEntity.Configurations);

        Assert.Equal(SyncRunStatus.Succeeded, first.Status);
        Assert.Equal(349, first.For(PsaEntity.Configurations).Read);
        Assert.Equal(0L, await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{_connection}' AND psa_id = '1' AND seen_run_id = '{first.RunId}'"));
        Assert.Equal(350, full.For(PsaEntity.Configurations).Read);
        Assert.Equal(350L, await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{_connection}'"));
    }

    [Fact]
    public async Task RunAsync_AdvancesCursorToNewestCommittedRow_WhenIncrementalRun()
    {
        var newest = DateTimeOffset.UtcNow.AddMinutes(-10);
        _sandbox.State.UpdateRecord(Configurations, 123, c => c["name"] = "renamed", lastUpdated: newest);

        var first = await _mirror.IncrementalAsync(_connection, PsaEntity.Configurations);
        await using var db = _mirror.Db();
        var cursor = await db.SyncCursors.SingleAsync(c => c.ConnectionId == _connection && c.Entity == PsaEntity.Configurations, Ct);
        var second = await _mirror.IncrementalAsync(_connection, PsaEntity.Configurations);

        Assert.Equal(350, first.For(PsaEntity.Configurations).Read);
        Assert.Equal(TruncateToSecond(newest), cursor.LastModified);
        Assert.Equal("123", cursor.LastId);
        // Only the overlap window is read again.
        Assert.Equal(1, second.For(PsaEntity.Configurations).Read);
    }

    [Fact]
    public async Task RunAsync_KeepsCursorAtLastCommittedPage_WhenIncrementalRunFailsAtPageThree()
    {
        var earlier = TruncateToSecond(DateTimeOffset.UtcNow.AddHours(-2));
        for (var id = 1; id <= 350; id++)
        {
            _sandbox.State.UpdateRecord(Configurations, id, lastUpdated: earlier.AddSeconds(id));
        }

        _sandbox.Wrap = client => new InterferingClient(client, PsaEntity.Configurations, 2, () => _sandbox.State.Faults.FailNext(SandboxFaultKind.ServerError, 10));
        var failed = await _mirror.IncrementalAsync(_connection, PsaEntity.Configurations);
        await using var db = _mirror.Db();
        var cursor = await db.SyncCursors.AsNoTracking().SingleAsync(c => c.ConnectionId == _connection && c.Entity == PsaEntity.Configurations, Ct);
        _sandbox.Wrap = client => client;
        _sandbox.State.Faults.Faults = SandboxFaults.None;
        var next = await _mirror.IncrementalAsync(_connection, PsaEntity.Configurations);

        Assert.Equal(SyncRunStatus.Failed, failed.Status);
        Assert.Equal(200, failed.For(PsaEntity.Configurations).Read);
        Assert.Equal(earlier.AddSeconds(200), cursor.LastModified);
        Assert.Equal("200", cursor.LastId);
        // The cursor's row was stamped two hours before it was read, so nothing can still arrive late before it: the next run
        // starts right after the cursor, rows 201 to 350 (a cursor stamped around its read would keep the overlap).
        Assert.Equal(SyncRunStatus.Succeeded, next.Status);
        Assert.Equal(150, next.For(PsaEntity.Configurations).Read);
        Assert.Equal(350L, await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{_connection}'"));
    }

    [Fact]
    public async Task RunAsync_PicksUpRowChangedDuringRun_OnNextRun()
    {
        var earlier = TruncateToSecond(DateTimeOffset.UtcNow.AddHours(-2));
        var recent = TruncateToSecond(DateTimeOffset.UtcNow.AddMinutes(-30));
        for (var id = 1; id <= 350; id++)
        {
            _sandbox.State.UpdateRecord(Configurations, id, lastUpdated: earlier.AddSeconds(id));
        }

        await _mirror.IncrementalAsync(_connection, PsaEntity.Configurations);
        for (var id = 1; id <= 150; id++)
        {
            _sandbox.State.UpdateRecord(Configurations, id, c => c["name"] = $"edited {id}", lastUpdated: recent.AddSeconds(id));
        }

        // While the run reads, configuration 300 is saved and stamped a little earlier than rows the run has already read
        // (a long PSA transaction, or clock skew between PSA servers): keyset paging has passed that position.
        _sandbox.Wrap = client => new InterferingClient(client, PsaEntity.Configurations, 2, () =>
            _sandbox.State.UpdateRecord(Configurations, 300, c => c["name"] = "changed during the run", lastUpdated: recent.AddSeconds(70)));
        var during = await _mirror.IncrementalAsync(_connection, PsaEntity.Configurations);
        _sandbox.Wrap = client => client;
        var nameAfterRun = await NameAsync("300");
        var next = await _mirror.IncrementalAsync(_connection, PsaEntity.Configurations);

        // The first run's cursor was stamped two hours before it was read, so only the 150 edited rows are read; the run after
        // it keeps the overlap (its cursor was stamped half an hour before the read), which finds row 300.
        Assert.Equal(150, during.For(PsaEntity.Configurations).Read);
        Assert.NotEqual("changed during the run", nameAfterRun);
        Assert.Equal(SyncRunStatus.Succeeded, next.Status);
        Assert.Equal("changed during the run", await NameAsync("300"));
    }

    [Fact]
    public async Task RunAsync_CreatesNoDuplicates_WhenOverlapRereadsRows()
    {
        var recent = DateTimeOffset.UtcNow.AddSeconds(-30);
        for (var id = 1; id <= 40; id++)
        {
            _sandbox.State.UpdateRecord(Configurations, id, lastUpdated: recent);
        }

        var first = await _mirror.IncrementalAsync(_connection, PsaEntity.Configurations);
        var second = await _mirror.IncrementalAsync(_connection, PsaEntity.Configurations);

        Assert.Equal(SyncRunStatus.Succeeded, second.Status);
        Assert.Equal(350, first.For(PsaEntity.Configurations).Read);
        Assert.Equal(40, second.For(PsaEntity.Configurations).Read);
        // Read again for the overlap, written once: the rows did not change.
        Assert.Equal(0, second.For(PsaEntity.Configurations).Upserted);
        Assert.Equal(350L, await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{_connection}'"));
        Assert.Equal(350L, await _mirror.ScalarAsync<long>($"SELECT count(DISTINCT psa_id) FROM psa_configurations WHERE connection_id = '{_connection}'"));
    }

    [Fact]
    public async Task RunAsync_WritesRowOnceWithItsLastVersion_WhenAPageRepeatsARow()
    {
        // A row saved while the PSA paged can come twice in one page; one statement may not upsert a row twice.
        _sandbox.Wrap = client => new InterferingClient(client, PsaEntity.Configurations, 0, () => { }, page =>
            page.Count == 0 ? page : [.. page, (PsaConfiguration)page[0] with { Name = "second copy" }]);

        var result = await _mirror.FullAsync(_connection, null, PsaEntity.Configurations);

        Assert.Equal(SyncRunStatus.Succeeded, result.Status);
        Assert.Equal(350L, await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{_connection}'"));
        Assert.Equal("second copy", await NameAsync("1"));
    }

    [Fact]
    public async Task RunAsync_DeletesRowGoneFromPsa_OnlyWhenFullRun()
    {
        await _mirror.FullAsync(_connection, null, PsaEntity.Configurations);
        _sandbox.State.DeleteRecord(Configurations, 42);

        var incremental = await _mirror.IncrementalAsync(_connection, PsaEntity.Configurations);
        var afterIncremental = await ExistsAsync("42");
        var full = await _mirror.FullAsync(_connection, null, PsaEntity.Configurations);

        Assert.Equal(SyncRunStatus.Succeeded, incremental.Status);
        Assert.True(afterIncremental);
        Assert.Equal(SyncRunStatus.Succeeded, full.Status);
        Assert.Equal(1, full.For(PsaEntity.Configurations).Deleted);
        Assert.False(await ExistsAsync("42"));
        Assert.Equal(349L, await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{_connection}'"));
    }

    [Fact]
    public async Task RunAsync_DeletesNothing_WhenFullRunFailsAtPageThree()
    {
        // With the mass-delete guard off, only the failed read can keep the 152 unseen rows from being deleted.
        await using var unguarded = new MirrorHarness(_mirror.ConnectionString, _sandbox, o => o.MassDeleteShare = 1.0);
        await unguarded.FullAsync(_connection, null, PsaEntity.Configurations);
        _sandbox.State.DeleteRecord(Configurations, 10);
        _sandbox.State.DeleteRecord(Configurations, 20);
        // After page 2 the sandbox answers 500 for longer than the client retries.
        _sandbox.Wrap = client => new InterferingClient(client, PsaEntity.Configurations, 2, () => _sandbox.State.Faults.FailNext(SandboxFaultKind.ServerError, 10));

        var failed = await unguarded.FullAsync(_connection, null, PsaEntity.Configurations);

        Assert.Equal(SyncRunStatus.Failed, failed.Status);
        Assert.Equal(200, failed.For(PsaEntity.Configurations).Read);
        Assert.Equal(0, failed.For(PsaEntity.Configurations).Deleted);
        Assert.Equal(0, failed.For(PsaEntity.Configurations).WouldDelete);
        Assert.True(await ExistsAsync("10"));
        Assert.True(await ExistsAsync("20"));
        Assert.Equal(350L, await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{_connection}'"));
        Assert.Contains("server error", failed.Message, StringComparison.OrdinalIgnoreCase);
        await using var db = _mirror.Db();
        var run = await db.SyncRuns.SingleAsync(r => r.Id == failed.RunId, Ct);
        Assert.Equal(SyncRunStatus.Failed, run.Status);
        Assert.NotNull(run.FinishedAt);
        Assert.Contains("Configurations", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StopsBeforeDeleting_WhenDeletionExceedsMassDeleteShare()
    {
        await _mirror.FullAsync(_connection, null, PsaEntity.Configurations);
        for (var id = 1; id <= 100; id++)
        {
            _sandbox.State.DeleteRecord(Configurations, id);
        }

        var held = await _mirror.FullAsync(_connection, null, PsaEntity.Configurations);
        var countWhileHeld = await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{_connection}'");
        var confirmed = await _mirror.FullAsync(_connection, held.RunId, PsaEntity.Configurations);

        Assert.Equal(SyncRunStatus.NeedsConfirmation, held.Status);
        Assert.Equal(100, held.For(PsaEntity.Configurations).WouldDelete);
        Assert.Equal(0, held.For(PsaEntity.Configurations).Deleted);
        Assert.Contains("confirms the deletion", held.Message, StringComparison.Ordinal);
        Assert.Equal(350L, countWhileHeld);
        Assert.Equal(SyncRunStatus.Succeeded, confirmed.Status);
        Assert.Equal(100, confirmed.For(PsaEntity.Configurations).Deleted);
        Assert.Equal(250L, await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{_connection}'"));
    }

    [Fact]
    public async Task RunAsync_RunsOnceAndSkipsTheOther_WhenTwoProcessesStartTogether()
    {
        // Two engines with their own service providers and connection pools: two EasyConnect processes.
        await using var other = new MirrorHarness(_mirror.ConnectionString, _sandbox);
        _sandbox.State.Faults.Faults = new SandboxFaults { LatencyMs = 40 };

        var results = await Task.WhenAll(
            _mirror.FullAsync(_connection, null, PsaEntity.Configurations),
            other.FullAsync(_connection, null, PsaEntity.Configurations));

        Assert.Equal([SyncRunStatus.Succeeded, SyncRunStatus.Skipped], results.Select(r => r.Status).Order());
        Assert.Contains("in progress", results.Single(r => r.Status == SyncRunStatus.Skipped).Message, StringComparison.Ordinal);
        await using var db = _mirror.Db();
        Assert.Equal(2, await db.SyncRuns.CountAsync(r => r.ConnectionId == _connection, Ct));
    }

    [Fact]
    public async Task RunAsync_SkipsOtherProcessesIncremental_WhileAFullRunReads_AndRunsItAfterwards()
    {
        await using var other = new MirrorHarness(_mirror.ConnectionString, _sandbox);
        SyncRunResult? during = null;
        // The other process's run is made and finished while this process's full run is between two pages of its read.
        _sandbox.Wrap = client => new InterferingClient(client, PsaEntity.Configurations, 1, () =>
            during ??= other.IncrementalAsync(_connection, PsaEntity.Configurations).GetAwaiter().GetResult());

        var full = await _mirror.FullAsync(_connection, null, PsaEntity.Configurations);
        _sandbox.Wrap = client => client;
        var after = await other.IncrementalAsync(_connection, PsaEntity.Configurations);

        Assert.Equal(SyncRunStatus.Succeeded, full.Status);
        Assert.NotNull(during);
        Assert.Equal(SyncRunStatus.Skipped, during.Status);
        Assert.Contains("a full run of this connection", during.Message, StringComparison.Ordinal);
        Assert.Equal(0, during.For(PsaEntity.Configurations).Read);
        Assert.Equal(SyncRunStatus.Succeeded, after.Status);
    }

    [Fact]
    public async Task RunAsync_RecordsSkipped_WhenAnotherHolderHasTheLock()
    {
        var held = new PostgresDistributedLock(PsaSyncEngine.LockKey(_connection), _mirror.ConnectionString);
        await using var handle = await held.AcquireAsync(cancellationToken: Ct);

        var result = await _mirror.IncrementalAsync(_connection);

        Assert.Equal(SyncRunStatus.Skipped, result.Status);
        Assert.Equal(0L, await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{_connection}'"));
    }

    [Fact]
    public async Task RunAsync_MarksInterruptedRunFailed_WhenNextRunStarts()
    {
        await using (var db = _mirror.Db())
        {
            db.SyncRuns.Add(new SyncRun { Id = Guid.NewGuid(), ConnectionId = _connection, Kind = SyncRunKind.Full, StartedAt = DateTimeOffset.UtcNow.AddHours(-3), Status = SyncRunStatus.Running });
            await db.SaveChangesAsync(Ct);
        }

        await _mirror.IncrementalAsync(_connection, PsaEntity.Boards);

        await using var check = _mirror.Db();
        var stale = await check.SyncRuns.SingleAsync(r => r.Kind == SyncRunKind.Full, Ct);
        Assert.Equal(SyncRunStatus.Failed, stale.Status);
        Assert.Contains("stopped before it finished", stale.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UsesNoRowOrCursorOfTheOldInstance_AfterAnInstanceChange()
    {
        // The old instance's connection was archived (its rows kept); the new one has the same PSA ids and no cursor.
        var other = await MirrorHarness.AddConnectionAsync(_mirror.ConnectionString, "old|acme", EasyConnect.Sync.Connections.ConnectionState.Archived);
        var old = await _mirror.FullAsync(other, null, PsaEntity.Configurations);
        await using (var db = _mirror.Db())
        {
            await db.SyncCursors.Where(c => c.ConnectionId == other).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastId, "sentinel"), Ct);
        }

        for (var id = 1; id <= 200; id++)
        {
            _sandbox.State.DeleteRecord(Configurations, id);
        }

        var first = await _mirror.IncrementalAsync(_connection, PsaEntity.Configurations);
        var full = await _mirror.FullAsync(_connection, null, PsaEntity.Configurations);

        // The first incremental read from the one-year reach, not from the old cursor (which would have read only its overlap).
        Assert.Equal(150, first.For(PsaEntity.Configurations).Read);
        Assert.Equal(SyncRunStatus.Succeeded, full.Status);
        Assert.Equal(350L, await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{other}' AND seen_run_id = '{old.RunId}'"));
        Assert.Equal(150L, await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{_connection}'"));
        Assert.Equal("sentinel", await _mirror.ScalarAsync<string>($"SELECT last_id FROM psa_sync_cursors WHERE connection_id = '{other}'"));
    }

    [Fact]
    public async Task DeleteConnectionDataAsync_DeletesOnlyThatConnectionsRowsAndCursors_InBatchesWithProgress()
    {
        var other = await MirrorHarness.AddConnectionAsync(_mirror.ConnectionString, "old|acme", EasyConnect.Sync.Connections.ConnectionState.Disconnected);
        await _mirror.FullAsync(other);
        await _mirror.FullAsync(_connection, null, PsaEntity.Configurations);
        var reports = new List<MirrorCleanupProgress>();

        var deleted = await _mirror.Mirror.DeleteConnectionDataAsync(other, new SynchronousProgress(reports.Add), Ct, batchSize: 100);

        Assert.Equal(350 + 26 + 20 + 4 + 28 + 5 + 10 + 7, deleted);
        Assert.True(reports.Count > 5);
        Assert.Equal(reports[^1].Total, reports[^1].Deleted);
        Assert.Equal(0L, await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{other}'"));
        Assert.Equal(0L, await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_sync_cursors WHERE connection_id = '{other}'"));
        Assert.Equal(350L, await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{_connection}'"));
    }

    private async Task<string> NameAsync(string id) =>
        await _mirror.ScalarAsync<string>($"SELECT name FROM psa_configurations WHERE connection_id = '{_connection}' AND psa_id = '{id}'");

    private async Task<bool> ExistsAsync(string id) =>
        await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_configurations WHERE connection_id = '{_connection}' AND psa_id = '{id}'") == 1;

    private static DateTimeOffset TruncateToSecond(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private sealed class SynchronousProgress(Action<MirrorCleanupProgress> report) : IProgress<MirrorCleanupProgress>
    {
        public void Report(MirrorCleanupProgress value) => report(value);
    }
}

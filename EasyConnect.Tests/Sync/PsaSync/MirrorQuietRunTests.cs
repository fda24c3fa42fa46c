using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Tests.Support;

namespace EasyConnect.Tests.Sync.PsaSync;

/// <summary>An incremental mirror run on a PSA where nothing changed reads at most the overlap and writes nothing.</summary>
public sealed class MirrorQuietRunTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Configurations = "company/configurations";
    private MirrorSandbox _sandbox = default!;
    private MirrorHarness _mirror = default!;
    private Guid _connection;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await MirrorSandbox.StartAsync();
        var database = await postgres.CreateDatabaseAsync("quiet");
        _mirror = new MirrorHarness(database, _sandbox);
        _connection = await MirrorHarness.AddConnectionAsync(database);
    }

    public async ValueTask DisposeAsync()
    {
        await _mirror.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task IncrementalRun_ReadsAndWritesNothing_WhenThePsaIsIdleAndItsRowsWereStampedLongAgo()
    {
        // Arrange: the sandbox's rows carry stamps weeks old, as after a bulk import; the first incremental run reads them all.
        var first = await _mirror.IncrementalAsync(_connection);
        Assert.Equal(SyncRunStatus.Succeeded, first.Status);
        _sandbox.State.Faults.ResetRequests();

        // Act
        var quiet = await _mirror.IncrementalAsync(_connection);

        // Assert
        Assert.Equal(SyncRunStatus.Succeeded, quiet.Status);
        Assert.All(quiet.Entities, e => Assert.Equal((e.Entity, 0, 0), (e.Entity, e.Read, e.Upserted)));
        // One page per entity; statuses are read board by board (the boards' list, then each board's statuses).
        var boards = await _mirror.ScalarAsync<long>($"SELECT count(*) FROM psa_boards WHERE connection_id = '{_connection}'");
        var listReads = _sandbox.State.Faults.Requests.Count(r => !r.Path.Contains("/count", StringComparison.Ordinal));
        Assert.True(listReads <= quiet.Entities.Count + boards, $"{listReads} list requests for {quiet.Entities.Count} entities and {boards} boards");
    }

    [Fact]
    public async Task IncrementalRun_ReadsTheOverlapAgainButRewritesNothing_WhenTheNewestRowChangedJustNow()
    {
        // Arrange
        _sandbox.State.UpdateRecord(Configurations, 123, c => c["name"] = "renamed", lastUpdated: DateTimeOffset.UtcNow.AddSeconds(-10));
        var changed = await _mirror.IncrementalAsync(_connection, PsaEntity.Configurations);
        Assert.True(changed.For(PsaEntity.Configurations).Upserted >= 1);

        // Act
        var again = await _mirror.IncrementalAsync(_connection, PsaEntity.Configurations);

        // Assert: a write made late, within the overlap, would still be seen; what was already applied is not written twice.
        Assert.Equal(1, again.For(PsaEntity.Configurations).Read);
        Assert.Equal(0, again.For(PsaEntity.Configurations).Upserted);
    }

    [Fact]
    public void ReadFrom_KeepsTheOverlap_OnlyForACursorStampedAroundTheTimeItWasRead()
    {
        // Arrange
        var settings = new PsaSyncOptions { Overlap = TimeSpan.FromMinutes(2) };
        var readAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        // Act
        var recent = PsaSyncEngine.ReadFrom(readAt.AddSeconds(-30), readAt, settings);
        var old = PsaSyncEngine.ReadFrom(readAt.AddDays(-30), readAt, settings);

        // Assert
        Assert.Equal(readAt.AddSeconds(-30) - TimeSpan.FromMinutes(2), recent);
        Assert.Equal(readAt.AddDays(-30), old);
    }
}

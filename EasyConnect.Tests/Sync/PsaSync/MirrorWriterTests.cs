using System.Text.Json;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Tests.Sync.PsaSync;

/// <summary>How the mirror writes pages: straight COPY on a first run, merging once a row repeats or rows are already stored.</summary>
public sealed class MirrorWriterTests(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private string _database = default!;
    private Guid _connection;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await postgres.CreateDatabaseAsync("writer");
        _connection = await MirrorHarness.AddConnectionAsync(_database);
    }

    [Fact]
    public async Task FirstRun_CopiesStraightIn_AndARowRepeatedOnALaterPageIsMergedNotDuplicated()
    {
        await using (var writer = await MirrorWriter.OpenAsync(_database, MirrorTables.Configurations, _connection, Guid.NewGuid(), Ct))
        {
            Assert.True(writer.Direct);
            Assert.Equal(3, await writer.UpsertAsync([Configuration("1", "Firewall"), Configuration("2", "Switch"), Configuration("3", "NAS")], Now, null, Ct));
            Assert.True(writer.Direct);

            // The PSA repeats row 3 (modified while it was paged) on the next page: the COPY would break the key, so the page is merged.
            Assert.Equal(2, await writer.UpsertAsync([Configuration("3", "NAS (renamed)"), Configuration("4", "Router")], Now, null, Ct));
            Assert.False(writer.Direct);
            Assert.Equal(1, await writer.UpsertAsync([Configuration("5", "Printer")], Now, null, Ct));
        }

        await using var db = PostgresServer.CreateContext(_database);
        var rows = await db.PsaConfigurations.Where(c => c.ConnectionId == _connection).OrderBy(c => c.PsaId).ToListAsync(Ct);
        Assert.Equal(["1", "2", "3", "4", "5"], rows.Select(r => r.PsaId));
        Assert.Equal("NAS (renamed)", rows[2].Name);
        Assert.Equal("""{"ClusterID": "CL-3"}""", rows[2].CustomFields);
    }

    [Fact]
    public async Task LaterRun_Merges_FromTheFirstPage()
    {
        await using (var first = await MirrorWriter.OpenAsync(_database, MirrorTables.Configurations, _connection, Guid.NewGuid(), Ct))
        {
            await first.UpsertAsync([Configuration("1", "Firewall")], Now, null, Ct);
        }

        await using var writer = await MirrorWriter.OpenAsync(_database, MirrorTables.Configurations, _connection, Guid.NewGuid(), Ct);
        Assert.False(writer.Direct);
        Assert.Equal(2, await writer.UpsertAsync([Configuration("1", "Firewall (replaced)"), Configuration("2", "Switch")], Now, null, Ct));
        await using var db = PostgresServer.CreateContext(_database);
        Assert.Equal("Firewall (replaced)", await db.PsaConfigurations.Where(c => c.ConnectionId == _connection && c.PsaId == "1").Select(c => c.Name).SingleAsync(Ct));
    }

    private static PsaConfiguration Configuration(string id, string name) => new(
        id, Now.AddMinutes(-int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)), JsonSerializer.SerializeToElement(new { id, name }),
        name, "10", null, null, new Dictionary<string, string> { ["ClusterID"] = $"CL-{id}" }, Active: true);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

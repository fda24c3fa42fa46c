using EasyConnect.Sync.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EasyConnect.Sync.Budget;

/// <summary>The outcome of one reservation: how many calls were granted, and what the window holds.</summary>
/// <param name="Granted">Calls granted (0 when the window is full for this priority).</param>
/// <param name="Used">Calls counted in the window before this reservation.</param>
/// <param name="Allowed">The calls this priority may use in the window.</param>
/// <param name="Oldest">The oldest bucket counted, which frees first; null when the window was empty.</param>
internal sealed record ApiBudgetReservation(int Granted, int Used, int Allowed, DateTimeOffset? Oldest);

/// <summary>The window counts in PostgreSQL, so every EasyConnect process of one PSA tenant spends one budget.</summary>
internal sealed class ApiBudgetStore(IDbContextFactory<EasyConnectDbContext> dbFactory)
{
    // One round trip, one implicit transaction: the advisory lock serialises the reservations of one connection across
    // processes (two readers of the same sum would both grant), and the window is summed, granted and recorded under it.
    private const string ReserveSql = """
        WITH share AS (
            SELECT coalesce((SELECT share_percent FROM api_budget_shares WHERE connection_key = @key), @default_share) AS pct),
        used AS (
            SELECT coalesce(sum(calls), 0)::int AS n, min(bucket_start) AS oldest
            FROM api_budget_buckets WHERE connection_key = @key AND bucket_start >= @since),
        allowed AS (
            SELECT (@budget::bigint * pct / 100 * @cap / 100)::int AS n FROM share),
        grant_ AS (
            SELECT greatest(0, least(@want, allowed.n - used.n)) AS granted, used.n AS used, allowed.n AS allowed, used.oldest
            FROM used, allowed),
        purge AS (
            DELETE FROM api_budget_buckets WHERE connection_key = @key AND bucket_start < @purge_before),
        upsert AS (
            INSERT INTO api_budget_buckets (connection_key, bucket_start, calls)
            SELECT @key, @bucket, granted FROM grant_ WHERE granted > 0
            ON CONFLICT (connection_key, bucket_start) DO UPDATE SET calls = api_budget_buckets.calls + excluded.calls)
        SELECT granted, used, allowed, oldest FROM grant_
        """;

    /// <summary>
    /// Reserves up to <paramref name="want"/> calls in the bucket holding <paramref name="now"/>, within <paramref name="capPercent"/>
    /// of the share of <paramref name="limits"/>' budget (the share stored for the connection, else <paramref name="defaultShare"/>).
    /// </summary>
    public async Task<ApiBudgetReservation> ReserveAsync(
        string key, ApiBudgetLimits limits, int budget, int defaultShare, int capPercent, int want, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var bucket = BucketOf(now, limits.Bucket);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtextextended(@key, 7))") { Parameters = { new("key", key) } },
                new NpgsqlBatchCommand(ReserveSql)
                {
                    Parameters =
                    {
                        new("key", key),
                        new("default_share", defaultShare),
                        // Conservative: the bucket that straddles the window's start counts whole, so calls are never under-counted.
                        new("since", BucketOf(now - limits.Window, limits.Bucket)),
                        new("budget", budget),
                        new("cap", capPercent),
                        new("want", want),
                        // Kept for an hour at least, for the Integration page's "calls in the last hour".
                        new("purge_before", BucketOf(now - Max(limits.Window + limits.Window, TimeSpan.FromHours(1)) - limits.Bucket, limits.Bucket)),
                        new("bucket", bucket),
                    },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3));
    }

    /// <summary>Calls counted for <paramref name="key"/> in buckets starting at or after <paramref name="since"/>.</summary>
    public async Task<int> UsedSinceAsync(string key, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<ApiBudgetBucket>().Where(b => b.ConnectionKey == key && b.BucketStart >= since).SumAsync(b => b.Calls, cancellationToken);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>The start of the bucket of length <paramref name="bucket"/> holding <paramref name="at"/>.</summary>
    public static DateTimeOffset BucketOf(DateTimeOffset at, TimeSpan bucket) =>
        new(at.UtcTicks - (at.UtcTicks % bucket.Ticks), TimeSpan.Zero);
}

using System.Threading.RateLimiting;
using EasyConnect.Sync.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EasyConnect.Sync.Budget;

/// <summary>
/// One connection's limits in this process: a concurrency limiter (per endpoint or for the whole connection) and the
/// requests-per-window budget, whose count is kept in PostgreSQL and reserved in blocks. Disposed when the connection goes.
/// </summary>
public sealed partial class ConnectionBudget : IApiCallGate, IDisposable
{
    private readonly string _key;
    private readonly ApiBudgetLimits _limits;
    private readonly int _budget;
    private readonly ApiBudgetStore? _store;
    private readonly ApiBudgetOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PartitionedRateLimiter<HttpRequestMessage> _concurrency;
    // Serialises this process's reservations, so callers waiting for a block share the one that comes back.
    private readonly SemaphoreSlim _reserving = new(1, 1);
    private readonly Lock _lock = new();
    private readonly int _block;
    private int _permits;
    private bool _prefetching;
    private ApiPriority _permitsFor;
    private DateTimeOffset _permitsExpire;

    internal ConnectionBudget(string key, ApiBudgetLimits limits, int budget, ApiBudgetStore? store, ApiBudgetOptions options, TimeProvider time, ILogger logger)
    {
        _key = key;
        _limits = limits;
        _budget = budget;
        _store = store;
        _options = options;
        _time = time;
        _logger = logger;
        // A small budget is reserved one call at a time, so no process holds calls another could use.
        _block = Math.Clamp(budget / 100, 1, options.BlockSize);
        _concurrency = PartitionedRateLimiter.Create<HttpRequestMessage, string>(request =>
            (limits.PerEndpoint ? limits.Endpoints.EndpointOf(request) : "") is { } endpoint
                ? RateLimitPartition.GetConcurrencyLimiter(endpoint, _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = limits.Concurrency, QueueLimit = int.MaxValue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                })
                // An endpoint the PSA does not limit (Autotask's zone lookup) shares no slot with anything.
                : RateLimitPartition.GetNoLimiter("\0unlimited"));
    }

    /// <summary>The limits this budget applies.</summary>
    public ApiBudgetLimits Limits => _limits;

    /// <summary>Whether <see cref="Dispose"/> has run.</summary>
    public bool Disposed { get; private set; }

    /// <inheritdoc />
    public async ValueTask<IDisposable> EnterAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The permit first: a call waiting for the window must not hold a slot a ticket-sync call could use.
        await TakePermitAsync(cancellationToken);
        return await _concurrency.AcquireAsync(request, 1, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask ChargeRetryAsync(HttpRequestMessage request, CancellationToken cancellationToken) => new(TakePermitAsync(cancellationToken));

    /// <summary>Frees the limiter (and its idle-partition timer).</summary>
    public void Dispose()
    {
        Disposed = true;
        _concurrency.Dispose();
    }

    private async Task TakePermitAsync(CancellationToken cancellationToken)
    {
        if (_store is null && _probe is null)
        {
            return;
        }

        var priority = ApiCallPriority.Current;
        var logged = false;
        while (true)
        {
            if (TryTakeLocal(priority))
            {
                return;
            }

            await ReadTenantUsageIfDueAsync(cancellationToken);
            TimeSpan wait;
            await _reserving.WaitAsync(cancellationToken);
            try
            {
                if (TryTakeLocal(priority))
                {
                    return;
                }

                var now = _time.GetUtcNow();
                var tenantLeft = TenantLeft(priority);
                if (tenantLeft <= 0)
                {
                    // Other integrations have used the tenant's hour: wait for a later reading to see it free up.
                    wait = TenantWait(now);
                    if (!logged)
                    {
                        logged = true;
                        LogTenantLow(_logger, _key, _tenant!.Used, _tenant.Threshold, priority, Math.Round(wait.TotalSeconds, 1));
                    }
                }
                else if (await ReserveAsync(priority, Math.Min(_block, tenantLeft ?? _block), now, cancellationToken) is { } spent)
                {
                    // The window frees from its oldest bucket; until then nothing this priority may use comes back.
                    var frees = (spent.Oldest ?? ApiBudgetStore.BucketOf(now, _limits.Bucket)) + _limits.Window + _limits.Bucket;
                    wait = frees - now < _limits.Bucket ? _limits.Bucket : frees - now;
                    if (!logged)
                    {
                        logged = true;
                        LogSpent(_logger, _key, spent.Used, spent.Allowed, _limits.Window.TotalMinutes, priority, Math.Round(wait.TotalSeconds, 1));
                    }
                }
                else
                {
                    return;
                }
            }
            finally
            {
                _reserving.Release();
            }

            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    /// <summary>Reserves up to <paramref name="want"/> calls of the share and takes one; the refused reservation when none is left.</summary>
    private async Task<ApiBudgetReservation?> ReserveAsync(ApiPriority priority, int want, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reservation = _store is null
            ? new ApiBudgetReservation(want, 0, want, null)
            : await _store.ReserveAsync(_key, _limits, _budget, _options.DefaultSharePercent, Cap(priority), want, now, cancellationToken);
        if (reservation.Granted <= 0)
        {
            return reservation;
        }

        lock (_lock)
        {
            _permits = reservation.Granted - 1;
            _permitsFor = priority;
            _permitsExpire = ApiBudgetStore.BucketOf(now, _limits.Bucket) + _limits.Bucket;
            _spentSinceReading += reservation.Granted;
        }

        return null;
    }

    private bool TryTakeLocal(ApiPriority priority)
    {
        bool prefetch;
        lock (_lock)
        {
            // A block reserved for ticket sync may lie beyond the reserve, which background calls must not touch.
            if (_permits <= 0 || _time.GetUtcNow() >= _permitsExpire || (priority == ApiPriority.Background && _permitsFor != ApiPriority.Background))
            {
                return false;
            }

            _permits--;
            // Half a block left: the next one is reserved while this one is spent, so busy callers do not stall on the round trip.
            prefetch = !_prefetching && _permits <= _block / 2 && _block > 1 && _store is not null;
            _prefetching |= prefetch;
        }

        if (prefetch)
        {
            _ = PrefetchAsync(priority);
        }

        return true;
    }

    private async Task PrefetchAsync(ApiPriority priority)
    {
        try
        {
            await _reserving.WaitAsync();
            try
            {
                var now = _time.GetUtcNow();
                var want = Math.Min(_block, TenantLeft(priority) ?? _block);
                var reservation = want <= 0 || _store is null
                    ? new ApiBudgetReservation(0, 0, 0, null)
                    : await _store.ReserveAsync(_key, _limits, _budget, _options.DefaultSharePercent, Cap(priority), want, now, CancellationToken.None);
                if (reservation.Granted > 0)
                {
                    lock (_lock)
                    {
                        _spentSinceReading += reservation.Granted;
                        var expire = ApiBudgetStore.BucketOf(now, _limits.Bucket) + _limits.Bucket;
                        // Permits left of an older bucket end with it; the new block is good until its own bucket ends.
                        _permits = (_permitsExpire == expire ? _permits : 0) + reservation.Granted;
                        _permitsFor = priority;
                        _permitsExpire = expire;
                    }
                }
            }
            finally
            {
                _reserving.Release();
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // A prefetch that fails leaves the next caller to reserve (and report the failure) itself.
            LogPrefetchFailed(_logger, _key, e.Message);
        }
        finally
        {
            lock (_lock)
            {
                _prefetching = false;
            }
        }
    }

    private int Cap(ApiPriority priority) => priority == ApiPriority.Background ? 100 - _options.ReservePercent : 100;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reserving the next API budget block of connection {Connection} failed: {Reason}")]
    private static partial void LogPrefetchFailed(ILogger logger, string connection, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "API budget of connection {Connection} is spent for {Priority} calls: {Used} of {Allowed} calls in the last {WindowMinutes} min; waiting {WaitSeconds} s for the window to free")]
    private static partial void LogSpent(ILogger logger, string connection, int used, int allowed, double windowMinutes, ApiPriority priority, double waitSeconds);
}

using Microsoft.Extensions.Logging;

namespace EasyConnect.Sync.Budget;

/// <summary>The PSA tenant's own count of the requests in its window, as the PSA reports it (Autotask's ThresholdInformation).</summary>
/// <param name="Threshold">Requests the tenant may make in its window, by every integration together.</param>
/// <param name="Used">Requests the tenant has made in the current window, by every integration together.</param>
public sealed record TenantApiUsage(int Threshold, int Used);

/// <summary>Reads the tenant's usage from the PSA; supplied by the product's client.</summary>
public delegate Task<TenantApiUsage> TenantUsageProbe(CancellationToken cancellationToken);

/// <content>
/// The tenant's count, where the PSA reports one: EasyConnect's share is counted by EasyConnect alone, but the PSA's threshold is
/// the tenant's, spent also by other integrations. The count is read every <see cref="ApiBudgetOptions.TenantCheckInterval"/>, not
/// per call (the first once the connection has spent half the margin, or an interval after its first call); between readings this
/// process adds the calls it reserved. Calls go while the tenant keeps a margin
/// (<see cref="ApiBudgetOptions.TenantMarginPercent"/>) below its threshold; background calls stop
/// <see cref="ApiBudgetOptions.ReservePercent"/> of the threshold earlier, so ticket sync goes first.
/// </content>
public sealed partial class ConnectionBudget
{
    // Set while the probe runs, so the probe's own call (and a zone lookup it needs) does not wait for a reading of itself.
    private static readonly AsyncLocal<bool> Probing = new();
    private readonly SemaphoreSlim _reading = new(1, 1);
    private TenantUsageProbe? _probe;
    private TenantApiUsage? _tenant;
    private DateTimeOffset _readAt;
    private DateTimeOffset _firstCallAt;
    private int _spentSinceReading;

    /// <summary>The tenant's usage as last read, or null when the PSA reports none or it was not read yet.</summary>
    public TenantApiUsage? TenantUsage => _tenant;

    /// <summary>
    /// Has the budget read the tenant's own count through <paramref name="probe"/> (the latest client's), so EasyConnect slows down
    /// when other integrations spend the tenant's window, before the PSA shuts the tenant off.
    /// </summary>
    public void UseTenantUsage(TenantUsageProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        _probe = probe;
    }

    private async Task ReadTenantUsageIfDueAsync(CancellationToken cancellationToken)
    {
        if (_probe is not { } probe || Probing.Value || !ReadingDue())
        {
            return;
        }

        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (!ReadingDue())
            {
                return;
            }

            Probing.Value = true;
            var read = _time.GetUtcNow();
            TenantApiUsage usage;
            try
            {
                usage = await probe(cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
            {
                // The last reading, with the calls counted since, stands until the next one; a failing probe is not asked per call.
                _readAt = read;
                LogTenantReadFailed(_logger, _key, e.Message);
                return;
            }
            finally
            {
                Probing.Value = false;
            }

            lock (_lock)
            {
                _tenant = usage;
                _readAt = read;
                _spentSinceReading = 0;
            }
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>
    /// Every interval; the first reading once the connection has spent half the margin of its product's budget, or an interval
    /// after its first call, so a connection that makes a few calls (a connection test) costs no reading.
    /// </summary>
    private bool ReadingDue()
    {
        var now = _time.GetUtcNow();
        if (_readAt != default)
        {
            return now - _readAt >= _options.TenantCheckInterval;
        }

        lock (_lock)
        {
            if (_firstCallAt == default)
            {
                _firstCallAt = now;
            }

            return now - _firstCallAt >= _options.TenantCheckInterval
                || _spentSinceReading >= Math.Max(1, (long)_budget * _options.TenantMarginPercent / 200);
        }
    }

    /// <summary>Calls this priority may still make before the tenant's margin (and for background calls the reserve); null without a reading.</summary>
    private int? TenantLeft(ApiPriority priority)
    {
        lock (_lock)
        {
            // The reading itself must go, or a tenant that was low could never be seen to have freed.
            if (_tenant is not { } tenant || Probing.Value)
            {
                return null;
            }

            var keep = (long)tenant.Threshold * (_options.TenantMarginPercent + (priority == ApiPriority.Background ? _options.ReservePercent : 0)) / 100;
            return (int)Math.Clamp(tenant.Threshold - keep - tenant.Used - _spentSinceReading, int.MinValue, int.MaxValue);
        }
    }

    private TimeSpan TenantWait(DateTimeOffset now)
    {
        var due = _readAt + _options.TenantCheckInterval - now;
        return due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The PSA tenant of connection {Connection} has used {Used} of its {Threshold} calls, with other integrations; {Priority} calls wait {WaitSeconds} s for it to free")]
    private static partial void LogTenantLow(ILogger logger, string connection, int used, int threshold, ApiPriority priority, double waitSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the PSA tenant's API usage for connection {Connection} failed: {Reason}")]
    private static partial void LogTenantReadFailed(ILogger logger, string connection, string reason);
}

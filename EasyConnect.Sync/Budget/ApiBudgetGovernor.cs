using System.Collections.Concurrent;
using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Persistence;
using EasyConnect.Sync.Psa;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EasyConnect.Sync.Budget;

/// <summary>A connection's budget as the Integration page shows it.</summary>
/// <param name="SharePercent">EasyConnect's share of the PSA's budget.</param>
/// <param name="RequestsPerWindow">The PSA's whole budget per window.</param>
/// <param name="Window">The PSA's rolling window.</param>
/// <param name="Allowed">EasyConnect's calls per window (the share of the budget).</param>
/// <param name="UsedInWindow">Calls counted in the current window, by every EasyConnect process.</param>
/// <param name="UsedLastHour">Calls counted in the last hour, by every EasyConnect process.</param>
/// <param name="AllowedPerHour">EasyConnect's calls per hour at this share.</param>
public sealed record ApiBudgetUsage(int SharePercent, int RequestsPerWindow, TimeSpan Window, int Allowed, int UsedInWindow, int UsedLastHour, int AllowedPerHour);

/// <summary>
/// The API budget governor: one <see cref="IApiCallGate"/> per PSA connection in this process (concurrency per endpoint,
/// requests per window counted in PostgreSQL across processes, ticket sync first when the budget runs low), released with
/// the connection. The admin sets EasyConnect's share of the PSA's budget.
/// </summary>
/// <remarks>Without a database (a client-only host) only the concurrency limits apply.</remarks>
public sealed class ApiBudgetGovernor(
    IEnumerable<ProductApiBudget> products,
    IOptionsMonitor<ApiBudgetOptions> options,
    TimeProvider time,
    ILoggerFactory loggers,
    IDbContextFactory<EasyConnectDbContext>? dbFactory = null,
    AuditLog? audit = null) : IDisposable
{
    private readonly ApiBudgetStore? _store = dbFactory is null ? null : new(dbFactory);
    private readonly ILogger _logger = loggers.CreateLogger("EasyConnect.Sync.Budget");
    private readonly ConcurrentDictionary<string, Lazy<ConnectionBudget>> _budgets = new(StringComparer.Ordinal);

    /// <summary>How many connections hold limiters in this process.</summary>
    public int Count => _budgets.Count;

    /// <summary>The product's limits: its defaults, with the budget overridden by <see cref="ApiBudgetOptions.RequestsPerWindow"/>.</summary>
    public ApiBudgetLimits LimitsFor(PsaKind kind)
    {
        var limits = products.FirstOrDefault(p => p.Kind == kind)?.Limits
            ?? throw new NotSupportedException($"No API budget is known for {kind}.");
        return options.CurrentValue.RequestsPerWindow.TryGetValue(kind.ToString(), out var budget) && budget > 0
            ? limits with { RequestsPerWindow = budget }
            : limits;
    }

    /// <summary>
    /// The gate every client of <paramref name="connectionKey"/> shares; the first client of a key decides the limits.
    /// <see cref="Release"/> frees it when the connection goes.
    /// </summary>
    public ConnectionBudget For(string connectionKey, ApiBudgetLimits limits)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionKey);
        ArgumentNullException.ThrowIfNull(limits);
        return _budgets.GetOrAdd(connectionKey, key => new(() =>
            new ConnectionBudget(key, limits, limits.RequestsPerWindow, _store, options.CurrentValue, time, _logger))).Value;
    }

    /// <summary>Frees the limiters of <paramref name="connectionKey"/> (disconnect, instance change, a test connection's client).</summary>
    public void Release(string connectionKey)
    {
        if (_budgets.TryRemove(connectionKey, out var budget) && budget.IsValueCreated)
        {
            budget.Value.Dispose();
        }
    }

    /// <summary>The share and the calls counted for <paramref name="connectionKey"/>, in its window and in the last hour.</summary>
    public async Task<ApiBudgetUsage> GetUsageAsync(string connectionKey, PsaKind kind, CancellationToken cancellationToken = default)
    {
        var limits = LimitsFor(kind);
        var share = await GetShareAsync(connectionKey, cancellationToken);
        var now = time.GetUtcNow();
        var store = _store ?? throw new InvalidOperationException("The API budget needs the database.");
        var inWindow = await store.UsedSinceAsync(connectionKey, ApiBudgetStore.BucketOf(now - limits.Window, limits.Bucket), cancellationToken);
        var lastHour = await store.UsedSinceAsync(connectionKey, ApiBudgetStore.BucketOf(now - TimeSpan.FromHours(1), limits.Bucket), cancellationToken);
        var allowed = (int)((long)limits.RequestsPerWindow * share / 100);
        return new(share, limits.RequestsPerWindow, limits.Window, allowed, inWindow, lastHour,
            (int)Math.Round(allowed * (TimeSpan.FromHours(1) / limits.Window)));
    }

    /// <summary>EasyConnect's share of the connection's PSA budget, in percent.</summary>
    public async Task<int> GetShareAsync(string connectionKey, CancellationToken cancellationToken = default)
    {
        await using var db = await Database().CreateDbContextAsync(cancellationToken);
        var stored = await db.Set<ApiBudgetShare>().AsNoTracking().Where(s => s.ConnectionKey == connectionKey)
            .Select(s => (int?)s.SharePercent).SingleOrDefaultAsync(cancellationToken);
        return stored ?? options.CurrentValue.DefaultSharePercent;
    }

    /// <summary>Sets EasyConnect's share (1–100 %), audited; every process applies it from its next reservation.</summary>
    public async Task SetShareAsync(string connectionKey, string connectionName, int percent, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        await using var db = await Database().CreateDbContextAsync(cancellationToken);
        var share = await db.Set<ApiBudgetShare>().SingleOrDefaultAsync(s => s.ConnectionKey == connectionKey, cancellationToken);
        var before = share?.SharePercent ?? options.CurrentValue.DefaultSharePercent;
        if (share is null)
        {
            share = new ApiBudgetShare { ConnectionKey = connectionKey, UpdatedBy = actor };
            db.Add(share);
        }

        share.SharePercent = percent;
        share.UpdatedAt = time.GetUtcNow();
        share.UpdatedBy = actor;
        (audit ?? throw new InvalidOperationException("The API budget needs the audit log.")).Add(db, actor, "API budget share changed", connectionName, $"{before} % → {percent} %");
        await db.SaveChangesAsync(cancellationToken);
    }

    private IDbContextFactory<EasyConnectDbContext> Database() =>
        dbFactory ?? throw new InvalidOperationException("The API budget needs the database.");

    /// <summary>Frees every connection's limiters.</summary>
    public void Dispose()
    {
        foreach (var key in _budgets.Keys)
        {
            Release(key);
        }
    }
}

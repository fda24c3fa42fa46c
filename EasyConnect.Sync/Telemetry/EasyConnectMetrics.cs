using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EasyConnect.Sync.Telemetry;

/// <summary>
/// EasyConnect's metrics for operators (meter <c>EasyConnect</c>), exported at <c>/metrics</c> when
/// <c>EasyConnect:Metrics:Enabled</c> is true: runs by result, run durations, API calls by vendor and status. Held tickets and the
/// API budget used are observed from the database by <c>MetricsGauges</c> at each scrape.
/// </summary>
public static class EasyConnectMetrics
{
    /// <summary>The meter's name, for the exporter.</summary>
    public const string MeterName = "EasyConnect";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>(
        "easyconnect.sync.runs", "{run}", "Sync runs that ended, by kind (tickets, incremental, full) and result.");

    private static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>(
        "easyconnect.sync.run.duration", "s", "How long sync runs took, by kind and result.");

    private static readonly Counter<long> ApiCalls = Meter.CreateCounter<long>(
        "easyconnect.api.calls", "{call}", "HTTP requests to the PSA and the portal (retries included), by vendor and status code.");

    /// <summary>Records a run that ended.</summary>
    public static void RunEnded(string kind, string result, TimeSpan duration)
    {
        var tags = new TagList { { "kind", kind }, { "result", result } };
        Runs.Add(1, tags);
        RunDuration.Record(Math.Max(0, duration.TotalSeconds), tags);
    }

    /// <summary>Records one HTTP attempt to a vendor; <paramref name="status"/> is the HTTP status or "network" / "timeout".</summary>
    public static void ApiCall(string vendor, string status) =>
        ApiCalls.Add(1, new TagList { { "vendor", vendor }, { "status", status } });

    private static volatile GaugeSnapshot _gauges = new([], []);

    static EasyConnectMetrics()
    {
        Meter.CreateObservableGauge("easyconnect.tickets.held", () => _gauges.Held, "{ticket}", "Tickets held with a reason, per PSA connection.");
        Meter.CreateObservableGauge("easyconnect.api.budget.used", () => _gauges.BudgetUsed, "{call}",
            "API calls of the last hour, per PSA connection (compare with easyconnect.api.budget.allowed).");
        Meter.CreateObservableGauge("easyconnect.api.budget.allowed", () => _gauges.BudgetAllowed, "{call}",
            "API calls EasyConnect's share of the PSA's budget allows per hour, per PSA connection.");
    }

    /// <summary>Replaces what the gauges report (the database-backed figures, refreshed by <see cref="MetricsGaugeRefresher"/>).</summary>
    internal static void SetGauges(IReadOnlyList<ConnectionGauge> connections) => _gauges = new(
        [.. connections.Select(c => new Measurement<long>(c.HeldTickets, new KeyValuePair<string, object?>("connection", c.Name)))],
        [.. connections.Where(c => c.BudgetUsed is not null).Select(c => new Measurement<long>(c.BudgetUsed!.Value, new KeyValuePair<string, object?>("connection", c.Name)))])
    {
        BudgetAllowed = [.. connections.Where(c => c.BudgetAllowed is not null).Select(c => new Measurement<long>(c.BudgetAllowed!.Value, new KeyValuePair<string, object?>("connection", c.Name)))],
    };

    private sealed record GaugeSnapshot(IReadOnlyList<Measurement<long>> Held, IReadOnlyList<Measurement<long>> BudgetUsed)
    {
        public IReadOnlyList<Measurement<long>> BudgetAllowed { get; init; } = [];
    }
}

/// <summary>The database-backed figures of one PSA connection.</summary>
internal sealed record ConnectionGauge(string Name, long HeldTickets, long? BudgetUsed, long? BudgetAllowed);

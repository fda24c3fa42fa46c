namespace EasyConnect.Sync.Telemetry;

/// <summary>Metrics for operators (<c>EasyConnect:Metrics</c>): off unless switched on.</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EasyConnect:Metrics";

    /// <summary>Whether <see cref="Path"/> serves the metrics in the Prometheus text format.</summary>
    public bool Enabled { get; set; }

    /// <summary>Where the metrics are served.</summary>
    public string Path { get; set; } = "/metrics";
}

using System.ComponentModel.DataAnnotations;

namespace EasyConnect.Sync.PsaSync;

/// <summary>Schedules and safety settings of the PSA mirror. Bound from <see cref="SectionName"/>, validated on start.</summary>
public sealed class PsaSyncOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EasyConnect:PsaSync";

    private const string CronPattern = @"^\S+( \S+){4,5}$";
    private const string CronMessage = "must be a cron expression of 5 or 6 fields, such as \"*/5 * * * *\".";

    /// <summary>When the incremental sync runs (cron, UTC).</summary>
    [Required, RegularExpression(CronPattern, ErrorMessage = "IncrementalCron " + CronMessage)]
    public string IncrementalCron { get; set; } = "*/5 * * * *";

    /// <summary>When the full sync runs (cron, UTC); nightly by default.</summary>
    [Required, RegularExpression(CronPattern, ErrorMessage = "FullCron " + CronMessage)]
    public string FullCron { get; set; } = "0 2 * * *";

    /// <summary>How far before the cursor each incremental read starts, to survive clock skew and rows written during a read.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How far back the first incremental run of a connection reads.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan FirstRunReach { get; set; } = TimeSpan.FromDays(365);

    /// <summary>A full run that would delete more than this share of an entity's stored rows stops and asks an admin.</summary>
    [Range(0.0, 1.0)]
    public double MassDeleteShare { get; set; } = 0.2;

    /// <summary>Deleting at most this many rows never needs confirmation, whatever the share (small tables change a lot in relative terms).</summary>
    [Range(0, 1_000_000)]
    public int MassDeleteMinimum { get; set; } = 10;
}

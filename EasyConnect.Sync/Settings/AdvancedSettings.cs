using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EasyConnect.Sync.Settings;

/// <summary>Which field of a PSA configuration a portal ticket's ClusterID is compared with.</summary>
public enum ClusterIdMatch
{
    /// <summary>The configuration's name.</summary>
    Name,

    /// <summary>The configuration's serial number.</summary>
    SerialNumber,

    /// <summary>The configuration's tag number.</summary>
    TagNumber,

    /// <summary>A custom field (ConnectWise: question) named <see cref="AdvancedSettings.ClusterIdCustomField"/>.</summary>
    CustomField,
}

/// <summary>
/// Advanced Settings of one PSA connection: how portal values become PSA values. Keyed by the PSA
/// connection, so a new instance starts with maps to confirm rather than ids of another instance.
/// </summary>
public sealed class AdvancedSettings
{
    /// <summary>Longest custom field (question) name.</summary>
    public const int ClusterIdCustomFieldMaxLength = 200;

    /// <summary>The PSA connection these settings belong to.</summary>
    public Guid ConnectionId { get; set; }

    /// <summary>The board new PSA tickets are created on; statuses are mapped to this board's statuses.</summary>
    public string? DefaultBoardId { get; set; }

    /// <summary>Portal priority (low, normal, high, urgent) → PSA priority id, as a JSON object.</summary>
    public string PriorityMapJson { get; set; } = "{}";

    /// <summary>Portal status (new, open, pending, hold, solved, closed) → PSA status id of the default board, as a JSON object.</summary>
    public string StatusMapJson { get; set; } = "{}";

    /// <summary>How a ClusterID finds its configuration.</summary>
    public ClusterIdMatch ClusterIdMatch { get; set; } = ClusterIdMatch.CustomField;

    /// <summary>The custom field / question name when <see cref="ClusterIdMatch"/> is <see cref="ClusterIdMatch.CustomField"/>.</summary>
    public string? ClusterIdCustomField { get; set; } = "ClusterID";

    /// <summary>Company for tickets whose ClusterID matches nothing; null holds such tickets instead.</summary>
    public string? FallbackCompanyId { get; set; }

    /// <summary>Minutes between ticket sync runs.</summary>
    public int TicketSyncMinutes { get; set; } = 5;

    /// <summary>Whether the ticket sync runs. Cannot be switched on while a portal value is unmapped.</summary>
    public bool SyncEnabled { get; set; }

    /// <summary>When an admin last saved the maps (pre-filled maps count only once confirmed).</summary>
    public DateTimeOffset? ConfirmedAt { get; set; }

    public string? ConfirmedBy { get; set; }

    /// <summary>The priority map.</summary>
    public Dictionary<string, string> PriorityMap
    {
        get => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(PriorityMapJson) ?? [];
        set => PriorityMapJson = System.Text.Json.JsonSerializer.Serialize(value);
    }

    /// <summary>The status map.</summary>
    public Dictionary<string, string> StatusMap
    {
        get => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(StatusMapJson) ?? [];
        set => StatusMapJson = System.Text.Json.JsonSerializer.Serialize(value);
    }
}

internal sealed class AdvancedSettingsConfiguration : IEntityTypeConfiguration<AdvancedSettings>
{
    public void Configure(EntityTypeBuilder<AdvancedSettings> builder)
    {
        builder.ToTable("advanced_settings");
        builder.HasKey(s => s.ConnectionId);
        builder.Property(s => s.PriorityMapJson).HasColumnType("jsonb");
        builder.Property(s => s.StatusMapJson).HasColumnType("jsonb");
        builder.Property(s => s.ClusterIdMatch).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.ClusterIdCustomField).HasMaxLength(AdvancedSettings.ClusterIdCustomFieldMaxLength);
        builder.Property(s => s.ConfirmedBy).HasMaxLength(256);
        builder.Ignore(s => s.PriorityMap);
        builder.Ignore(s => s.StatusMap);
    }
}

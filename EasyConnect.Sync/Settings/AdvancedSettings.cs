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

    /// <summary>The board new PSA tickets are created on; where statuses belong to a board (ConnectWise), its status map is the one used.</summary>
    public string? DefaultBoardId { get; set; }

    /// <summary>
    /// The priority maps, one per priority scope, as a JSON object: scope id (empty where the PSA's priorities are global) →
    /// portal priority (low, normal, high, urgent) → PSA priority id.
    /// </summary>
    public string PriorityMapJson { get; set; } = "{}";

    /// <summary>
    /// The status maps, one per status scope, as a JSON object: scope id (ConnectWise: a board; empty where the PSA's statuses
    /// are global) → portal status (new, open, pending, hold, solved, closed) → PSA status id of that scope.
    /// </summary>
    public string StatusMapJson { get; set; } = "{}";

    /// <summary>The status scope whose map tickets use (ConnectWise: the default board); null where the PSA's statuses are global.</summary>
    public string? StatusScopeId { get; set; }

    /// <summary>The priority scope whose map tickets use (HaloPSA: an SLA); null where the PSA's priorities are global.</summary>
    public string? PriorityScopeId { get; set; }

    /// <summary>How a ClusterID finds its configuration.</summary>
    public ClusterIdMatch ClusterIdMatch { get; set; } = ClusterIdMatch.CustomField;

    /// <summary>The custom field / question name when <see cref="ClusterIdMatch"/> is <see cref="ClusterIdMatch.CustomField"/>.</summary>
    public string? ClusterIdCustomField { get; set; } = "ClusterID";

    /// <summary>
    /// The settings of the notes EasyConnect writes, as a JSON object: <see cref="Psa.PsaNoteSetting.Key"/> → the PSA value chosen
    /// (Autotask: publish level and note type). Empty where the product has none, or until an admin saves them.
    /// </summary>
    public string NoteOptionsJson { get; set; } = "{}";

    /// <summary>The note settings, by key; see <see cref="NoteOptionsJson"/>.</summary>
    public Dictionary<string, string> NoteOptions
    {
        get => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(NoteOptionsJson) ?? [];
        set => NoteOptionsJson = System.Text.Json.JsonSerializer.Serialize(value);
    }

    /// <summary>Company for tickets whose ClusterID matches nothing; null holds such tickets instead.</summary>
    public string? FallbackCompanyId { get; set; }

    /// <summary>Minutes between ticket sync runs.</summary>
    public int TicketSyncMinutes { get; set; } = 5;

    /// <summary>Whether the ticket sync runs. Cannot be switched on while a portal value is unmapped.</summary>
    public bool SyncEnabled { get; set; }

    /// <summary>When an admin last saved the maps (pre-filled maps count only once confirmed).</summary>
    public DateTimeOffset? ConfirmedAt { get; set; }

    public string? ConfirmedBy { get; set; }

    /// <summary>The priority map tickets use: the one of <see cref="PriorityScopeId"/>.</summary>
    public Dictionary<string, string> PriorityMap
    {
        get => PriorityMapFor(PriorityScopeId);
        set => PriorityMapJson = With(PriorityMapJson, PriorityScopeId, value);
    }

    /// <summary>The status map tickets use: the one of <see cref="StatusScopeId"/>.</summary>
    public Dictionary<string, string> StatusMap
    {
        get => StatusMapFor(StatusScopeId);
        set => StatusMapJson = With(StatusMapJson, StatusScopeId, value);
    }

    /// <summary>Every status map, by scope id ("" where statuses are global).</summary>
    public Dictionary<string, Dictionary<string, string>> StatusMaps => Maps(StatusMapJson);

    /// <summary>Every priority map, by scope id ("" where priorities are global).</summary>
    public Dictionary<string, Dictionary<string, string>> PriorityMaps => Maps(PriorityMapJson);

    /// <summary>The status map of one scope (a ticket on another ConnectWise board uses that board's); empty when none was saved.</summary>
    public Dictionary<string, string> StatusMapFor(string? scopeId) => Maps(StatusMapJson).GetValueOrDefault(scopeId ?? "") ?? [];

    /// <summary>The priority map of one scope (a Halo ticket under another SLA uses that SLA's); empty when none was saved.</summary>
    public Dictionary<string, string> PriorityMapFor(string? scopeId) => Maps(PriorityMapJson).GetValueOrDefault(scopeId ?? "") ?? [];

    private static Dictionary<string, Dictionary<string, string>> Maps(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(json) ?? [];

    private static string With(string json, string? scopeId, Dictionary<string, string> map)
    {
        var maps = Maps(json);
        maps[scopeId ?? ""] = map;
        return System.Text.Json.JsonSerializer.Serialize(maps);
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
        builder.Property(s => s.NoteOptionsJson).HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");
        builder.Property(s => s.ClusterIdMatch).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.ClusterIdCustomField).HasMaxLength(AdvancedSettings.ClusterIdCustomFieldMaxLength);
        builder.Property(s => s.ConfirmedBy).HasMaxLength(256);
        builder.Ignore(s => s.PriorityMap);
        builder.Ignore(s => s.StatusMap);
        builder.Ignore(s => s.PriorityMaps);
        builder.Ignore(s => s.StatusMaps);
        builder.Ignore(s => s.NoteOptions);
    }
}

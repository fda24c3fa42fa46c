using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Connections;

/// <summary>Where a PSA connection is in its life.</summary>
public enum ConnectionState
{
    /// <summary>The connection in use: its jobs run.</summary>
    Active,

    /// <summary>Disconnected: jobs stopped, credentials deleted, mirrored data still there until cleaned up or archived.</summary>
    Disconnected,

    /// <summary>Kept read-only for reference after an instance change; never synced again.</summary>
    Archived,

    /// <summary>Its mirrored data is being deleted by a background job.</summary>
    CleaningUp,

    /// <summary>Its mirrored data has been deleted; only this record remains, for history.</summary>
    Removed,
}

/// <summary>
/// One connection to one PSA instance. Mirrored rows and sync cursors are keyed by the connection's id,
/// so the rows and cursors of an old instance can never be used for a new one.
/// </summary>
public sealed class PsaConnection
{
    /// <summary>Longest instance key and display name.</summary>
    public const int InstanceKeyMaxLength = 400;

    /// <summary>Longest display name.</summary>
    public const int DisplayNameMaxLength = 400;

    /// <summary>
    /// Longest value of one connection form field. The instance key and display name are made of the site and the
    /// company id, so two fields at this length still fit their 400-character columns.
    /// </summary>
    public const int FieldMaxLength = 150;

    public Guid Id { get; set; }

    public PsaKind Kind { get; set; }

    /// <summary>Comparable identity of the instance (<see cref="PsaInstanceIdentity.Key"/>).</summary>
    public string InstanceKey { get; set; } = "";

    /// <summary>How the UI names the instance, such as "na.myconnectwise.net / company acme".</summary>
    public string DisplayName { get; set; } = "";

    public ConnectionState State { get; set; }

    /// <summary>Settings that are not secret (site, company id, client id) as a JSON object of strings.</summary>
    public string SettingsJson { get; set; } = "{}";

    /// <summary>The non-secret settings, by name.</summary>
    public IReadOnlyDictionary<string, string> Settings
    {
        get => System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(SettingsJson) ?? [];
        set => SettingsJson = System.Text.Json.JsonSerializer.Serialize(value);
    }

    /// <summary>Secrets (keys, passwords) as one Data Protection payload; null once disconnected.</summary>
    public string? ProtectedSecrets { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset? DisconnectedAt { get; set; }

    /// <summary>Rows to delete when the clean-up started (for its progress bar).</summary>
    public long CleanupRowsTotal { get; set; }

    /// <summary>Rows the clean-up has deleted so far.</summary>
    public long CleanupRowsDeleted { get; set; }

    /// <summary>When the clean-up finished, or the data was archived.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}

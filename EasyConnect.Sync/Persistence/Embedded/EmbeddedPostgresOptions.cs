using System.ComponentModel.DataAnnotations;

namespace EasyConnect.Sync.Persistence.Embedded;

/// <summary>
/// Settings of the private PostgreSQL cluster EasyConnect starts when no connection string is configured.
/// </summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>Configuration section: <c>EasyConnect:EmbeddedPostgres</c>.</summary>
    public const string SectionName = "EasyConnect:EmbeddedPostgres";

    /// <summary>
    /// Folder that holds the cluster (<c>data/</c>), its log and its generated superuser password.
    /// Relative paths are resolved against the application's content root.
    /// </summary>
    [Required]
    public string DataDirectory { get; set; } = "App_Data/postgres";

    /// <summary>
    /// Folder with <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>. Empty: search PATH, then
    /// <c>/usr/lib/postgresql/*/bin</c> (newest first) and <c>/usr/local/pgsql/bin</c>.
    /// </summary>
    public string? BinDirectory { get; set; }

    /// <summary>Whether PATH and the usual install folders are searched when <see cref="BinDirectory"/> is empty.</summary>
    public bool SearchDefaultLocations { get; set; } = true;

    /// <summary>Loopback port; 0 picks a free one at each start.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>Database created inside the cluster for EasyConnect.</summary>
    [Required]
    public string DatabaseName { get; set; } = "easyconnect";

    /// <summary>OS user that runs the server when EasyConnect itself runs as root (PostgreSQL refuses root).</summary>
    [Required]
    public string OsUser { get; set; } = "postgres";

    /// <summary>
    /// False turns off fsync and synchronous commit: only for throw-away clusters (tests, benchmarks),
    /// where a power cut may lose data.
    /// </summary>
    public bool Durable { get; set; } = true;

    /// <summary>Seconds to wait for the server to accept connections.</summary>
    [Range(5, 600)]
    public int StartTimeoutSeconds { get; set; } = 60;

    /// <summary>PostgreSQL's <c>max_connections</c>.</summary>
    [Range(20, 10000)]
    public int MaxConnections { get; set; } = 100;
}

using System.ComponentModel.DataAnnotations;

namespace EasyConnect.Sync.Connections;

/// <summary>How long Test connection and Connect may take. Bound from <see cref="SectionName"/>.</summary>
public sealed class ConnectionTestOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "EasyConnect:Connections";

    /// <summary>
    /// The limit of one whole connection test (every check, retries included), in seconds. A host that accepts the
    /// connection and never answers would otherwise hold the page for the vendor's total timeout (4 minutes).
    /// </summary>
    [Range(1, 600)]
    public int TestTimeoutSeconds { get; set; } = 20;
}

using System.ComponentModel.DataAnnotations;

namespace EasyConnect.Sync.Jobs;

/// <summary>Settings of the Hangfire server inside an EasyConnect process.</summary>
public sealed class JobsOptions
{
    /// <summary>Configuration section: <c>EasyConnect:Jobs</c>.</summary>
    public const string SectionName = "EasyConnect:Jobs";

    /// <summary>False makes a UI-only process: it serves pages and the dashboard but runs no jobs.</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>Jobs this process runs at once.</summary>
    [Range(1, 100)]
    public int WorkerCount { get; set; } = 5;

    /// <summary>Schema of Hangfire's tables in the EasyConnect database.</summary>
    [Required]
    [RegularExpression("^[a-z_][a-z0-9_]*$", ErrorMessage = "The schema name may hold lowercase letters, digits and underscores only.")]
    public string SchemaName { get; set; } = "hangfire";
}

namespace EasyConnect.Sync.Persistence;

/// <summary>Database settings beyond the connection string.</summary>
public sealed class PersistenceOptions
{
    /// <summary>Configuration section: <c>EasyConnect:Database</c>.</summary>
    public const string SectionName = "EasyConnect:Database";

    /// <summary>Name of the connection string (<c>ConnectionStrings:EasyConnect</c>).</summary>
    public const string ConnectionStringName = "EasyConnect";

    /// <summary>Apply pending migrations at start-up. Turn off where a deployment step applies them.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

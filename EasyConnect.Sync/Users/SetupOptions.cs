namespace EasyConnect.Sync.Users;

/// <summary>
/// Unattended installs: the first administrator given by configuration instead of the setup page.
/// Both values must be set; they are read once, while no user exists, and ignored afterwards.
/// </summary>
public sealed class SetupOptions
{
    /// <summary>Configuration section: <c>EasyConnect:Setup</c>.</summary>
    public const string SectionName = "EasyConnect:Setup";

    /// <summary>Email (and user name) of the first administrator.</summary>
    public string? AdminEmail { get; set; }

    /// <summary>Password of the first administrator; must meet the password rules.</summary>
    public string? AdminPassword { get; set; }
}

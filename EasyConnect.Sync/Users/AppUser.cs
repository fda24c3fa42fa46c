using Microsoft.AspNetCore.Identity;

namespace EasyConnect.Sync.Users;

/// <summary>A person who logs in to the admin utility. The email doubles as the user name.</summary>
public sealed class AppUser : IdentityUser
{
    /// <summary>Longest email (and user name), as Identity stores it.</summary>
    public const int EmailMaxLength = 256;

    /// <summary>Longest display name.</summary>
    public const int DisplayNameMaxLength = 200;

    /// <summary>Name shown in the UI and written into PSA notes when no member is mapped.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>When the account was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set when an admin disabled the account; a disabled user cannot log in.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
}

namespace EasyConnect.Sync.Users;

/// <summary>The roles of the admin utility (DESIGN §1) and the policies built from them.</summary>
public static class Roles
{
    /// <summary>MSP administrator: everything.</summary>
    public const string Admin = "Admin";

    /// <summary>Fixes PSA user mappings and client mappings, looks at tickets.</summary>
    public const string Technician = "Technician";

    /// <summary>Monitors sync runs and the Hangfire dashboard, re-runs a ticket.</summary>
    public const string Support = "Support";

    /// <summary>Every role, in the order the UI lists them.</summary>
    public static readonly IReadOnlyList<string> All = [Admin, Technician, Support];

    /// <summary>Fixed role ids so the roles can be seeded by migrations.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Ids = new Dictionary<string, string>
    {
        [Admin] = "6f0d8f4e-52a1-4c43-9a0e-3a9f0c1d0001",
        [Technician] = "6f0d8f4e-52a1-4c43-9a0e-3a9f0c1d0002",
        [Support] = "6f0d8f4e-52a1-4c43-9a0e-3a9f0c1d0003",
    };
}

/// <summary>Authorization policy names; each names the roles allowed.</summary>
public static class Policies
{
    /// <summary>Admin only.</summary>
    public const string AdminOnly = "AdminOnly";

    /// <summary>Admin or Technician: mapping pages.</summary>
    public const string Mapping = "Mapping";

    /// <summary>Admin or Support: sync runs and the Hangfire dashboard.</summary>
    public const string Monitoring = "Monitoring";

    /// <summary>Any of the three roles: overview and tickets.</summary>
    public const string AnyRole = "AnyRole";
}

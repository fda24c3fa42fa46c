namespace EasyConnect.Sync.Audit;

/// <summary>One change a person made: who, when, what and to which thing. Never holds a secret.</summary>
public sealed class AuditEntry
{
    /// <summary>Longest actor.</summary>
    public const int ActorMaxLength = 256;

    /// <summary>Longest action.</summary>
    public const int ActionMaxLength = 200;

    /// <summary>Longest target.</summary>
    public const int TargetMaxLength = 400;

    public long Id { get; set; }

    /// <summary>When the change was made (UTC).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>User name (email) of the person, or "system".</summary>
    public string Actor { get; set; } = "";

    /// <summary>Short verb phrase, such as "User created" or "Priority map changed".</summary>
    public string Action { get; set; } = "";

    /// <summary>What was changed, such as a user's email or a setting's name.</summary>
    public string Target { get; set; } = "";

    /// <summary>Plain-language details (old → new values); secrets are masked before they get here.</summary>
    public string? Details { get; set; }
}

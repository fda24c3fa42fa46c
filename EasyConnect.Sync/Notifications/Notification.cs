namespace EasyConnect.Sync.Notifications;

/// <summary>A message for the people of one role, shown under the bell in the app bar until they dismiss it.</summary>
public sealed class Notification
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The role that sees it (Admin, Technician or Support).</summary>
    public string Role { get; set; } = "";

    /// <summary>Plain-language text.</summary>
    public string Message { get; set; } = "";

    /// <summary>Where the message's "Open" link leads, if anywhere.</summary>
    public string? Link { get; set; }

    public bool IsError { get; set; }

    /// <summary>When someone dismissed it; dismissed notifications are no longer shown.</summary>
    public DateTimeOffset? DismissedAt { get; set; }
}

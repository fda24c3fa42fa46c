namespace EasyConnect.Sync.Connections;

/// <summary>
/// Whether the running code is an admin's connection test. There a connection that cannot be made (refused, unknown name,
/// bad certificate) is reported at once: the admin is waiting, and the same address fails the same way a second later,
/// where a sync job's retries ride out a server that is restarting.
/// </summary>
internal static class ConnectionTestScope
{
    private static readonly AsyncLocal<bool> Active = new();

    /// <summary>True inside <see cref="ConnectionTestRun.RunAsync{T}"/> and everything it calls.</summary>
    public static bool IsActive => Active.Value;

    /// <summary>Marks the calling async flow as a connection test; the mark ends when the calling async method returns.</summary>
    public static void Enter() => Active.Value = true;
}

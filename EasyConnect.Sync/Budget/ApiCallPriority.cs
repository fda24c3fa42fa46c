namespace EasyConnect.Sync.Budget;

/// <summary>Who a PSA call is for, when the budget runs low.</summary>
public enum ApiPriority
{
    /// <summary>Ticket sync, connection tests and admins: may spend the whole share.</summary>
    TicketSync,

    /// <summary>Full syncs and the mirror: wait once the budget is down to the reserve.</summary>
    Background,
}

/// <summary>The ambient priority of the PSA calls made in the current async flow; set by the jobs, read by the budget governor.</summary>
public static class ApiCallPriority
{
    private static readonly AsyncLocal<ApiPriority?> Ambient = new();

    /// <summary>The priority of calls made here; <see cref="ApiPriority.TicketSync"/> unless a scope says otherwise.</summary>
    public static ApiPriority Current => Ambient.Value ?? ApiPriority.TicketSync;

    /// <summary>Marks the calls of the current async flow as <see cref="ApiPriority.Background"/> until the result is disposed.</summary>
    public static IDisposable Background() => Enter(ApiPriority.Background);

    /// <summary>Marks the calls of the current async flow as <paramref name="priority"/> until the result is disposed.</summary>
    public static IDisposable Enter(ApiPriority priority)
    {
        var previous = Ambient.Value;
        Ambient.Value = priority;
        return new Scope(previous);
    }

    private sealed class Scope(ApiPriority? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}

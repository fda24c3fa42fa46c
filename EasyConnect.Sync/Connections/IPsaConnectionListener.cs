namespace EasyConnect.Sync.Connections;

/// <summary>A feature that acts when a new PSA connection has been made (the mirror starts its first, full sync).</summary>
public interface IPsaConnectionListener
{
    /// <summary>Called once, after a new connection has been saved as the active one.</summary>
    Task OnConnectedAsync(PsaConnection connection, string actor, CancellationToken cancellationToken);
}

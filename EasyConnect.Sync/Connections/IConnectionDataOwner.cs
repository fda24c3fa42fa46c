namespace EasyConnect.Sync.Connections;

/// <summary>
/// A feature that stores rows keyed by a PSA connection (the mirror, linked tickets, mappings). The
/// instance-change clean-up asks each owner to delete a connection's rows, batch by batch, so it can
/// report progress and never holds one huge transaction.
/// </summary>
public interface IConnectionDataOwner
{
    /// <summary>What the rows are, for the progress text ("mirrored configurations").</summary>
    string Name { get; }

    /// <summary>How many rows the connection has here.</summary>
    Task<long> CountAsync(Guid connectionId, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="batchSize"/> of the connection's rows; returns how many it deleted (0 when none are left).</summary>
    Task<long> DeleteBatchAsync(Guid connectionId, int batchSize, CancellationToken cancellationToken);
}

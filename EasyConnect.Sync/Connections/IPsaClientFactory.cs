using EasyConnect.Sync.Psa;

namespace EasyConnect.Sync.Connections;

/// <summary>Makes clients of one PSA product from a connection's settings and secrets; one per product.</summary>
public interface IPsaClientFactory
{
    /// <summary>The product this factory serves.</summary>
    PsaKind Kind { get; }

    /// <summary>Names of the settings that are secret (encrypted at rest, never shown back).</summary>
    IReadOnlySet<string> SecretNames { get; }

    /// <summary>Builds a client. <paramref name="connectionKey"/> groups clients that share limits (concurrency).</summary>
    IPsaClient Create(IReadOnlyDictionary<string, string> settings, string connectionKey);
}

/// <summary>Gives the client of a stored connection, with its secrets decrypted.</summary>
public interface IPsaClientProvider
{
    /// <summary>The client of connection <paramref name="connectionId"/>; fails if it has been disconnected.</summary>
    Task<IPsaClient> GetClientAsync(Guid connectionId, CancellationToken cancellationToken);
}

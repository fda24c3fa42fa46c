using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace EasyConnect.Sync.Connections;

/// <summary>Encrypts connection secrets with ASP.NET Data Protection (keys kept in PostgreSQL, shared by every process).</summary>
public sealed class ConnectionSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("EasyConnect.Connections.Secrets.v1");

    /// <summary>Encrypts a set of secrets into one payload.</summary>
    public string Protect(IReadOnlyDictionary<string, string> secrets) => _protector.Protect(JsonSerializer.Serialize(secrets));

    /// <summary>Decrypts a payload made by <see cref="Protect"/>.</summary>
    /// <exception cref="InvalidOperationException">The key that encrypted it cannot be read any more (the key-encryption certificate was lost or replaced).</exception>
    public Dictionary<string, string> Unprotect(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(payload)) ?? [];
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException(UnreadableMessage, e);
        }
    }

    /// <summary>Whether <paramref name="payload"/> can still be decrypted.</summary>
    public bool CanRead(string? payload)
    {
        if (payload is null)
        {
            return false;
        }

        try
        {
            _protector.Unprotect(payload);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>What an admin is told when stored keys cannot be decrypted.</summary>
    public const string UnreadableMessage =
        "The stored keys can no longer be read: the key-encryption certificate that protected them is missing or is another one " +
        "(see Backups and keys in the operations guide). An admin enters the keys again on the Integration page.";

    /// <summary>How a secret is shown back: never in full; the last 4 characters of long ones, to tell keys apart.</summary>
    public static string Mask(string? secret) =>
        string.IsNullOrEmpty(secret) ? "" : secret.Length >= 16 ? $"••••••••{secret[^4..]}" : "••••••••";
}

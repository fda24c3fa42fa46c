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
    public Dictionary<string, string> Unprotect(string payload) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(payload)) ?? [];

    /// <summary>How a secret is shown back: never in full; the last 4 characters of long ones, to tell keys apart.</summary>
    public static string Mask(string? secret) =>
        string.IsNullOrEmpty(secret) ? "" : secret.Length >= 16 ? $"••••••••{secret[^4..]}" : "••••••••";
}

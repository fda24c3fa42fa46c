using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Sync.Persistence;

/// <summary>
/// Where the certificate is that encrypts the Data Protection key ring at rest. The key ring lives in the database; the
/// certificate never does, so a database backup alone decrypts nothing.
/// </summary>
public sealed class KeyEncryptionOptions
{
    /// <summary>The configuration section: <c>EasyConnect:KeyEncryption</c>.</summary>
    public const string SectionName = "EasyConnect:KeyEncryption";

    /// <summary>The default certificate file, relative to the app's content root, beside (never inside) the embedded database.</summary>
    public const string DefaultCertificatePath = "App_Data/keys/key-encryption.pfx";

    /// <summary>
    /// The PKCS#12 (.pfx) file with the certificate and its private key. Made on the first start when absent (a self-signed RSA
    /// certificate, readable by the app's OS user only). Several servers sharing one database must be given the same file.
    /// </summary>
    [Required]
    public string CertificatePath { get; set; } = DefaultCertificatePath;

    /// <summary>The file's password; none for a file EasyConnect made.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Earlier certificate files, still able to decrypt keys they protected (after a certificate was replaced).</summary>
    public List<string> PreviousCertificatePaths { get; set; } = [];
}

/// <summary>Loads the key-encryption certificate, or makes it on the first start.</summary>
public static class KeyEncryptionCertificate
{
    /// <summary>
    /// The certificates of <paramref name="options"/> (relative paths from <paramref name="contentRoot"/>); the current one is made
    /// when its file does not exist.
    /// </summary>
    /// <exception cref="InvalidOperationException">A file exists but cannot be read as a certificate with a private key.</exception>
    public static KeyEncryptionCertificates LoadOrCreate(KeyEncryptionOptions options, string contentRoot, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = Path.GetFullPath(Path.Combine(contentRoot, options.CertificatePath));
        var created = false;
        if (!File.Exists(path))
        {
            Create(path, options.CertificatePassword, clock);
            created = true;
        }

        var current = Load(path, options.CertificatePassword);
        var previous = options.PreviousCertificatePaths.Select(p => Load(Path.GetFullPath(Path.Combine(contentRoot, p)), options.CertificatePassword));
        return new KeyEncryptionCertificates(current, [current, .. previous], path, created);
    }

    /// <summary>The certificate at <paramref name="path"/>; it must exist.</summary>
    public static X509Certificate2 Load(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException(
                $"The key-encryption certificate {path} cannot be read ({e.Message.TrimEnd('.')}): check the file and EasyConnect:KeyEncryption:CertificatePassword.", e);
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"The key-encryption certificate {path} has no private key: give EasyConnect the .pfx file with its key.");
        }

        return certificate;
    }

    private static void Create(string path, string? password, TimeProvider clock)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=EasyConnect key encryption", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        var now = clock.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(100));
        var bytes = certificate.Export(X509ContentType.Pkcs12, password);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // Written aside and moved into place, so a second process starting at the same moment reads a whole file or makes its own.
        var partial = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        using (var file = new FileStream(partial, options))
        {
            file.Write(bytes);
        }

        try
        {
            File.Move(partial, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made the file first: use theirs.
            File.Delete(partial);
        }
    }
}

/// <summary>The key-encryption certificates in use: <see cref="Current"/> encrypts new keys; <see cref="All"/> decrypt.</summary>
/// <param name="Path">The current certificate's file.</param>
/// <param name="Created">True when this start made the file.</param>
public sealed record KeyEncryptionCertificates(X509Certificate2 Current, IReadOnlyList<X509Certificate2> All, string Path, bool Created);

/// <summary>
/// Says at start-up what an operator must know of the key-encryption certificate: that it was just made (back it up), or that
/// keys in the key ring cannot be decrypted with it (the file was lost or replaced: stored PSA and portal keys must be entered again).
/// </summary>
internal sealed partial class KeyEncryptionReport(KeyEncryptionCertificates certificates, IKeyManager keys, ILogger<KeyEncryptionReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (certificates.Created)
        {
            LogCreated(logger, certificates.Path);
        }

        var unreadable = 0;
        var all = 0;
        foreach (var key in keys.GetAllKeys())
        {
            all++;
            try
            {
                _ = key.Descriptor;
            }
            catch (CryptographicException)
            {
                unreadable++;
            }
        }

        if (unreadable > 0)
        {
            LogUnreadable(logger, unreadable, all, certificates.Path);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Made the key-encryption certificate {Path}: back it up apart from the database (docs/operations.md, Backups and keys)")]
    private static partial void LogCreated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Unreadable} of {All} Data Protection keys cannot be decrypted with the key-encryption certificate {Path}: it is not the certificate they were saved with. Stored PSA and portal keys must be entered again on the Integration page, and everyone signs in again")]
    private static partial void LogUnreadable(ILogger logger, int unreadable, int all, string path);
}

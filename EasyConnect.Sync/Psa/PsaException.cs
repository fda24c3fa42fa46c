using EasyConnect.Sync.Http;

namespace EasyConnect.Sync.Psa;

/// <summary>
/// A failed PSA call; its <see cref="RemoteServiceException.Kind"/> says why in terms an admin can act on (for a PSA:
/// <see cref="RemoteErrorKind.AuthenticationFailed"/> means wrong keys, company id or client id;
/// <see cref="RemoteErrorKind.PermissionMissing"/> a security role that lacks a permission). The message is written for the admin
/// and never contains a secret.
/// </summary>
public sealed class PsaException : RemoteServiceException
{
    /// <summary>A failure of kind <paramref name="kind"/>; <paramref name="message"/> is for the admin.</summary>
    public PsaException(RemoteErrorKind kind, string message, string? field = null, int? statusCode = null, Exception? inner = null)
        : base(kind, "PSA", message, field, statusCode, inner)
    {
    }

    /// <summary>A failure mapped by the vendor HTTP kit.</summary>
    public PsaException(RemoteError error, Exception? inner)
        : base(error, "PSA", inner)
    {
    }
}

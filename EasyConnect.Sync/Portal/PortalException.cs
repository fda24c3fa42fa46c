using EasyConnect.Sync.Http;

namespace EasyConnect.Sync.Portal;

/// <summary>
/// A failed portal call; its <see cref="RemoteServiceException.Kind"/> says why (for the portal:
/// <see cref="RemoteErrorKind.AuthenticationFailed"/> means a wrong email, API token or OAuth token;
/// <see cref="RemoteErrorKind.PermissionMissing"/> a user who lacks a permission, such as the incremental export's admin role).
/// The message is written for the admin and never contains a token.
/// </summary>
public sealed class PortalException : RemoteServiceException
{
    /// <summary>A failure of kind <paramref name="kind"/>; <paramref name="message"/> is for the admin.</summary>
    public PortalException(RemoteErrorKind kind, string message, string? field = null, int? statusCode = null, Exception? inner = null)
        : base(kind, "portal", message, field, statusCode, inner)
    {
    }

    /// <summary>A failure mapped by the vendor HTTP kit.</summary>
    public PortalException(RemoteError error, Exception? inner)
        : base(error, "portal", inner)
    {
    }
}

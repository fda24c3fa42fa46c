using EasyConnect.Sync.Http;

namespace EasyConnect.Sync.Portal;

/// <summary>Why a portal call failed, in terms an admin can act on.</summary>
public enum PortalErrorKind
{
    /// <summary>The credentials were refused (wrong email, API token or OAuth token).</summary>
    AuthenticationFailed = (int)RemoteErrorKind.AuthenticationFailed,

    /// <summary>The user lacks a permission (for example, the incremental export needs an admin).</summary>
    PermissionMissing = (int)RemoteErrorKind.PermissionMissing,

    /// <summary>The portal refused the data; <see cref="RemoteServiceException.Field"/> says which field when known.</summary>
    ValidationFailed = (int)RemoteErrorKind.ValidationFailed,

    /// <summary>The record does not exist.</summary>
    NotFound = (int)RemoteErrorKind.NotFound,

    /// <summary>Too many requests; retried automatically until the retries ran out.</summary>
    Throttled = (int)RemoteErrorKind.Throttled,

    /// <summary>The portal could not be reached or answered with a server error.</summary>
    Unavailable = (int)RemoteErrorKind.Unavailable,

    /// <summary>No answer in time. The request may still have been applied: reconcile before repeating a write.</summary>
    Timeout = (int)RemoteErrorKind.Timeout,
}

/// <summary>A failed portal call. The message is written for the admin and never contains a token.</summary>
public sealed class PortalException : RemoteServiceException
{
    /// <summary>A failure of kind <paramref name="kind"/>; <paramref name="message"/> is for the admin.</summary>
    public PortalException(PortalErrorKind kind, string message, string? field = null, int? statusCode = null, Exception? inner = null)
        : base((RemoteErrorKind)kind, "portal", message, field, statusCode, inner)
    {
    }

    /// <summary>A failure mapped by the vendor HTTP kit.</summary>
    public PortalException(RemoteError error, Exception? inner)
        : base((error ?? throw new ArgumentNullException(nameof(error))).Kind, "portal", error.Message, error.Field, error.StatusCode, inner)
    {
    }

    /// <summary>What went wrong.</summary>
    public PortalErrorKind Kind => (PortalErrorKind)ErrorKind;
}

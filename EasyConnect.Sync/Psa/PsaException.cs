using EasyConnect.Sync.Http;

namespace EasyConnect.Sync.Psa;

/// <summary>Why a PSA call failed, in terms an admin can act on.</summary>
public enum PsaErrorKind
{
    /// <summary>The credentials were refused (wrong keys, company id or client id).</summary>
    AuthenticationFailed = (int)RemoteErrorKind.AuthenticationFailed,

    /// <summary>The API member lacks a permission (security role).</summary>
    PermissionMissing = (int)RemoteErrorKind.PermissionMissing,

    /// <summary>The PSA refused the data; <see cref="RemoteServiceException.Field"/> says which field when known.</summary>
    ValidationFailed = (int)RemoteErrorKind.ValidationFailed,

    /// <summary>The record does not exist.</summary>
    NotFound = (int)RemoteErrorKind.NotFound,

    /// <summary>Too many requests; retried automatically until the retries ran out.</summary>
    Throttled = (int)RemoteErrorKind.Throttled,

    /// <summary>The PSA could not be reached or answered with a server error.</summary>
    Unavailable = (int)RemoteErrorKind.Unavailable,

    /// <summary>No answer in time. The request may still have been applied: reconcile before repeating a write.</summary>
    Timeout = (int)RemoteErrorKind.Timeout,
}

/// <summary>A failed PSA call. The message is written for the admin and never contains a secret.</summary>
public sealed class PsaException : RemoteServiceException
{
    /// <summary>A failure of kind <paramref name="kind"/>; <paramref name="message"/> is for the admin.</summary>
    public PsaException(PsaErrorKind kind, string message, string? field = null, int? statusCode = null, Exception? inner = null)
        : base((RemoteErrorKind)kind, "PSA", message, field, statusCode, inner)
    {
    }

    /// <summary>A failure mapped by the vendor HTTP kit.</summary>
    public PsaException(RemoteError error, Exception? inner)
        : base((error ?? throw new ArgumentNullException(nameof(error))).Kind, "PSA", error.Message, error.Field, error.StatusCode, inner)
    {
    }

    /// <summary>What went wrong.</summary>
    public PsaErrorKind Kind => (PsaErrorKind)ErrorKind;
}

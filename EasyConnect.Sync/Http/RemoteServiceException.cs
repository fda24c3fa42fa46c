namespace EasyConnect.Sync.Http;

/// <summary>Why a call to a vendor (a PSA or the portal) failed, in terms an admin can act on. Shared by every vendor.</summary>
public enum RemoteErrorKind
{
    /// <summary>The credentials were refused.</summary>
    AuthenticationFailed,

    /// <summary>The API user lacks a permission.</summary>
    PermissionMissing,

    /// <summary>The vendor refused the data; <see cref="RemoteServiceException.Field"/> says which field when known.</summary>
    ValidationFailed,

    /// <summary>The record does not exist.</summary>
    NotFound,

    /// <summary>Too many requests; retried automatically until the retries ran out.</summary>
    Throttled,

    /// <summary>The vendor could not be reached or answered with a server error.</summary>
    Unavailable,

    /// <summary>No answer in time. The request may still have been applied: reconcile before repeating a write.</summary>
    Timeout,
}

/// <summary>A failed vendor call. The message is written for the admin and never contains a secret.</summary>
public abstract class RemoteServiceException(RemoteErrorKind kind, string vendor, string message, string? field, int? statusCode, Exception? inner)
    : Exception(message, inner)
{
    /// <summary>A failure the kit mapped, for <paramref name="vendor"/>.</summary>
    protected RemoteServiceException(RemoteError error, string vendor, Exception? inner)
        : this((error ?? throw new ArgumentNullException(nameof(error))).Kind, vendor, error.Message, error.Field, error.StatusCode, inner)
    {
    }

    /// <summary>What went wrong.</summary>
    public RemoteErrorKind Kind { get; } = kind;

    /// <summary>Which vendor failed ("ConnectWise", "Zendesk").</summary>
    public string Vendor { get; } = vendor;

    /// <summary>The field the vendor named, for validation errors.</summary>
    public string? Field { get; } = field;

    /// <summary>The HTTP status, when there was one.</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>Whether repeating the same call later may succeed.</summary>
    public bool IsTransient => Kind is RemoteErrorKind.Throttled or RemoteErrorKind.Unavailable or RemoteErrorKind.Timeout;
}

/// <summary>What a call was for, to word its errors: the action, the permission it needs if any, and whether it writes.</summary>
public record RemoteOperation(string What, string? Permission, bool Write);

/// <summary>A mapped failure, before the vendor wraps it in its own exception type.</summary>
public sealed record RemoteError(RemoteErrorKind Kind, string Message, string? Field = null, int? StatusCode = null);

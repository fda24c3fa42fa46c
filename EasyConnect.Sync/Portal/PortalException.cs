namespace EasyConnect.Sync.Portal;

/// <summary>Why a portal call failed, in terms an admin can act on.</summary>
public enum PortalErrorKind
{
    /// <summary>The credentials were refused (wrong email, API token or OAuth token).</summary>
    AuthenticationFailed,

    /// <summary>The user lacks a permission (for example, the incremental export needs an admin).</summary>
    PermissionMissing,

    /// <summary>The portal refused the data; <see cref="PortalException.Field"/> says which field when known.</summary>
    ValidationFailed,

    /// <summary>The record does not exist.</summary>
    NotFound,

    /// <summary>Too many requests; retried automatically until the retries ran out.</summary>
    Throttled,

    /// <summary>The portal could not be reached or answered with a server error.</summary>
    Unavailable,

    /// <summary>No answer in time. The request may still have been applied: reconcile before repeating a write.</summary>
    Timeout,
}

/// <summary>A failed portal call. The message is written for the admin and never contains a token.</summary>
public sealed class PortalException(PortalErrorKind kind, string message, string? field = null, int? statusCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>What went wrong.</summary>
    public PortalErrorKind Kind { get; } = kind;

    /// <summary>The field the portal named, for validation errors.</summary>
    public string? Field { get; } = field;

    /// <summary>The HTTP status, when there was one.</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>Whether repeating the same call later may succeed.</summary>
    public bool IsTransient => Kind is PortalErrorKind.Throttled or PortalErrorKind.Unavailable or PortalErrorKind.Timeout;
}

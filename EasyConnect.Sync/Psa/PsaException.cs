namespace EasyConnect.Sync.Psa;

/// <summary>Why a PSA call failed, in terms an admin can act on.</summary>
public enum PsaErrorKind
{
    /// <summary>The credentials were refused (wrong keys, company id or client id).</summary>
    AuthenticationFailed,

    /// <summary>The API member lacks a permission (security role).</summary>
    PermissionMissing,

    /// <summary>The PSA refused the data; <see cref="PsaException.Field"/> says which field when known.</summary>
    ValidationFailed,

    /// <summary>The record does not exist.</summary>
    NotFound,

    /// <summary>Too many requests; retried automatically until the retries ran out.</summary>
    Throttled,

    /// <summary>The PSA could not be reached or answered with a server error.</summary>
    Unavailable,

    /// <summary>No answer in time. The request may still have been applied: reconcile before repeating a write.</summary>
    Timeout,
}

/// <summary>A failed PSA call. The message is written for the admin and never contains a secret.</summary>
public sealed class PsaException(PsaErrorKind kind, string message, string? field = null, int? statusCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>What went wrong.</summary>
    public PsaErrorKind Kind { get; } = kind;

    /// <summary>The field the PSA named, for validation errors.</summary>
    public string? Field { get; } = field;

    /// <summary>The HTTP status, when there was one.</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>Whether repeating the same call later may succeed.</summary>
    public bool IsTransient => Kind is PsaErrorKind.Throttled or PsaErrorKind.Unavailable or PsaErrorKind.Timeout;
}

using System.Security.Cryptography;

namespace EasyConnect.Sync.Sandbox.Halo;

/// <summary>Halo's auth server and its throttle: client-credential tokens that expire, and requests per rolling window.</summary>
public sealed partial class HaloSandboxState
{
    private readonly Dictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _window = new();
    private DateTimeOffset _coolOffUntil = DateTimeOffset.MinValue;

    /// <summary>Requests refused with a 429 since start.</summary>
    public int Throttled { get; private set; }

    /// <summary>Requests counted in the current rolling window.</summary>
    public int RequestsInWindow
    {
        get
        {
            lock (_gate)
            {
                Expire(_time.GetUtcNow());
                return _window.Count;
            }
        }
    }

    /// <summary>
    /// The client-credentials grant: checks the tenant (hosted instances), the grant type, the client and the scope, and issues a
    /// token for the API agent that lives <see cref="HaloSandboxOptions.TokenLifetime"/>. Throws <see cref="HaloTokenError"/> when refused.
    /// </summary>
    internal HaloSandboxToken IssueToken(string? tenant, string? grantType, string? clientId, string? clientSecret, string? scope)
    {
        if (Options.Tenant.Length > 0 && !string.Equals(tenant, Options.Tenant, StringComparison.OrdinalIgnoreCase))
        {
            throw new HaloTokenError("invalid_request", tenant is null ? "A tenant is required for this instance." : $"Tenant {tenant} is unknown.");
        }

        if (grantType != "client_credentials")
        {
            throw new HaloTokenError("unsupported_grant_type", null);
        }

        if (clientId != Options.ClientId || clientSecret != Options.ClientSecret)
        {
            throw new HaloTokenError("invalid_client", null);
        }

        var scopes = (scope ?? "all").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (scopes.Length == 0 || scopes.Any(s => s != "all" && !s.StartsWith("read:", StringComparison.Ordinal) && !s.StartsWith("edit:", StringComparison.Ordinal)))
        {
            throw new HaloTokenError("invalid_scope", null);
        }

        var now = _time.GetUtcNow();
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        lock (_gate)
        {
            foreach (var expired in _tokens.Where(t => t.Value.ExpiresAt <= now).Select(t => t.Key).ToList())
            {
                _tokens.Remove(expired);
            }

            _tokens[token] = new IssuedToken(ApiAgentId, now + Options.TokenLifetime, string.Join(' ', scopes));
        }

        return new HaloSandboxToken(token, (int)Options.TokenLifetime.TotalSeconds, string.Join(' ', scopes));
    }

    /// <summary>The agent a bearer token acts as and its scope, or null when it is unknown or expired.</summary>
    internal (long AgentId, string Scope)? Authenticate(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        lock (_gate)
        {
            return _tokens.TryGetValue(token, out var issued) && issued.ExpiresAt > _time.GetUtcNow() ? (issued.AgentId, issued.Scope) : null;
        }
    }

    /// <summary>
    /// Counts a request against the rolling window. Null lets it through; a time says how long the caller must wait: once the limit
    /// is reached Halo refuses everything for the whole cool-off, however the window moves meanwhile.
    /// </summary>
    internal TimeSpan? CountRequest()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (now < _coolOffUntil)
            {
                Throttled++;
                return _coolOffUntil - now;
            }

            Expire(now);
            if (_window.Count >= Options.RateLimit)
            {
                _coolOffUntil = now + Options.CoolOff;
                Throttled++;
                return Options.CoolOff;
            }

            _window.Enqueue(now);
            return null;
        }
    }

    private void Expire(DateTimeOffset now)
    {
        while (_window.Count > 0 && _window.Peek() <= now - Options.RateWindow)
        {
            _window.Dequeue();
        }
    }

    private sealed record IssuedToken(long AgentId, DateTimeOffset ExpiresAt, string Scope);
}

/// <summary>An access token as Halo's auth server answers it.</summary>
internal sealed record HaloSandboxToken(string AccessToken, int ExpiresIn, string Scope);

/// <summary>A refused token request, answered as an OAuth2 error (<c>{"error": …}</c>, 400).</summary>
internal sealed class HaloTokenError(string error, string? description) : Exception(description ?? error)
{
    public string Error { get; } = error;

    public string? Description { get; } = description;
}

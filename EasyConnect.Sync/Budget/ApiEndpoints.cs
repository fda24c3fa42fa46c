namespace EasyConnect.Sync.Budget;

/// <summary>
/// Names the endpoint a request counts against where a PSA limits requests in flight per endpoint. A product whose
/// counting differs from the plain path (Autotask counts per entity) supplies its own in its <see cref="ApiBudgetLimits"/>.
/// </summary>
public interface IApiEndpointResolver
{
    /// <summary>The endpoint <paramref name="request"/> counts against, or null when the PSA does not limit it.</summary>
    string? EndpointOf(HttpRequestMessage request);
}

/// <summary>The default: a request's path with its numeric ids left out, so every record of one collection shares a limit.</summary>
public sealed class PathEndpoints : IApiEndpointResolver
{
    /// <summary>The one instance.</summary>
    public static PathEndpoints Instance { get; } = new();

    private PathEndpoints()
    {
    }

    /// <inheritdoc />
    public string? EndpointOf(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var segments = (request.RequestUri?.AbsolutePath ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('/', segments.Where(s => !s.All(char.IsAsciiDigit)));
    }
}

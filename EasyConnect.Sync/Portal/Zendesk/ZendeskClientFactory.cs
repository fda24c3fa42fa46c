using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using EasyConnect.Sync.Http;
using Microsoft.Extensions.Options;
using Refit;

namespace EasyConnect.Sync.Portal.Zendesk;

/// <summary>Makes Zendesk clients over the app's <see cref="IHttpClientFactory"/> pipeline (resilience, request counting, export rate limit).</summary>
public sealed class ZendeskClientFactory(IHttpMessageHandlerFactory handlers, IOptionsMonitor<ZendeskOptions> options, TimeProvider timeProvider)
{
    /// <summary>The name of the HttpClient pipeline every Zendesk client uses.</summary>
    public const string HttpClientName = "EasyConnect.Zendesk";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Zendesk sends some numbers and booleans as strings; EasyConnect reads both forms rather than fail a whole page.
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new ZdLenientBooleanConverter() },
    };

    private static readonly RefitSettings Refit = new(new SystemTextJsonContentSerializer(Json));

    // Zendesk's export limit is per account, so every client of one account shares one limiter.
    private readonly ConcurrentDictionary<string, RateLimiter> _exportLimiters = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Builds a client for one connection; refuses settings that cannot work with a <see cref="PortalException"/> (ValidationFailed).</summary>
    public IPortalClient Create(ZendeskConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var baseUrl = Validate(settings);
        var current = options.CurrentValue;
        var limiter = _exportLimiters.GetOrAdd(baseUrl.AbsoluteUri, _ => new ZendeskExportPace(current.ExportRequestsPerWindow, current.ExportRateWindow, timeProvider));
        var counter = new ApiCallCounter();
        var http = VendorClients.Create(handlers, HttpClientName, counter, gate: null, baseUrl,
            inner => new ZendeskAuthHandler(settings) { InnerHandler = new ZendeskExportHandler(limiter) { InnerHandler = inner } });
        return new ZendeskClient(settings, baseUrl, current, RestService.For<IZendeskApi>(http, Refit), counter, timeProvider);
    }

    private static Uri Validate(ZendeskConnectionSettings settings)
    {
        var text = settings.BaseUrl?.Trim() ?? "";
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
        {
            throw new PortalException(RemoteErrorKind.ValidationFailed,
                $"\"{settings.BaseUrl?.Trim()}\" is not a portal address. Enter it as https://host, such as https://yourcompany.zendesk.com.", "baseUrl");
        }

        if (string.IsNullOrWhiteSpace(settings.OAuthToken) && (string.IsNullOrWhiteSpace(settings.Email) || string.IsNullOrWhiteSpace(settings.ApiToken)))
        {
            throw new PortalException(RemoteErrorKind.ValidationFailed, "Zendesk needs the agent's email and an API token (or an OAuth token).", "apiToken");
        }

        // The API paths are appended to the address, which must therefore not end in /api/v2 or a slash.
        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api/v2", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^"/api/v2".Length];
        }

        return new UriBuilder(uri.Scheme, uri.Host, uri.Port, path).Uri;
    }
}

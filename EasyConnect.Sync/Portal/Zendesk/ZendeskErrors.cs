using System.Net;
using System.Text.Json;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Portal.Zendesk.Dtos;
using Polly.RateLimiting;
using Polly.Timeout;
using Refit;

namespace EasyConnect.Sync.Portal.Zendesk;

/// <summary>Zendesk's failures in the words of <see cref="PortalException"/>: its status codes, its error bodies, and what never got an answer.</summary>
internal static class ZendeskErrors
{
    private const string PortalAddress = "portal address";

    public const string AuthenticationMessage =
        "Zendesk refused the credentials: check the agent email and API token (Admin Center > Apps and integrations > Zendesk API), and that token access is enabled.";

    /// <summary>Turns whatever went wrong into a <see cref="PortalException"/> with a message an MSP admin can act on; never quotes a token.</summary>
    public static PortalException Map(ZdOperation op, Exception e)
    {
        var mayBeApplied = op.Write ? " It may still have been applied." : "";
        switch (e)
        {
            case ApiRequestException { InnerException: { } inner }:
                // Refit wraps failures that happened before any answer (network, timeouts) in ApiRequestException.
                return Map(op, inner);
            case ApiException api:
                var status = (int)api.StatusCode;
                if (status is >= 200 and < 300)
                {
                    var field = api.InnerException is JsonException json ? ZdJsonErrors.Field(json) : "";
                    return new(PortalErrorKind.Unavailable, $"Zendesk answered the request to {op.What} with something EasyConnect cannot read{field}.", statusCode: status, inner: e);
                }

                var body = ReadError(api.Content);
                return api.StatusCode switch
                {
                    HttpStatusCode.Unauthorized => new(PortalErrorKind.AuthenticationFailed, AuthenticationMessage, statusCode: status, inner: e),
                    HttpStatusCode.Forbidden => new(PortalErrorKind.PermissionMissing,
                        $"The Zendesk user may not {op.What}{(op.Permission is null ? "" : $": it needs {op.Permission}")}.", statusCode: status, inner: e),
                    HttpStatusCode.NotFound => new(PortalErrorKind.NotFound, $"Zendesk could not {op.What}: not found.", statusCode: status, inner: e),
                    // A refused safe update: someone changed the ticket at the same moment; nothing was applied.
                    HttpStatusCode.Conflict => new(PortalErrorKind.Unavailable,
                        $"The ticket changed in Zendesk while EasyConnect tried to {op.What}; nothing was applied and it is tried again.", statusCode: status, inner: e),
                    HttpStatusCode.TooManyRequests => new(PortalErrorKind.Throttled,
                        "Zendesk is throttling EasyConnect (too many requests) and still was after the retries; it will be tried again on the next run.", statusCode: status, inner: e),
                    HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => new(PortalErrorKind.Timeout,
                        $"Zendesk did not answer in time while trying to {op.What}.{mayBeApplied}", statusCode: status, inner: e),
                    _ when status >= 500 => new(PortalErrorKind.Unavailable,
                        $"Zendesk had a server error ({status}) while trying to {op.What}; it will be tried again.", statusCode: status, inner: e),
                    _ => new(PortalErrorKind.ValidationFailed, $"Zendesk refused to {op.What}: {Describe(body)}", body?.Details?.Keys.FirstOrDefault(), status, e),
                };
            case RateLimiterRejectedException:
                return new(PortalErrorKind.Throttled, $"Too many requests to {op.What} are waiting for Zendesk's rate limit; it will be tried again on the next run.", inner: e);
            case TimeoutRejectedException or OperationCanceledException:
                return new(PortalErrorKind.Timeout, $"Zendesk did not answer in time while trying to {op.What}.{mayBeApplied} " +
                    "If it persists, check the portal address, and that no firewall or proxy holds the connection.", inner: e);
            case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError } request:
                return new(PortalErrorKind.Unavailable, $"Zendesk could not be reached to {op.What}: {NetworkErrors.Describe(request, PortalAddress)}", inner: e);
            case HttpRequestException when op.Write:
                // The request went out and the connection broke before the answer: like a timeout, the write may have been applied.
                return new(PortalErrorKind.Timeout, $"The connection to Zendesk broke while trying to {op.What}.{mayBeApplied}", inner: e);
            case HttpRequestException request:
                return new(PortalErrorKind.Unavailable, $"Zendesk could not be reached to {op.What}: {NetworkErrors.Describe(request, PortalAddress)}", inner: e);
            case JsonException json:
                return new(PortalErrorKind.Unavailable, $"Zendesk answered the request to {op.What} with something EasyConnect cannot read{ZdJsonErrors.Field(json)}.", inner: e);
            default:
                return new(PortalErrorKind.Unavailable, $"Zendesk could not {op.What}: {e.Message}", inner: e);
        }
    }

    private static string Describe(ZdError? body)
    {
        if (body is null)
        {
            return "no reason given.";
        }

        var details = body.Details?.SelectMany(d => d.Value.Select(v => v.Description ?? v.Error ?? d.Key))
            .Where(d => !string.IsNullOrWhiteSpace(d)).ToList() ?? [];
        if (details.Count > 0)
        {
            return string.Join("; ", details) + ".";
        }

        var error = body.Error.ValueKind switch
        {
            JsonValueKind.String => body.Error.GetString(),
            JsonValueKind.Object when body.Error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String => m.GetString(),
            _ => null,
        };
        return (body.Description ?? error ?? "no reason given").TrimEnd('.') + ".";
    }

    private static ZdError? ReadError(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ZdError>(content, ZendeskClientFactory.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>What a call was for, to word its errors: the action, the permission it needs if any, and whether it is a write that must not be repeated blindly.</summary>
internal sealed record ZdOperation(string What, string? Permission, bool Write);

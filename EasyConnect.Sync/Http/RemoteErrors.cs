using System.Net;
using System.Text.Json;
using EasyConnect.Sync.Connections;
using Polly.RateLimiting;
using Polly.Timeout;
using Refit;

namespace EasyConnect.Sync.Http;

/// <summary>
/// Turns whatever went wrong in a vendor call into a <see cref="RemoteError"/> worded for an MSP admin. The rules that are the same
/// for every vendor (timeouts, lost connections, throttling, server errors) live here; a vendor overrides what its answers say.
/// </summary>
public abstract class RemoteErrors(string vendor, string addressName)
{
    /// <summary>The vendor's name as the admin knows it.</summary>
    protected string Vendor { get; } = vendor;

    /// <summary>Maps <paramref name="e"/>; never quotes a key or token.</summary>
    public RemoteError Map(RemoteOperation op, Exception e)
    {
        ArgumentNullException.ThrowIfNull(op);
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
                    // Refit reports a body it could not deserialise as an ApiException with the 2xx status and the JsonException inside.
                    return Unreadable($"{Vendor} answered the request to {op.What} with something EasyConnect cannot read", JsonIn(e), status);
                }

                return Answer(op, api, status) ?? api.StatusCode switch
                {
                    HttpStatusCode.TooManyRequests => new(RemoteErrorKind.Throttled,
                        $"{Vendor} is throttling EasyConnect (too many requests) and still was after the retries; it will be tried again on the next run.", StatusCode: status),
                    HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => new(RemoteErrorKind.Timeout,
                        $"{Vendor} did not answer in time while trying to {op.What}.{mayBeApplied}", StatusCode: status),
                    _ when status >= 500 => new(RemoteErrorKind.Unavailable,
                        $"{Vendor} had a server error ({status}) while trying to {op.What}; it will be tried again.", StatusCode: status),
                    HttpStatusCode.NotFound => new(RemoteErrorKind.NotFound, $"{Vendor} could not {op.What}: not found.", StatusCode: status),
                    _ => new(RemoteErrorKind.ValidationFailed, $"{Vendor} refused to {op.What} ({status}).", StatusCode: status),
                };
            case RateLimiterRejectedException:
                return new(RemoteErrorKind.Throttled, $"Too many requests to {op.What} are waiting for {Vendor}'s rate limit; it will be tried again on the next run.");
            case TimeoutRejectedException or OperationCanceledException:
                return new(RemoteErrorKind.Timeout, $"{Vendor} did not answer in time while trying to {op.What}.{mayBeApplied} " +
                    $"If it persists, check the {addressName}, and that no firewall or proxy holds the connection.");
            case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError } request:
                return new(RemoteErrorKind.Unavailable, $"{Vendor} could not be reached to {op.What}: {NetworkErrors.Describe(request, addressName)}");
            case HttpRequestException when op.Write:
                // The request went out and the connection broke before the answer: like a timeout, the write may have been applied.
                return new(RemoteErrorKind.Timeout, $"The connection to {Vendor} broke while trying to {op.What}; it may still have been applied.");
            case HttpRequestException request:
                return new(RemoteErrorKind.Unavailable, $"{Vendor} could not be reached to {op.What}: {NetworkErrors.Describe(request, addressName)}");
            case JsonException json:
                return Unreadable($"{Vendor} answered the request to {op.What} with something EasyConnect cannot read", json, null);
            default:
                return new(RemoteErrorKind.Unavailable, $"{Vendor} could not {op.What}: {e.Message}");
        }
    }

    /// <summary>What the vendor's own answer (a 3xx or 4xx, its error body) says; null leaves it to the shared rules.</summary>
    protected abstract RemoteError? Answer(RemoteOperation op, ApiException api, int status);

    /// <summary>"… with something EasyConnect cannot read", naming the field when the vendor's JSON path says which.</summary>
    protected abstract RemoteError Unreadable(string lead, JsonException? json, int? status);

    /// <summary>
    /// A vendor's answer body read with the lenient settings (<see cref="VendorClients.Json"/> unless told otherwise); null when there
    /// is none or it is not the JSON expected, so an error is worded from its status instead.
    /// </summary>
    public static T? ReadBody<T>(string? content, JsonSerializerOptions? options = null) where T : class
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(content, options ?? VendorClients.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The JsonException somewhere inside <paramref name="e"/>, if any.</summary>
    public static JsonException? JsonIn(Exception e)
    {
        for (var inner = e?.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                return json;
            }
        }

        return null;
    }
}

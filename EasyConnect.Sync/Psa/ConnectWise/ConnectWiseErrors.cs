using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Psa.ConnectWise.Dtos;
using Polly.Timeout;
using Refit;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>What went wrong in a ConnectWise call, worded for the admin: statuses, error bodies, unreadable answers.</summary>
internal static class ConnectWiseErrors
{
    private const string SiteAddress = "site address";

    /// <summary>Turns whatever went wrong into a <see cref="PsaException"/> with a message an MSP admin can act on; never quotes a key.</summary>
    internal static PsaException Map(CwOperation op, Exception e, CancellationToken cancellationToken)
    {
        switch (e)
        {
            case ApiRequestException { InnerException: { } inner }:
                // Refit wraps failures that happened before any answer (network, timeouts) in ApiRequestException.
                return Map(op, inner, cancellationToken);
            case ApiException api:
                var status = (int)api.StatusCode;
                if (status is >= 200 and < 300)
                {
                    // Refit reports a body it could not deserialise as an ApiException with the 2xx status and the JsonException inside.
                    return Unreadable($"ConnectWise answered the request to {op.What} with something EasyConnect cannot read", Unreadable(e), status, e);
                }

                if (status is >= 300 and < 400)
                {
                    var location = api.Headers.Location?.ToString();
                    return new(PsaErrorKind.Unavailable,
                        $"ConnectWise answered the request to {op.What} with a redirect ({status}{(location is null ? "" : " to " + location)}); " +
                        "EasyConnect does not follow redirects, which would drop its sign-in. ConnectWise may have moved to a new version: " +
                        "the next attempt looks the company up again. If it persists, check the site address.", statusCode: status, inner: e);
                }

                var body = ReadError(api.Content);
                var detail = body?.Errors?.FirstOrDefault();
                return api.StatusCode switch
                {
                    HttpStatusCode.Unauthorized => new(PsaErrorKind.AuthenticationFailed,
                        "ConnectWise refused the API keys: check the company id, public and private key, and client id.", statusCode: status, inner: e),
                    HttpStatusCode.Forbidden => new(PsaErrorKind.PermissionMissing,
                        $"The ConnectWise API member may not {op.What}: give its security role the permission \"{op.Permission}\".", statusCode: status, inner: e),
                    HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict => new(PsaErrorKind.ValidationFailed,
                        $"ConnectWise refused to {op.What}: {Describe(body)}", detail?.Field, status, e),
                    HttpStatusCode.NotFound => new(PsaErrorKind.NotFound,
                        $"ConnectWise could not {op.What}: {body?.Message ?? "not found"}.", statusCode: status, inner: e),
                    HttpStatusCode.TooManyRequests => new(PsaErrorKind.Throttled,
                        $"ConnectWise is throttling EasyConnect (too many requests) and still was after the retries; it will be tried again on the next run.", statusCode: status, inner: e),
                    HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => new(PsaErrorKind.Timeout,
                        $"ConnectWise did not answer in time while trying to {op.What}.{(op.Write ? " It may still have been applied." : "")}", statusCode: status, inner: e),
                    _ when status >= 500 => new(PsaErrorKind.Unavailable,
                        $"ConnectWise had a server error ({status}) while trying to {op.What}; it will be tried again.", statusCode: status, inner: e),
                    _ => new(PsaErrorKind.ValidationFailed, $"ConnectWise refused to {op.What} ({status}): {Describe(body)}", detail?.Field, status, e),
                };
            case TimeoutRejectedException or OperationCanceledException:
                return new(PsaErrorKind.Timeout,
                    $"ConnectWise did not answer in time while trying to {op.What}.{(op.Write ? " It may still have been applied." : "")} " +
                    "If it persists, check the site address, and that no firewall or proxy holds the connection.", inner: e);
            case HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError } request:
                return new(PsaErrorKind.Unavailable, $"ConnectWise could not be reached to {op.What}: {NetworkErrors.Describe(request, SiteAddress)}", inner: e);
            case HttpRequestException when op.Write:
                // The request went out and the connection broke before the answer: like a timeout, the write may have been applied.
                return new(PsaErrorKind.Timeout, $"The connection to ConnectWise broke while trying to {op.What}; it may still have been applied.", inner: e);
            case HttpRequestException request:
                return new(PsaErrorKind.Unavailable, $"ConnectWise could not be reached to {op.What}: {NetworkErrors.Describe(request, SiteAddress)}", inner: e);
            case JsonException json:
                return Unreadable($"ConnectWise answered the request to {op.What} with something EasyConnect cannot read", json, null, e);
            default:
                return new(PsaErrorKind.Unavailable, $"ConnectWise could not {op.What}: {e.Message}", inner: e);
        }
    }

    /// <summary>"ConnectWise answered … with something EasyConnect cannot read", naming the field when the JSON path is known.</summary>
    internal static PsaException Unreadable(string lead, JsonException? json, int? status, Exception inner)
    {
        var field = FieldOf(json);
        var message = field is null ? $"{lead}." : $"{lead}: the field \"{field}\" is not what ConnectWise documents.";
        return new(PsaErrorKind.Unavailable, message, field, status, inner);
    }

    internal static JsonException? Unreadable(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    /// <summary>The JSON path of the value that could not be read, without the root: "$.id" gives "id", "$[3].board.id" gives "board.id".</summary>
    internal static string? FieldOf(JsonException? json)
    {
        var path = json?.Path;
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var field = Regex.Replace(path.TrimStart('$'), @"^\[\d+\]", "").TrimStart('.');
        return field.Length == 0 ? null : field;
    }

    internal static string Describe(CwError? body)
    {
        if (body is null)
        {
            return "no reason given.";
        }

        var details = body.Errors?.Where(d => !string.IsNullOrWhiteSpace(d.Message))
            .Select(d => string.IsNullOrWhiteSpace(d.Field) ? d.Message! : $"{d.Message} (field {d.Field})").ToList() ?? [];
        return details.Count > 0 ? string.Join("; ", details) + "." : (body.Message ?? "no reason given") + ".";
    }

    internal static CwError? ReadError(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<CwError>(content, ConnectWiseClientFactory.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa.ConnectWise.Dtos;
using Refit;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>What ConnectWise's answers say, worded for the admin: statuses, error bodies, unreadable answers. The shared rules are the kit's.</summary>
internal sealed class ConnectWiseErrors() : RemoteErrors("ConnectWise", "site address")
{
    private static readonly ConnectWiseErrors Instance = new();

    /// <summary>Turns whatever went wrong into a <see cref="PsaException"/> with a message an MSP admin can act on; never quotes a key.</summary>
    internal static PsaException Map(CwOperation op, Exception e, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        return new(Instance.Map(op, e), e is ApiRequestException { InnerException: { } inner } ? inner : e);
    }

    /// <summary>"ConnectWise answered … with something EasyConnect cannot read", naming the field when the JSON path is known.</summary>
    internal static PsaException Unreadable(string lead, JsonException? json, int? status, Exception inner) =>
        new(Instance.Unreadable(lead, json, status), inner);

    /// <inheritdoc />
    protected override RemoteError Unreadable(string lead, JsonException? json, int? status)
    {
        var field = FieldOf(json);
        var message = field is null ? $"{lead}." : $"{lead}: the field \"{field}\" is not what ConnectWise documents.";
        return new(RemoteErrorKind.Unavailable, message, field, status);
    }

    /// <inheritdoc />
    protected override RemoteError? Answer(RemoteOperation op, ApiException api, int status)
    {
        if (status is >= 300 and < 400)
        {
            var location = api.Headers.Location?.ToString();
            return new(RemoteErrorKind.Unavailable,
                $"ConnectWise answered the request to {op.What} with a redirect ({status}{(location is null ? "" : " to " + location)}); " +
                "EasyConnect does not follow redirects, which would drop its sign-in. ConnectWise may have moved to a new version: " +
                "the next attempt looks the company up again. If it persists, check the site address.", StatusCode: status);
        }

        var body = ReadBody<CwError>(api.Content);
        var detail = body?.Errors?.FirstOrDefault();
        return api.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new(RemoteErrorKind.AuthenticationFailed,
                "ConnectWise refused the API keys: check the company id, public and private key, and client id.", StatusCode: status),
            HttpStatusCode.Forbidden => new(RemoteErrorKind.PermissionMissing,
                $"The ConnectWise API member may not {op.What}: give its security role the permission \"{op.Permission}\".", StatusCode: status),
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict => new(RemoteErrorKind.ValidationFailed,
                $"ConnectWise refused to {op.What}: {Describe(body)}", detail?.Field, status),
            HttpStatusCode.NotFound => new(RemoteErrorKind.NotFound, $"ConnectWise could not {op.What}: {body?.Message ?? "not found"}.", StatusCode: status),
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => null,
            _ when status >= 500 => null,
            _ => new(RemoteErrorKind.ValidationFailed, $"ConnectWise refused to {op.What} ({status}): {Describe(body)}", detail?.Field, status),
        };
    }

    internal static JsonException? Unreadable(Exception e) => JsonIn(e);

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
}

/// <summary>What a call was for, to word its errors: the action, the security-role permission it needs, and whether it writes.</summary>
internal sealed record CwOperation : RemoteOperation
{
    public CwOperation(string what, string permission, bool write)
        : base(what, permission, write)
    {
    }
}

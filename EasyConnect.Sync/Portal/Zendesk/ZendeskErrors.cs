using System.Net;
using System.Text.Json;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Portal.Zendesk.Dtos;
using Refit;

namespace EasyConnect.Sync.Portal.Zendesk;

/// <summary>What Zendesk's answers say, in the words of <see cref="PortalException"/>: its status codes and error bodies. The shared rules are the kit's.</summary>
internal sealed class ZendeskErrors() : RemoteErrors("Zendesk", "portal address")
{
    public const string AuthenticationMessage =
        "Zendesk refused the credentials: check the agent email and API token (Admin Center > Apps and integrations > Zendesk API), and that token access is enabled.";

    private static readonly ZendeskErrors Instance = new();

    /// <summary>Turns whatever went wrong into a <see cref="PortalException"/> with a message an MSP admin can act on; never quotes a token.</summary>
    public static PortalException Map(ZdOperation op, Exception e) =>
        new(Instance.Map((RemoteOperation)op, e), e is ApiRequestException { InnerException: { } inner } ? inner : e);

    /// <inheritdoc />
    protected override RemoteError Unreadable(string lead, JsonException? json, int? status) =>
        new(RemoteErrorKind.Unavailable, $"{lead}{(json is null ? "" : ZdJsonErrors.Field(json))}.", StatusCode: status);

    /// <inheritdoc />
    protected override RemoteError? Answer(RemoteOperation op, ApiException api, int status)
    {
        var body = ReadBody<ZdError>(api.Content, ZendeskClientFactory.Json);
        return api.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new(RemoteErrorKind.AuthenticationFailed, AuthenticationMessage, StatusCode: status),
            HttpStatusCode.Forbidden => new(RemoteErrorKind.PermissionMissing,
                $"The Zendesk user may not {op.What}{(op.Permission is null ? "" : $": it needs {op.Permission}")}.", StatusCode: status),
            // A refused safe update: someone changed the ticket at the same moment; nothing was applied.
            HttpStatusCode.Conflict => new(RemoteErrorKind.Unavailable,
                $"The ticket changed in Zendesk while EasyConnect tried to {op.What}; nothing was applied and it is tried again.", StatusCode: status),
            HttpStatusCode.NotFound or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => null,
            _ when status >= 500 => null,
            _ => new(RemoteErrorKind.ValidationFailed, $"Zendesk refused to {op.What}: {Describe(body)}", body?.Details?.Keys.FirstOrDefault(), status),
        };
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
}

/// <summary>What a call was for, to word its errors: the action, the permission it needs if any, and whether it is a write that must not be repeated blindly.</summary>
internal sealed record ZdOperation : RemoteOperation
{
    public ZdOperation(string what, string? permission, bool write)
        : base(what, permission, write)
    {
    }
}

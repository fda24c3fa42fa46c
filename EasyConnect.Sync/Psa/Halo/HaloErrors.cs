using System.Net;
using System.Text.Json;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa.Halo.Dtos;
using Refit;

namespace EasyConnect.Sync.Psa.Halo;

/// <summary>What HaloPSA's answers say, worded for the admin. The shared rules (timeouts, network, 429, bare 5xx) are the kit's.</summary>
internal sealed class HaloErrors() : RemoteErrors("HaloPSA", "Halo address")
{
    private static readonly HaloErrors Instance = new();

    /// <summary>Turns whatever went wrong into a <see cref="PsaException"/>; never quotes the client secret or a token.</summary>
    internal static PsaException MapFailure(RemoteOperation op, Exception e) =>
        new(Instance.Map(op, e), e is ApiRequestException { InnerException: { } inner } ? inner : e);

    /// <summary>A 2xx whose body lacks what every such answer has: a failure, never "nothing there".</summary>
    internal static PsaException EmptyAnswer(RemoteOperation op, string missing) =>
        new(RemoteErrorKind.Unavailable, $"HaloPSA answered the request to {op.What} without {missing}; it will be tried again.");

    /// <summary>What a Halo error body says: a bare string, <c>{"message"}</c>, <c>{"error_description"}</c>, or ASP.NET's validation <c>{"errors": {field: [..]}}</c>.</summary>
    internal static string? Said(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(content);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.String)
            {
                return root.GetString();
            }

            if (root.ValueKind == JsonValueKind.Array)
            {
                return string.Join("; ", root.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : LenientJsonElement.Text(e, "message")).OfType<string>());
            }

            if (LenientJsonElement.Property(root, "errors") is { ValueKind: JsonValueKind.Object } errors)
            {
                return string.Join("; ", errors.EnumerateObject().SelectMany(p => p.Value.ValueKind == JsonValueKind.Array
                    ? p.Value.EnumerateArray().Select(m => $"{p.Name}: {m.GetString()}")
                    : [$"{p.Name}: {p.Value}"]));
            }

            return LenientJsonElement.Text(root, "message") ?? LenientJsonElement.Text(root, "error_description") ?? LenientJsonElement.Text(root, "error") ?? LenientJsonElement.Text(root, "title");
        }
        catch (JsonException)
        {
            // Halo answers some refusals with plain text; an HTML error page says nothing worth quoting.
            var text = content.Trim();
            return text.StartsWith('<') ? null : text.Length > 300 ? text[..300] + "…" : text;
        }
    }

    /// <summary>The field an ASP.NET validation body names, when it names exactly one.</summary>
    private static string? FieldIn(string? content)
    {
        try
        {
            using var doc = JsonDocument.Parse(content ?? "");
            return LenientJsonElement.Property(doc.RootElement, "errors") is { ValueKind: JsonValueKind.Object } errors && errors.EnumerateObject().Count() == 1
                ? errors.EnumerateObject().First().Name
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The token endpoint's refusal: wrong client ID or secret, or a tenant the auth server does not know.</summary>
    internal static PsaException TokenRefused(int status, string? content)
    {
        var error = ReadBody<HaloOAuthError>(content);
        var said = error?.Description ?? error?.Error ?? Said(content);
        var tail = said is null ? "" : $" ({said})";
        return new(RemoteErrorKind.AuthenticationFailed,
            $"HaloPSA refused the API application's client ID or secret: check them, and for an instance Halo hosts the tenant{tail}.", HaloProduct.ClientSecret, status);
    }

    /// <inheritdoc />
    protected override RemoteError Unreadable(string lead, JsonException? json, int? status)
    {
        var field = json?.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : null;
        return new(RemoteErrorKind.Unavailable, field is null ? $"{lead}." : $"{lead}: the field \"{field}\" is not what HaloPSA documents.", field, status);
    }

    /// <inheritdoc />
    protected override RemoteError? Answer(RemoteOperation op, ApiException api, int status)
    {
        var said = Said(api.Content);
        var text = said is null ? "" : $": {said}";
        return api.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new(RemoteErrorKind.AuthenticationFailed,
                "HaloPSA refused EasyConnect's sign-in even with a new token: check the API application's client ID and secret, and that it is active.", StatusCode: status),
            HttpStatusCode.Forbidden => new(RemoteErrorKind.PermissionMissing,
                $"The HaloPSA API application may not {op.What}: give it (and the agent it runs as) the permission \"{op.Permission}\"{text}.", StatusCode: status),
            HttpStatusCode.NotFound => new(RemoteErrorKind.NotFound, $"HaloPSA could not {op.What}: not found{text}.", StatusCode: status),
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => null,
            _ when status >= 500 => null,
            _ => new(RemoteErrorKind.ValidationFailed, $"HaloPSA refused to {op.What}{(said is null ? $" ({status})" : text)}.", FieldIn(api.Content), status),
        };
    }
}

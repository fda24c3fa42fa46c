using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa.Autotask.Dtos;
using Refit;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>What Autotask's answers say, worded for the admin. The shared rules (timeouts, network, 429, bare 5xx) are the kit's.</summary>
internal sealed partial class AutotaskErrors() : RemoteErrors("Autotask", "Autotask zone address")
{
    private static readonly AutotaskErrors Instance = new();

    /// <summary>Turns whatever went wrong into a <see cref="PsaException"/>; never quotes the secret or the integration code.</summary>
    internal static PsaException MapFailure(RemoteOperation op, Exception e) =>
        new(Instance.Map(op, e), e is ApiRequestException { InnerException: { } inner } ? inner : e);

    /// <summary>A 2xx whose body is empty or lacks what every such answer has: a failure, never "nothing there".</summary>
    internal static PsaException EmptyAnswer(RemoteOperation op, string missing) =>
        new(RemoteErrorKind.Unavailable, $"Autotask answered the request to {op.What} without {missing}; it will be tried again.");

    /// <summary>The messages of an Autotask error body (<c>{"errors": ["…"]}</c>), none when it is not one.</summary>
    internal static IReadOnlyList<string> Messages(string? content) =>
        ReadBody<AtError>(content)?.Errors?.Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => m.Trim()).ToList() ?? [];

    /// <summary>
    /// Whether a 500's messages are Autotask's considered answer (a refused record, wrong credentials), which the same request
    /// would get again, rather than an outage ("An unexpected error occurred"), which is worth repeating.
    /// </summary>
    internal static bool IsAnswer(IReadOnlyList<string> messages) => messages.Count > 0 && !messages.Any(m => Outage().IsMatch(m));

    /// <inheritdoc />
    protected override RemoteError Unreadable(string lead, JsonException? json, int? status)
    {
        var field = json?.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : null;
        return new(RemoteErrorKind.Unavailable, field is null ? $"{lead}." : $"{lead}: the field \"{field}\" is not what Autotask documents.", field, status);
    }

    /// <inheritdoc />
    protected override RemoteError? Answer(RemoteOperation op, ApiException api, int status)
    {
        var messages = Messages(api.Content);
        var said = messages.Count > 0 ? string.Join("; ", messages) : null;
        var text = said is null ? "" : $": {said}";
        switch (api.StatusCode)
        {
            case HttpStatusCode.Unauthorized:
                return new(RemoteErrorKind.AuthenticationFailed, "Autotask refused the API user's secret: check the user name and the secret.", StatusCode: status);
            case HttpStatusCode.Forbidden:
                return new(RemoteErrorKind.PermissionMissing,
                    $"The Autotask API user may not {op.What}: give its security level the permission \"{op.Permission}\"{text}.", StatusCode: status);
            case HttpStatusCode.NotFound:
                return new(RemoteErrorKind.NotFound, $"Autotask could not {op.What}: not found{text}.", StatusCode: status);
            case HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout:
                return null;
        }

        if (status >= 500 && !IsAnswer(messages))
        {
            return null;
        }

        // Autotask answers a wrong user name or integration code with a 500, and a refused record with a 500 too: the words tell them apart.
        if (status >= 500 && Credentials().IsMatch(said!))
        {
            return new(RemoteErrorKind.AuthenticationFailed,
                $"Autotask refused the API user or the integration code: check the user name and the API tracking identifier ({said}).", StatusCode: status);
        }

        return new(RemoteErrorKind.ValidationFailed, $"Autotask refused to {op.What}{(said is null ? $" ({status})" : text)}.", FieldIn(said), status);
    }

    /// <summary>The field a validation message names, when it names one the way Autotask does ("… field 'title' …", "title: …").</summary>
    private static string? FieldIn(string? message)
    {
        if (message is null)
        {
            return null;
        }

        var match = FieldName().Match(message);
        return match.Success ? match.Groups["field"].Value : null;
    }

    // "ApiIntegrationCode", "UserName header": no word boundary before the name.
    [GeneratedRegex(@"(user ?name|integration ?code|tracking identifier|authenticat|credential|unauthori[sz]ed|impersonat)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Credentials();

    [GeneratedRegex(@"(unexpected error|internal server error|try again|timed? ?out|unavailable)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Outage();

    [GeneratedRegex(@"\bfield\s+['""]?(?<field>[A-Za-z][A-Za-z0-9_]*)['""]?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FieldName();
}

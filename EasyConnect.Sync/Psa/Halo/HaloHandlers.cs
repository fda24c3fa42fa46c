using System.Net;
using System.Net.Http.Headers;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa.Halo.Dtos;
using Microsoft.Extensions.Options;

namespace EasyConnect.Sync.Psa.Halo;

/// <summary>A bearer token and when to stop using it.</summary>
internal sealed record HaloAccessToken(string Value, DateTimeOffset RenewAt, string? Scope);

/// <summary>
/// The token of one connection, fetched with the client-credentials grant and shared by every client of the connection until it is
/// due for renewal (a margin before it expires, by <see cref="TimeProvider"/>) or Halo refuses it. One fetch at a time: callers
/// that find no valid token wait for the one being fetched.
/// </summary>
internal sealed class HaloTokenSource(HaloCredentials credentials, TimeProvider time, TimeSpan renewBefore)
{
    private static readonly HttpRequestOptionsKey<bool> SafeToRepeat = new(VendorHttp.ReadOnlyPostKey);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HaloAccessToken? _current;

    /// <summary>The credentials this token belongs to; a connection whose credentials changed gets a new source.</summary>
    public HaloCredentials Credentials { get; } = credentials;

    /// <summary>The id of the agent the API application runs as, once asked (<c>/Agent/me</c>).</summary>
    public string? ApiAgentId { get; set; }

    /// <summary>Tokens fetched so far (what the tests count).</summary>
    public int Fetched { get; private set; }

    /// <summary>A valid token; a new one when the cached one is due or is <paramref name="refused"/> (Halo answered 401 to it).</summary>
    public async Task<HaloAccessToken> GetAsync(HttpClient http, string? refused, CancellationToken cancellationToken)
    {
        if (Usable(_current, refused) is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Usable(_current, refused) is { } raced)
            {
                return raced;
            }

            return _current = await FetchAsync(http, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private HaloAccessToken? Usable(HaloAccessToken? token, string? refused) =>
        token is not null && token.Value != refused && time.GetUtcNow() < token.RenewAt ? token : null;

    private async Task<HaloAccessToken> FetchAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var op = new RemoteOperation("sign in (get a token from the auth server)", null, Write: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, Credentials.TokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = Credentials.ClientId,
                ["client_secret"] = Credentials.ClientSecret,
                ["scope"] = "all",
            }),
        };
        // Asking for a token twice applies nothing: a timeout or an outage is retried as for a read.
        request.Options.Set(SafeToRepeat, true);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is not PsaException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw HaloErrors.MapFailure(op, e);
        }

        using (response)
        {
            var content = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw HaloErrors.TokenRefused(status, content);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw HaloErrors.MapFailure(op, await Refit.ApiException.Create(request, HttpMethod.Post, response, VendorClients.Refit));
            }

            var token = RemoteErrors.ReadBody<HaloToken>(content);
            if (string.IsNullOrWhiteSpace(token?.AccessToken))
            {
                throw HaloErrors.EmptyAnswer(op, "an access token");
            }

            Fetched++;
            var lifetime = TimeSpan.FromSeconds(Math.Clamp(token.ExpiresIn ?? 3600, 1, 86_400 * 30));
            // A short-lived token is renewed half way; a normal one the configured margin before it lapses.
            var margin = renewBefore < lifetime / 2 ? renewBefore : lifetime / 2;
            return new(token.AccessToken, time.GetUtcNow() + lifetime - margin, token.Scope);
        }
    }
}

/// <summary>
/// Signs every API call of one client with the connection's bearer token. A 401 means the token is no longer good (revoked, or
/// expired early by Halo's clock): the call gets one new token and one more try, and a second 401 is the answer.
/// </summary>
internal sealed class HaloAuthHandler(HaloTokenSource tokens, HttpClient tokenHttp) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(tokenHttp, null, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        var fresh = await tokens.GetAsync(tokenHttp, token.Value, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fresh.Value);
        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// Inside the retries: Halo throttles over a rolling 5 minutes and often answers 429 without Retry-After. Such an answer gets
/// the configured cool-off as its Retry-After, so the kit's retry waits long enough for the window to move instead of being
/// refused again a second later.
/// </summary>
internal sealed class HaloThrottleHandler(IOptionsMonitor<HaloOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter is null)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(options.CurrentValue.ThrottleCoolOff);
        }

        return response;
    }
}

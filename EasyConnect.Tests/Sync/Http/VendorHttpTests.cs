using System.Net;
using EasyConnect.Sync.Http;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace EasyConnect.Tests.Sync.Http;

/// <summary>
/// The kit's retry rules, which every vendor's pipeline applies: 429 always; 5xx, 408, timeouts and lost answers only when
/// repeating cannot apply the request twice; other 4xx never. (Over HTTP: ConnectWiseErrorTests and ZendeskClientTests.)
/// </summary>
public sealed class VendorHttpTests
{
    public static TheoryData<string, int, bool> Answers => new()
    {
        { "GET", 429, true }, { "POST", 429, true }, { "PATCH", 429, true },
        { "GET", 500, true }, { "GET", 503, true }, { "GET", 408, true }, { "PATCH", 502, true },
        { "POST", 500, false }, { "POST", 503, false }, { "POST", 408, false },
        { "GET", 400, false }, { "GET", 401, false }, { "GET", 403, false }, { "GET", 404, false }, { "PATCH", 409, false },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void ShouldRetry_FollowsTheSharedRules_WhenTheVendorAnswers(string method, int status, bool retried)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://vendor.example/api/x");
        using var response = new HttpResponseMessage((HttpStatusCode)status) { RequestMessage = request };

        Assert.Equal(retried, VendorHttp.ShouldRetry(Outcome.FromResult(response), Context(request)));
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("PUT", true)]
    [InlineData("POST", false)]
    public void ShouldRetry_RepeatsOnlyIdempotentRequests_WhenTheAnswerWasLost(string method, bool retried)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://vendor.example/api/x");
        var context = Context(request);

        Assert.Equal(retried, VendorHttp.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), context));
        Assert.Equal(retried, VendorHttp.ShouldRetry(
            Outcome.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ResponseEnded, "lost")), context));
    }

    [Fact]
    public void ShouldRetry_RefusesToRepeatAWrite_WhenItIsMarkedNonIdempotent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "https://vendor.example/api/v2/tickets/1.json");
        request.Options.Set(new HttpRequestOptionsKey<bool>(VendorHttp.NonIdempotentKey), true);
        using var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { RequestMessage = request };

        Assert.False(VendorHttp.ShouldRetry(Outcome.FromResult(response), Context(request)));
        Assert.False(VendorHttp.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), Context(request)));
    }

    [Fact]
    public void ShouldRetry_RepeatsEvenAPost_WhenTheConnectionCouldNotBeMade()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://vendor.example/api/x");

        Assert.True(VendorHttp.ShouldRetry(
            Outcome.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "refused")), Context(request)));
    }

    private static ResilienceContext Context(HttpRequestMessage request)
    {
        var context = ResilienceContextPool.Shared.Get(TestContext.Current.CancellationToken);
        context.SetRequestMessage(request);
        return context;
    }
}

using System.Net;
using System.Net.Http.Headers;
using EasyConnect.Sync.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Time.Testing;
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

    [Theory]
    [InlineData(0, 0.0, 5_000)]
    [InlineData(0, 1.0, 6_250)]
    [InlineData(1, 0.0, 10_000)]
    [InlineData(2, 0.5, 22_500)]
    public void RetryDelay_DoublesTheThrottleDelayWithUpToAQuarterMore_WhenA429NamesNoRetryAfter(int attempt, double jitter, int expectedMs)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        var delay = VendorHttp.RetryDelay(response, attempt, TimeSpan.FromSeconds(5), DateTimeOffset.UnixEpoch, jitter);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delay);
    }

    [Fact]
    public void RetryDelay_IsWhatRetryAfterSays_WhenTheAnswerNamesIt()
    {
        var now = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        using var seconds = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2)) } };
        using var date = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Headers = { RetryAfter = new RetryConditionHeaderValue(now.AddSeconds(30)) } };
        using var failure = new HttpResponseMessage(HttpStatusCode.BadGateway);

        Assert.Equal(TimeSpan.FromSeconds(2), VendorHttp.RetryDelay(seconds, 3, TimeSpan.FromSeconds(5), now, 1));
        Assert.Equal(TimeSpan.FromSeconds(30), VendorHttp.RetryDelay(date, 0, TimeSpan.FromSeconds(5), now, 1));
        // A failure without Retry-After keeps the kit's exponential backoff from RetryBaseDelay.
        Assert.Null(VendorHttp.RetryDelay(failure, 0, TimeSpan.FromSeconds(5), now, 1));
    }

    [Fact]
    public async Task Pipeline_WaitsTheThrottleDelay_WhenA429NamesNoRetryAfter()
    {
        // Arrange: the kit's real pipeline on a fake clock, over a vendor that refuses the first attempt as Autotask's thread limit does.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var vendor = new ThrottlingVendor(time);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Test:Kit:ThrottleDelay"] = "00:00:05",
            ["Test:Kit:RetryBaseDelay"] = "00:00:00.010",
        }).Build());
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddVendorHttpClient<KitOptions>(new VendorHttpClient("test-kit", "Test", "Test:Kit")).ConfigurePrimaryHttpMessageHandler(() => vendor);
        await using var provider = services.BuildServiceProvider();
        using var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("test-kit");

        // Act
        var call = http.GetAsync(new Uri("http://vendor.example/V1.0/Tickets/1"), TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => vendor.Attempts.Count == 1);
        time.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        var beforeTheDelay = vendor.Attempts.Count;
        time.Advance(TimeSpan.FromSeconds(1.4));
        using var response = await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // Assert: not the 10 ms base delay, but 5 s (plus at most a quarter) on the vendor's clock.
        Assert.Equal(1, beforeTheDelay);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, vendor.Attempts.Count);
        var waited = vendor.Attempts[1] - vendor.Attempts[0];
        Assert.InRange(waited, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6.3));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    private sealed class KitOptions : VendorHttpOptions;

    /// <summary>Answers the first request 429 "Thread Threshold Exceeded" without Retry-After, the next ones 200; records when each came.</summary>
    private sealed class ThrottlingVendor(TimeProvider time) : HttpMessageHandler
    {
        public List<DateTimeOffset> Attempts { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Attempts)
            {
                Attempts.Add(time.GetUtcNow());
                return Task.FromResult(Attempts.Count == 1
                    ? new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("""{"errors":["Thread Threshold Exceeded"]}""") }
                    : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
            }
        }
    }

    private static ResilienceContext Context(HttpRequestMessage request)
    {
        var context = ResilienceContextPool.Shared.Get(TestContext.Current.CancellationToken);
        context.SetRequestMessage(request);
        return context;
    }
}

using System.Collections.Concurrent;
using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Http;
using Microsoft.Extensions.Options;
using Refit;

namespace EasyConnect.Sync.Psa.Halo;

/// <summary>Makes HaloPSA clients over the app's <see cref="IHttpClientFactory"/> pipeline (resilience, request counting, the API budget).</summary>
public sealed class HaloClientFactory(
    IHttpMessageHandlerFactory handlers,
    IOptionsMonitor<HaloOptions> options,
    ApiBudgetGovernor budgets,
    TimeProvider timeProvider) : IPsaClientFactory
{
    /// <summary>The name of the HttpClient pipeline every HaloPSA client uses.</summary>
    public const string HttpClientName = "EasyConnect.Halo";

    private static readonly IReadOnlySet<string> Secrets = HaloProduct.Description.SecretNames;

    // One token per connection, shared by its clients (a run makes several) until it is due or its credentials change.
    private readonly ConcurrentDictionary<string, HaloTokenSource> _tokens = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public PsaKind Kind => PsaKind.Halo;

    /// <inheritdoc />
    public IReadOnlySet<string> SecretNames => Secrets;

    /// <summary>
    /// Builds a client for one connection. Clients of the same <see cref="HaloClientOptions.ConnectionKey"/> share the governor's
    /// limits and one token until <see cref="ApiBudgetGovernor.Release"/>.
    /// </summary>
    public IPsaClient Create(HaloCredentials credentials, HaloClientOptions clientOptions)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(clientOptions);
        var current = options.CurrentValue;
        var gate = budgets.For(clientOptions.ConnectionKey, budgets.LimitsFor(PsaKind.Halo));
        var counter = new ApiCallCounter();
        var tokens = _tokens.AddOrUpdate(clientOptions.ConnectionKey,
            _ => new HaloTokenSource(credentials, timeProvider, current.TokenRenewBefore),
            (_, existing) => existing.Credentials == credentials ? existing : new HaloTokenSource(credentials, timeProvider, current.TokenRenewBefore));
        var tokenHttp = VendorClients.Create(handlers, HttpClientName, counter, gate, credentials.Address);
        var apiHttp = VendorClients.Create(handlers, HttpClientName, counter, gate, new Uri(credentials.ApiBase.AbsoluteUri.TrimEnd('/')),
            inner => new HaloAuthHandler(tokens, tokenHttp) { InnerHandler = inner });
        var api = RestService.For<IHaloApi>(apiHttp, VendorClients.Refit);
        return new HaloClient(credentials, current, tokens, api, tokenHttp, counter, timeProvider, gate.Limits.Concurrency);
    }

    /// <inheritdoc />
    public IPsaClient Create(IReadOnlyDictionary<string, string> settings, string connectionKey) =>
        Create(HaloCredentials.FromSettings(settings), new HaloClientOptions(connectionKey));
}

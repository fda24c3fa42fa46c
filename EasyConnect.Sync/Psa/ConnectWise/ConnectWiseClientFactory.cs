using System.Collections.Concurrent;
using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa.ConnectWise.Dtos;
using Microsoft.Extensions.Options;
using Refit;

namespace EasyConnect.Sync.Psa.ConnectWise;

/// <summary>Makes ConnectWise clients over the app's <see cref="IHttpClientFactory"/> pipeline (resilience, request counting).</summary>
public sealed class ConnectWiseClientFactory(
    IHttpMessageHandlerFactory handlers,
    IOptionsMonitor<ConnectWiseOptions> options,
    ApiBudgetGovernor budgets,
    TimeProvider timeProvider) : IPsaClientFactory
{
    /// <summary>The name of the HttpClient pipeline every ConnectWise client uses.</summary>
    public const string HttpClientName = "EasyConnect.ConnectWise";

    /// <summary>The settings a ConnectWise connection has, in the order the integration page asks for them.</summary>
    public static IReadOnlyList<string> SettingNames { get; } = ConnectWiseProduct.Description.ConnectionFields.Select(f => f.Name).ToList();

    private static readonly IReadOnlySet<string> Secrets = ConnectWiseProduct.Description.SecretNames;

    private readonly ConcurrentDictionary<string, string> _codebases = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public PsaKind Kind => PsaKind.ConnectWise;

    /// <inheritdoc />
    public IReadOnlySet<string> SecretNames => Secrets;

    /// <summary>
    /// Builds a client for one connection. Clients of the same <see cref="ConnectWiseClientOptions.ConnectionKey"/> share the
    /// governor's limits (concurrency, the API budget) until <see cref="ApiBudgetGovernor.Release"/>.
    /// </summary>
    public IPsaClient Create(ConnectWiseCredentials credentials, ConnectWiseClientOptions clientOptions)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(clientOptions);
        var current = options.CurrentValue;
        var limits = budgets.LimitsFor(PsaKind.ConnectWise) with { Concurrency = clientOptions.MaxConcurrency ?? current.MaxConcurrency };
        var gate = budgets.For(clientOptions.ConnectionKey, limits);
        return new ConnectWiseClient(credentials, current, gate, new ApiCallCounter(), handlers, _codebases, timeProvider, gate.Limits.Concurrency);
    }

    /// <inheritdoc />
    public IPsaClient Create(IReadOnlyDictionary<string, string> settings, string connectionKey) =>
        Create(ConnectWiseCredentials.FromSettings(settings), new ConnectWiseClientOptions(connectionKey));
}

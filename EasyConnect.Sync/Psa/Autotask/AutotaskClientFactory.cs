using System.Collections.Concurrent;
using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Http;
using EasyConnect.Sync.Psa.Autotask.Dtos;
using Microsoft.Extensions.Options;
using Refit;

namespace EasyConnect.Sync.Psa.Autotask;

/// <summary>Makes Autotask clients over the app's <see cref="IHttpClientFactory"/> pipeline (resilience, request counting, the API budget).</summary>
public sealed class AutotaskClientFactory(
    IHttpMessageHandlerFactory handlers,
    IOptionsMonitor<AutotaskOptions> options,
    ApiBudgetGovernor budgets,
    TimeProvider timeProvider) : IPsaClientFactory
{
    /// <summary>The name of the HttpClient pipeline every Autotask client uses.</summary>
    public const string HttpClientName = "EasyConnect.Autotask";

    private static readonly IReadOnlySet<string> Secrets = AutotaskProduct.Description.SecretNames;

    // Zones by lookup address and API user: every client of the same user finds its zone once per process, until a moved zone is found again.
    private readonly ConcurrentDictionary<string, AtZoneInformation> _zones = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public PsaKind Kind => PsaKind.Autotask;

    /// <inheritdoc />
    public IReadOnlySet<string> SecretNames => Secrets;

    /// <summary>
    /// Builds a client for one connection. Clients of the same <see cref="AutotaskClientOptions.ConnectionKey"/> share the
    /// governor's limits (3 requests in flight per endpoint, the tenant's hourly budget) until <see cref="ApiBudgetGovernor.Release"/>.
    /// </summary>
    public IPsaClient Create(AutotaskCredentials credentials, AutotaskClientOptions clientOptions)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(clientOptions);
        var current = options.CurrentValue;
        var gate = budgets.For(clientOptions.ConnectionKey, budgets.LimitsFor(PsaKind.Autotask));
        var discovery = new Uri((clientOptions.ZoneDiscoveryUrl ?? current.ZoneDiscoveryUrl).AbsoluteUri.TrimEnd('/'));
        var client = new AutotaskClient(credentials, current, discovery, gate, new ApiCallCounter(), handlers, _zones, timeProvider, gate.Limits.Concurrency);
        // Autotask's hour is the tenant's, spent by every integration: the budget reads its count now and then through the client.
        gate.UseTenantUsage(client.ReadTenantUsageAsync);
        return client;
    }

    /// <inheritdoc />
    public IPsaClient Create(IReadOnlyDictionary<string, string> settings, string connectionKey)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Uri? zoneLookup = null;
        if (settings.TryGetValue(AutotaskProduct.ZoneLookup, out var lookup) && !string.IsNullOrWhiteSpace(lookup))
        {
            zoneLookup = AutotaskProduct.ZoneLookupOf(lookup)
                ?? throw new PsaException(RemoteErrorKind.ValidationFailed, $"The Autotask zone lookup address \"{lookup.Trim()}\" is not an http or https address.", AutotaskProduct.ZoneLookup);
        }

        return Create(AutotaskCredentials.FromSettings(settings), new AutotaskClientOptions(connectionKey, zoneLookup));
    }
}

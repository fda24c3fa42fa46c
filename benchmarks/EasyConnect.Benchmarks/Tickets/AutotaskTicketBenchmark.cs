using System.Globalization;
using EasyConnect.Benchmarks.Infrastructure;
using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.Autotask;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Benchmarks.Tickets;

/// <summary>
/// Autotask in the ticket benchmark: the sandbox holds Autotask's threads per entity (a further request answers 429 "Thread Threshold
/// Exceeded"), whose busiest entity bounds the run; its hourly threshold is lifted, and the report turns the calls into hours of a
/// tenant's 10,000 requests instead.
/// </summary>
internal sealed class AutotaskTicketBenchmark : TicketBenchmarkPsa
{
    private const int TenantHour = 10_000;
    private int _threads = 3;
    private Uri? _zone;

    public override string Key => "autotask";

    public override string Name => "Autotask";

    public override IReadOnlyList<BenchmarkOption> Options { get; } =
        [new("threads", "3", "autotask: its thread limit per entity, in the sandbox and in EasyConnect")];

    public override string ClusterIdField => AutotaskSandboxState.ClusterIdField;

    public override string Limits => $"{_threads} threads per entity";

    public override bool LimitsByEntity => true;

    public override void Configure(BenchmarkArguments arguments) => _threads = arguments.Int("threads", 3, 1, 100);

    public override void AddSandbox(IServiceCollection services) => services.AddEasyConnectAutotaskSandbox(o =>
    {
        o.ThreadLimit = _threads;
        o.HourlyThreshold = 1_000_000;
        o.ConfigurationItems = 0;
        o.Tickets = 0;
    });

    public override void MapSandbox(WebApplication app) => app.MapAutotaskSandbox("/" + Prefix);

    public override IPsaSandbox Seed(IServiceProvider services, Uri root)
    {
        var state = services.GetRequiredService<AutotaskSandboxState>();
        var companies = state.Ids(AutotaskSandboxState.Companies);
        for (var i = 0; i < Configurations; i++)
        {
            state.AddConfigurationItem($"Device-{i + 1:0000}", companies[i % companies.Count], $"CL-{i + 1:000000}");
        }

        _zone = new Uri(root, Prefix + "/ATServicesRest/");
        return new AutotaskPsaSandbox(state);
    }

    public override void AddClient(IServiceCollection services)
    {
        // Registered before the client's own, so the governor takes these threads.
        services.AddSingleton(new ProductApiBudget(PsaKind.Autotask, AutotaskApiBudget.Defaults with { Concurrency = _threads }));
        services.AddEasyConnectAutotask();
    }

    public override IPsaClient CreateClient(IServiceProvider services, IPsaSandbox sandbox, Guid connectionId) =>
        services.GetRequiredService<AutotaskClientFactory>().Create(
            AutotaskCredentials.FromSettings(sandbox.ConnectionSettings), new AutotaskClientOptions(connectionId.ToString("N"), _zone!));

    public override string InstanceKey(IPsaSandbox sandbox) => AutotaskCredentials.FromSettings(sandbox.ConnectionSettings).Identity.Key;

    public override int TicketCount(IPsaSandbox sandbox) => ((AutotaskPsaSandbox)sandbox).State.Ids(AutotaskSandboxState.Tickets).Count;

    public override string? LimitOf(HttpRequestMessage request) => AutotaskEndpoints.EndpointOf(request.RequestUri?.AbsolutePath ?? "");

    // Read its comments, create the Autotask ticket (the description is a field of it, and the create takes its company and
    // configuration item), add one note per comment, and store the Autotask ticket's id on the portal ticket.
    public override (int Calls, string Why) Minimum(int comments) =>
        (1 + 1 + comments + 1, $"read the comments, create with company and configuration item, {comments} notes, store the id");

    // Each entity has its own threads: the busiest entity's calls, `threads` at a time, bound the run from below.
    public override (TimeSpan Bound, string Label, string Value) Bound(TicketRun first, int latencyMs, IServiceProvider services)
    {
        var (busiest, calls) = first.ByLimit.Count == 0 ? new KeyValuePair<string, int>("none", 0) : first.ByLimit.MaxBy(e => e.Value);
        return (TimeSpan.FromMilliseconds((double)calls * latencyMs / _threads), "bound: busiest entity x latency / threads",
            $"{busiest}: {calls:N0} x {latencyMs} ms / {_threads}");
    }

    public override void ReportOwn(Report report, TicketRun first, int tickets, TimeSpan bound)
    {
        var perTicket = first.PsaRequests / (double)tickets;
        report.Heading($"Autotask's hour: {TenantHour:N0} requests per tenant, shared with every integration");
        report.Line("Autotask calls per ticket", perTicket.ToString("0.00", CultureInfo.InvariantCulture));
        report.Line("share of one hour's budget this run needs", $"{first.PsaRequests / (double)TenantHour:P0} ({first.PsaRequests:N0} of {TenantHour:N0})");
        report.Line("tickets per hour in a 50 % share", $"{TenantHour / 2 / perTicket:N0} (5,000 calls / {perTicket:0.00})");
        report.Line("hours this run takes in a 50 % share", $"{first.PsaRequests / (TenantHour / 2.0):0.0}");
    }
}

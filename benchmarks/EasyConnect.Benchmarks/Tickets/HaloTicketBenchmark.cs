using System.Globalization;
using EasyConnect.Benchmarks.Infrastructure;
using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Halo;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.Halo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Benchmarks.Tickets;

/// <summary>
/// HaloPSA in the ticket benchmark. Hosted Halo allows about 300 requests per rolling 5 minutes and then refuses everything for a long
/// cool-off, so its rate, not the latency, bounds a run: at the real rate 10,000 tickets take many hours. The sandbox and EasyConnect's
/// budget therefore run the same number of requests per a window shortened by <c>--time-scale</c> (the cool-offs shortened alike), the
/// API budget governor keeps the run under it (the 429s show whether it did), and the report gives the run's calls at the real rate too.
/// </summary>
internal sealed class HaloTicketBenchmark : TicketBenchmarkPsa
{
    private static readonly TimeSpan RealWindow = HaloApiBudget.Defaults.Window;
    private static readonly TimeSpan RealCoolOff = TimeSpan.FromSeconds(60);
    private int _requests = HaloApiBudget.Defaults.RequestsPerWindow;
    private double _scale = 60;
    private int _share = 100;

    public override string Key => "halo";

    public override string Name => "Halo";

    public override IReadOnlyList<BenchmarkOption> Options { get; } =
    [
        new("requests-per-window", "300", "halo: requests per rolling window, in the sandbox and in EasyConnect's budget"),
        new("time-scale", "60", "halo: how many times shorter the window (5 min) and the cool-offs are than hosted Halo's"),
        new("share-percent", "100", "halo: EasyConnect's share of the window (the sandbox has no other integration)"),
    ];

    public override string Limits => $"{_requests} requests per rolling {Seconds(Window)} (hosted Halo's {_requests} per {RealWindow.TotalMinutes:0} min, {_scale:0.##}x faster), " +
        $"{_share} % of it EasyConnect's";

    private TimeSpan Window => RealWindow / _scale;

    public override void Configure(BenchmarkArguments arguments)
    {
        _requests = arguments.Int("requests-per-window", HaloApiBudget.Defaults.RequestsPerWindow, 1, 1_000_000);
        _scale = arguments.Number("time-scale", 60, 1, 300);
        _share = arguments.Int("share-percent", 100, 1, 100);
    }

    public override void AddSandbox(IServiceCollection services) => services.AddEasyConnectHaloSandbox(o =>
    {
        o.Tickets = 0;
        o.Assets = 0;
        o.RateLimit = _requests;
        o.RateWindow = Window;
        o.CoolOff = RealCoolOff / _scale;
    });

    public override void MapSandbox(WebApplication app) => app.MapHaloSandbox("/" + Prefix);

    /// <summary>
    /// The assets go to the active clients of one SLA, the one whose priorities come first: the benchmark maps the portal's priorities
    /// to those, and a ticket's priority must be one of its client's SLA.
    /// </summary>
    public override IPsaSandbox Seed(IServiceProvider services, Uri root)
    {
        var state = services.GetRequiredService<HaloSandboxState>();
        var sandbox = new HaloPsaSandbox(state, new Uri(root, Prefix + "/"));
        var sla = long.Parse(sandbox.Priorities()[0].Scope!, CultureInfo.InvariantCulture);
        var clients = sandbox.CompanyIds().Select(c => long.Parse(c, CultureInfo.InvariantCulture))
            .Where(c => state.SlaOfClient(c) == sla && state.Find(HaloSandboxState.Clients, c)?["inactive"]?.ToJsonString() != "true").ToList();
        for (var i = 0; i < Configurations; i++)
        {
            state.AddAsset($"Device-{i + 1:0000}", clients[i % clients.Count], $"CL-{i + 1:000000}");
        }

        return sandbox;
    }

    public override void AddClient(IServiceCollection services)
    {
        // Registered before the client's own, so the governor counts the scaled window.
        services.AddSingleton(new ProductApiBudget(PsaKind.Halo, HaloApiBudget.Defaults with { RequestsPerWindow = _requests, Window = Window }));
        services.AddEasyConnectHalo();
        services.Configure<HaloOptions>(o => o.ThrottleCoolOff = RealCoolOff / _scale);
        services.Configure<ApiBudgetOptions>(o => o.DefaultSharePercent = _share);
        // Waiting for the window is what this run is about: the governor's warning each time it does would bury the report.
        services.AddLogging(l => l.AddFilter("EasyConnect.Sync.Budget", LogLevel.Error));
    }

    public override IPsaClient CreateClient(IServiceProvider services, IPsaSandbox sandbox, Guid connectionId) =>
        services.GetRequiredService<HaloClientFactory>().Create(HaloCredentials.FromSettings(sandbox.ConnectionSettings), new HaloClientOptions(connectionId.ToString("N")));

    public override string InstanceKey(IPsaSandbox sandbox) => HaloCredentials.FromSettings(sandbox.ConnectionSettings).Identity.Key;

    public override int TicketCount(IPsaSandbox sandbox) => ((HaloPsaSandbox)sandbox).State.Ids(HaloSandboxState.Tickets).Count;

    // Read its comments, create the Halo ticket (the details are a field of it, and the create carries its client and asset), post
    // the comments as one array of actions (Halo's POST /Actions takes an array), and store the Halo ticket's id on the portal ticket.
    public override (int Calls, string Why) Minimum(int comments) =>
        (1 + 1 + (comments > 0 ? 1 : 0) + 1,
            $"read the comments, create with client and asset, {(comments > 0 ? $"the {comments} comments as one array of actions, " : "")}store the id");

    // Two limits hold a run: the rolling window (EasyConnect's share of it) and the latency with the client's concurrency. The busier
    // of the two is the bound; at Halo's rates it is the window.
    public override (TimeSpan Bound, string Label, string Value) Bound(TicketRun first, int latencyMs, IServiceProvider services)
    {
        var allowed = Allowed;
        var window = TimeSpan.FromTicks((long)(Window.Ticks * ((double)first.PsaRequests / allowed)));
        var concurrency = HaloApiBudget.Defaults.Concurrency;
        var latency = TimeSpan.FromMilliseconds((double)first.PsaRequests * latencyMs / concurrency);
        return window >= latency
            ? (window, "bound: Halo calls / the window's rate", $"{first.PsaRequests:N0} calls / ({allowed:N0} per {Seconds(Window)}); latency alone: {Report.Seconds(latency)}")
            : (latency, "bound: Halo calls x latency / concurrency", $"{first.PsaRequests:N0} x {latencyMs} ms / {concurrency}; the window alone: {Report.Seconds(window)}");
    }

    public override void ReportOwn(Report report, TicketRun first, int tickets, TimeSpan bound)
    {
        var perTicket = first.PsaRequests / (double)tickets;
        var real = TimeSpan.FromTicks((long)(RealWindow.Ticks * ((double)first.PsaRequests / Allowed)));
        report.Heading($"Hosted Halo's limit: {_requests} requests per rolling {RealWindow.TotalMinutes:0} minutes, {_share} % of it EasyConnect's");
        report.Line("Halo calls per ticket", perTicket.ToString("0.00", CultureInfo.InvariantCulture));
        report.Line("this run's calls at the real limit", $"{real.TotalHours:0.0} h ({first.PsaRequests:N0} calls / {Allowed:N0} per {RealWindow.TotalMinutes:0} min)");
        report.Line("new tickets per hour at the real limit", $"{Allowed * (TimeSpan.FromHours(1) / RealWindow) / perTicket:N0} ({Allowed * (TimeSpan.FromHours(1) / RealWindow):N0} calls / {perTicket:0.00})");
        report.Line("this run, scaled back to the real limit", $"{(first.Elapsed * _scale).TotalHours:0.0} h (wall time x {_scale:0.##})");
    }

    private int Allowed => (int)((long)_requests * _share / 100);

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture) + " s";
}

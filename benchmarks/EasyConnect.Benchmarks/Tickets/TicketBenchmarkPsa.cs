using EasyConnect.Benchmarks.Infrastructure;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Benchmarks.Tickets;

/// <summary>
/// What one PSA brings to the ticket benchmark: its sandbox and client, the fewest calls a new ticket can take in it, and the bound its
/// limits set on a run. The runs, their measurement and the report are the same for every PSA (<see cref="TicketSyncBenchmark"/>).
/// </summary>
internal abstract class TicketBenchmarkPsa
{
    /// <summary>Every PSA the benchmark knows, by the name <c>--psa</c> takes.</summary>
    public static IReadOnlyList<TicketBenchmarkPsa> All { get; } = [new ConnectWiseTicketBenchmark(), new AutotaskTicketBenchmark(), new HaloTicketBenchmark()];

    /// <summary>The value of <c>--psa</c>.</summary>
    public abstract string Key { get; }

    /// <summary>The product's name in the report.</summary>
    public abstract string Name { get; }

    /// <summary>Where the sandbox is served, below the sandboxes' root (no leading slash).</summary>
    public string Prefix => "sandbox/" + Key;

    /// <summary>The options only this PSA takes (listed with the command's).</summary>
    public virtual IReadOnlyList<BenchmarkOption> Options => [];

    /// <summary>The configurations seeded with ClusterIDs CL-000001 upwards; ticket i carries the ClusterID of configuration i mod this.</summary>
    public virtual int Configurations => 2_000;

    /// <summary>The custom field (or question, user-defined field) the ClusterID is compared with.</summary>
    public virtual string ClusterIdField => "ClusterID";

    /// <summary>Reads this PSA's own options; called before anything else.</summary>
    public virtual void Configure(BenchmarkArguments arguments)
    {
    }

    /// <summary>What the header line says of the PSA's limits, after its name ("3 threads per entity").</summary>
    public virtual string Limits => "";

    /// <summary>Registers the sandbox, seeded with companies and members but no tickets, and no limit that is not the benchmark's.</summary>
    public abstract void AddSandbox(IServiceCollection services);

    /// <summary>Serves the sandbox under <see cref="Prefix"/>.</summary>
    public abstract void MapSandbox(WebApplication app);

    /// <summary>The started sandbox, with <see cref="Configurations"/> configurations carrying ClusterIDs.</summary>
    public abstract IPsaSandbox Seed(IServiceProvider services, Uri root);

    /// <summary>Registers the real client of the PSA and the budget the benchmark runs it with.</summary>
    public abstract void AddClient(IServiceCollection services);

    /// <summary>A client of the sandbox for the stored connection.</summary>
    public abstract IPsaClient CreateClient(IServiceProvider services, IPsaSandbox sandbox, Guid connectionId);

    /// <summary>The instance key the stored connection has, as connecting to the sandbox would store it.</summary>
    public abstract string InstanceKey(IPsaSandbox sandbox);

    /// <summary>The PSA tickets the sandbox holds.</summary>
    public abstract int TicketCount(IPsaSandbox sandbox);

    /// <summary>
    /// What a request counts against when the PSA limits per part of its API (Autotask: the entity); null where the PSA limits the
    /// connection as a whole, so the calls are not broken down.
    /// </summary>
    public virtual string? LimitOf(HttpRequestMessage request) => null;

    /// <summary>Whether <see cref="LimitOf"/> names parts of the API, so the report breaks the calls down by them.</summary>
    public virtual bool LimitsByEntity => false;

    /// <summary>The fewest calls, PSA and portal together, a new ticket with <paramref name="comments"/> comments can take, and why.</summary>
    public abstract (int Calls, string Why) Minimum(int comments);

    /// <summary>The least time the first run's calls can take under the PSA's limits, and how it is made up.</summary>
    public abstract (TimeSpan Bound, string Label, string Value) Bound(TicketRun first, int latencyMs, IServiceProvider services);

    /// <summary>Lines of the PSA's own after the runs (Autotask: its hourly budget).</summary>
    public virtual void ReportOwn(Report report, TicketRun first, int tickets, TimeSpan bound)
    {
    }
}

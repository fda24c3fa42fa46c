using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using EasyConnect.Benchmarks.Infrastructure;
using EasyConnect.Sync.Budget;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Portal.Zendesk;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.Autotask;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.Autotask;
using EasyConnect.Sync.Sandbox.Portal;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Tickets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Benchmarks.Tickets;

/// <summary>
/// New portal tickets with comments synced into the Autotask sandbox by the real <see cref="TicketSyncEngine"/>, the sandbox holding
/// Autotask's 3 threads per entity and both sandboxes answering with a fixed latency: calls per ticket against the fewest, wall time
/// against the bound the thread limit sets, the 429s met, and what the run costs of a tenant's 10,000 requests an hour.
/// </summary>
internal sealed class AutotaskTicketSyncBenchmark : IBenchmarkCommand
{
    private const int TenantHour = 10_000;
    private const int Configurations = 2_000;

    public string Name => "autotask-tickets";

    public string Summary => "new portal tickets with comments synced into the Autotask sandbox (3 threads per entity) through TicketSyncEngine";

    public bool IsBenchmark => true;

    public IReadOnlyList<BenchmarkOption> Options { get; } =
    [
        new("tickets", "10,000", "new portal tickets"),
        new("comments", "3", "comments on each ticket after its description"),
        new("latency-ms", "20", "latency both sandboxes add to every request"),
        new("threads", "3", "Autotask's thread limit per entity, in the sandbox and in EasyConnect"),
    ];

    public async Task<int> RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var tickets = arguments.Int("tickets", 10_000, 1, 100_000);
        var comments = arguments.Int("comments", 3, 0, 50);
        var latency = arguments.Int("latency-ms", 20, 0, 10_000);
        var threads = arguments.Int("threads", 3, 1, 100);
        var report = new Report(output);
        output.WriteLine($"EasyConnect benchmark: ticket sync of {tickets:N0} new portal tickets with {comments} comments each into Autotask, {threads} threads per entity, {latency} ms latency");
        report.Line("machine", $"{Environment.ProcessorCount} cores, load average {LoadAverage()}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");

        var setup = Stopwatch.StartNew();
        await using var sandboxes = await Sandboxes.StartAsync(threads, cancellationToken);
        await using var database = await BenchmarkDatabase.StartAsync(cancellationToken);
        var calls = new PsaCalls();
        await using var services = Build(database.ConnectionString, sandboxes, calls, threads);
        var connection = await AddConnectionsAsync(database, sandboxes, cancellationToken);
        var mirror = await services.GetRequiredService<PsaSyncEngine>().RunAsync(connection, new SyncRunRequest(SyncRunKind.Full), cancellationToken);
        if (mirror.Status != SyncRunStatus.Succeeded)
        {
            await output.WriteLineAsync($"The mirror of the sandbox did not succeed ({mirror.Status}): {mirror.Message}");
            return 1;
        }

        await ConfirmSettingsAsync(database, sandboxes.Psa, connection, cancellationToken);
        for (var i = 0; i < tickets; i++)
        {
            var ticket = sandboxes.Portal.AddTicket($"Benchmark ticket {i}", $"Description of ticket {i}.",
                clusterId: $"CL-{i % Configurations + 1:000000}", priority: "normal", status: "open");
            for (var c = 0; c < comments; c++)
            {
                sandboxes.Portal.AddComment(ticket.Id, $"Comment {c} on ticket {i}.");
            }
        }

        report.Line("setup", $"sandboxes, database, mirror ({Report.Count(mirror.Entities.Sum(e => e.Upserted))} rows) and portal tickets in {Report.Seconds(setup.Elapsed)}");
        var faults = new SandboxFaults { LatencyMs = latency };
        sandboxes.Psa.Faults.Faults = faults;
        sandboxes.Portal.Faults.Faults = faults;
        sandboxes.Psa.Faults.ResetRequests();
        sandboxes.Portal.Faults.ResetRequests();
        calls.Reset();
        var refusedBefore = sandboxes.Psa.State.ThreadRefusals;

        var engine = services.GetRequiredService<TicketSyncEngine>();
        var started = Stopwatch.GetTimestamp();
        var result = await engine.RunAsync(connection, new TicketSyncRequest(StartedBy: "benchmark"), cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var psaRequests = sandboxes.Psa.Faults.RequestsReceived;
        var portalRequests = sandboxes.Portal.Faults.RequestsReceived;
        var refused = sandboxes.Psa.State.ThreadRefusals - refusedBefore;
        var synced = sandboxes.Psa.State.Ids(AutotaskSandboxState.Tickets).Count;
        if (result.Status != SyncRunStatus.Succeeded || synced < tickets)
        {
            await output.WriteLineAsync($"The ticket sync did not succeed ({result.Status}, {synced:N0} of {tickets:N0} Autotask tickets): {result.Message}");
            await using var db = database.CreateContext();
            foreach (var reason in await db.TicketLinks.Where(l => l.HeldReason != null || l.LastError != null)
                .GroupBy(l => l.HeldReason ?? l.LastError).OrderByDescending(g => g.Count()).Select(g => new { Reason = g.Key, Count = g.Count() }).Take(5).ToListAsync(cancellationToken))
            {
                await output.WriteLineAsync($"  {reason.Count:N0} x {reason.Reason}");
            }

            return 1;
        }

        // The fewest calls a new ticket can take: read its comments, create the Autotask ticket (the description is a field of it),
        // attach its configuration item, add one note per comment, and store the Autotask ticket's id on the portal ticket.
        var minimumPerTicket = 1 + 1 + 1 + comments + 1;
        var perTicket = (psaRequests + portalRequests) / (double)tickets;
        // Each entity has its own threads: the busiest entity's calls, `threads` at a time, bound the run from below.
        var byEntity = calls.ByEntity();
        var (busiest, busiestCalls) = byEntity.MaxBy(e => e.Value);
        var bound = TimeSpan.FromMilliseconds((double)busiestCalls * latency / threads);
        var psaPerTicket = psaRequests / (double)tickets;

        report.Heading("Every ticket new");
        report.Line("tickets created / held / failed", $"{result.Counts.Created:N0} / {result.Counts.Held:N0} / {result.Counts.Failed:N0}");
        report.Line("comments written as notes", Report.Count(result.Counts.CommentsToNotes));
        report.Line("wall time", Report.Seconds(elapsed));
        report.Line("tickets/s", $"{tickets / elapsed.TotalSeconds:N1}");
        report.Line("API calls: Autotask / portal", $"{psaRequests:N0} / {portalRequests:N0}");
        report.Line("Autotask calls by entity", string.Join(", ", byEntity.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value:N0}")));
        report.Line("API calls per ticket", $"{perTicket:0.00} (minimum {minimumPerTicket}: {perTicket / minimumPerTicket:0.00}x)");
        report.Line("bound: busiest entity x latency / threads", $"{Report.Seconds(bound)} ({busiest}: {busiestCalls:N0} x {latency} ms / {threads})");
        report.Line("wall time / bound", Report.Ratio(elapsed / bound));
        report.Line("429 Thread Threshold Exceeded (target 0)", $"{refused:N0} (client retries after a 429: {calls.Throttled:N0})");

        report.Heading($"Autotask's hour: {TenantHour:N0} requests per tenant, shared with every integration");
        report.Line("Autotask calls per ticket", psaPerTicket.ToString("0.00", CultureInfo.InvariantCulture));
        report.Line("share of one hour's budget this run needs", $"{psaRequests / (double)TenantHour:P0} ({psaRequests:N0} of {TenantHour:N0})");
        report.Line("tickets per hour in a 50 % share", $"{TenantHour / 2 / psaPerTicket:N0} (5,000 calls / {psaPerTicket:0.00})");
        report.Line("hours this run takes in a 50 % share", $"{psaRequests / (TenantHour / 2.0):0.0}");
        return 0;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static ServiceProvider Build(string connectionString, Sandboxes sandboxes, PsaCalls calls, int threads)
    {
        var services = BenchmarkServices.Create(connectionString);
        services.AddOptions<TicketSyncOptions>().Configure(o =>
        {
            o.FirstRunReach = TimeSpan.FromDays(30);
            o.MaxTicketsPerRun = 1_000_000;
        });
        services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new PsaCallsHandler(calls)));
        services.AddSingleton(new ProductApiBudget(PsaKind.Autotask, AutotaskApiBudget.Defaults with { Concurrency = threads }));
        services.AddEasyConnectAutotask();
        services.AddEasyConnectZendesk();
        services.AddSingleton<IPsaClientProvider>(sp => new Clients(sp, sandboxes));
        services.AddSingleton<IPortalClientProvider>(sp => new Clients(sp, sandboxes));
        services.AddSingleton<TicketLookups>();
        services.AddSingleton<TicketSyncEngine>();
        services.AddSingleton<PsaSyncEngine>();
        return services.BuildServiceProvider();
    }

    private static async Task<Guid> AddConnectionsAsync(BenchmarkDatabase database, Sandboxes sandboxes, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var psa = new PsaConnection
        {
            Id = Guid.NewGuid(), Kind = PsaKind.Autotask, InstanceKey = Clients.PsaCredentials(sandboxes).Identity.Key,
            DisplayName = "Autotask sandbox", State = ConnectionState.Active, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "benchmark",
        };
        db.PsaConnections.Add(psa);
        db.PortalConnections.Add(Clients.PortalConnection(sandboxes));
        await db.SaveChangesAsync(cancellationToken);
        return psa.Id;
    }

    private static async Task ConfirmSettingsAsync(BenchmarkDatabase database, AutotaskPsaSandbox psa, Guid connection, CancellationToken cancellationToken)
    {
        var priorities = psa.Priorities().Select(p => p.Id).ToList();
        var statuses = psa.Statuses(psa.DefaultBoardId).Select(s => s.Id).ToList();
        string Pick(List<string> ids, int i) => ids[Math.Min(i, ids.Count - 1)];
        await using var db = database.CreateContext();
        db.AdvancedSettings.Add(new AdvancedSettings
        {
            ConnectionId = connection,
            DefaultBoardId = psa.DefaultBoardId,
            PriorityMap = new() { ["urgent"] = Pick(priorities, 0), ["high"] = Pick(priorities, 1), ["normal"] = Pick(priorities, 2), ["low"] = Pick(priorities, 3) },
            StatusMap = new()
            {
                ["new"] = Pick(statuses, 0), ["open"] = Pick(statuses, 1), ["pending"] = Pick(statuses, 2), ["hold"] = Pick(statuses, 3),
                ["solved"] = Pick(statuses, 4), ["closed"] = Pick(statuses, 5),
            },
            ClusterIdMatch = ClusterIdMatch.CustomField,
            ClusterIdCustomField = AutotaskSandboxState.ClusterIdField,
            SyncEnabled = true,
            ConfirmedAt = DateTimeOffset.UtcNow,
            ConfirmedBy = "benchmark",
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The Autotask calls of the run by the entity Autotask counts their threads against, and the 429s answered.</summary>
    private sealed class PsaCalls
    {
        private readonly ConcurrentDictionary<string, int> _byEntity = new(StringComparer.Ordinal);
        private int _throttled;

        public int Throttled => Volatile.Read(ref _throttled);

        public void Add(string entity) => _byEntity.AddOrUpdate(entity, 1, (_, n) => n + 1);

        public void Throttle() => Interlocked.Increment(ref _throttled);

        public IReadOnlyDictionary<string, int> ByEntity() => new Dictionary<string, int>(_byEntity);

        public void Reset()
        {
            _byEntity.Clear();
            Volatile.Write(ref _throttled, 0);
        }
    }

    /// <summary>Outermost on every client: one count per Autotask call (a retry is the same call).</summary>
    private sealed class PsaCallsHandler(PsaCalls calls) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri?.AbsolutePath ?? "";
            var autotask = path.Contains("/sandbox/autotask/", StringComparison.Ordinal);
            if (autotask && AutotaskEndpoints.EndpointOf(path) is { } entity)
            {
                calls.Add(entity);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (autotask && response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            {
                calls.Throttle();
            }

            return response;
        }
    }

    /// <summary>Both sandboxes in this process, on one loopback Kestrel port.</summary>
    private sealed class Sandboxes : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Sandboxes(WebApplication app, Uri root)
        {
            _app = app;
            Root = root;
            Psa = new AutotaskPsaSandbox(app.Services.GetRequiredService<AutotaskSandboxState>());
            Portal = app.Services.GetRequiredService<PortalSandboxState>();
        }

        public Uri Root { get; }

        public AutotaskPsaSandbox Psa { get; }

        public PortalSandboxState Portal { get; }

        public static async Task<Sandboxes> StartAsync(int threads, CancellationToken cancellationToken)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddEasyConnectAutotaskSandbox(o =>
            {
                o.ThreadLimit = threads;
                o.HourlyThreshold = 1_000_000;
                o.ConfigurationItems = 0;
                o.Tickets = 0;
            });
            builder.Services.AddEasyConnectPortalSandbox(o =>
            {
                o.Tickets = 0;
                o.ExportRequestsPerMinute = 0;
            });
            var app = builder.Build();
            app.MapAutotaskSandbox("/sandbox/autotask");
            app.MapPortalSandbox("/sandbox/portal");
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var sandboxes = new Sandboxes(app, new Uri(address.TrimEnd('/') + "/"));
            var state = sandboxes.Psa.State;
            var companies = state.Ids(AutotaskSandboxState.Companies);
            for (var i = 0; i < Configurations; i++)
            {
                state.AddConfigurationItem($"Device-{i + 1:0000}", companies[i % companies.Count], $"CL-{i + 1:000000}");
            }

            return sandboxes;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }

    /// <summary>The stored, encrypted connections replaced by the sandboxes' credentials; the clients are the real ones.</summary>
    private sealed class Clients(IServiceProvider services, Sandboxes sandboxes) : IPsaClientProvider, IPortalClientProvider
    {
        private static readonly Guid PortalId = Guid.Parse("0b3c7a4e-0000-4000-8000-0000000be003");
        private IPortalClient? _portal;

        public static AutotaskCredentials PsaCredentials(Sandboxes sandboxes) => AutotaskCredentials.FromSettings(sandboxes.Psa.ConnectionSettings);

        public static PortalConnection PortalConnection(Sandboxes sandboxes) => new()
        {
            Id = PortalId, BaseUrl = new Uri(sandboxes.Root, "sandbox/portal").ToString(), Email = sandboxes.Portal.Options.AgentEmail,
            State = ConnectionState.Active, ClusterIdFieldId = sandboxes.Portal.Options.ClusterIdFieldId, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "benchmark",
        };

        public Task<IPsaClient> GetClientAsync(Guid connectionId, CancellationToken cancellationToken) =>
            Task.FromResult(services.GetRequiredService<AutotaskClientFactory>().Create(
                PsaCredentials(sandboxes), new AutotaskClientOptions(connectionId.ToString("N"), new Uri(sandboxes.Root, "sandbox/autotask/ATServicesRest/"))));

        public Task<(PortalConnection Connection, IPortalClient Client)?> GetActiveAsync(CancellationToken cancellationToken)
        {
            var connection = PortalConnection(sandboxes);
            _portal ??= services.GetRequiredService<ZendeskClientFactory>().Create(new ZendeskConnectionSettings
            {
                BaseUrl = connection.BaseUrl, Email = connection.Email, ApiToken = sandboxes.Portal.Options.ApiToken, ClusterIdFieldId = connection.ClusterIdFieldId,
            });
            return Task.FromResult<(PortalConnection, IPortalClient)?>((connection, _portal));
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using EasyConnect.Benchmarks.Infrastructure;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Portal.Zendesk;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.Psa.ConnectWise;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.ConnectWise;
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
/// New portal tickets with comments synced into the ConnectWise sandbox by the real <see cref="TicketSyncEngine"/>, both sandboxes
/// answering with a fixed latency: API calls per ticket against the fewest a ticket can take, wall time against the bound the latency
/// and the concurrency limit set, and the cost of a run in which nothing changed.
/// </summary>
internal sealed class TicketSyncBenchmark : IBenchmarkCommand
{
    private const string ClientId = "6b1f8d0e-0000-4000-8000-00000000be02";
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);
    private const int QuietRuns = 5;

    public string Name => "tickets";

    public string Summary => "new portal tickets with comments synced into the ConnectWise sandbox through TicketSyncEngine, at a fixed latency";

    public bool IsBenchmark => true;

    public IReadOnlyList<BenchmarkOption> Options { get; } =
    [
        new("tickets", "10,000", "new portal tickets"),
        new("comments", "3", "comments on each ticket after its description"),
        new("latency-ms", "20", "latency both sandboxes add to every request"),
    ];

    public async Task<int> RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var tickets = arguments.Int("tickets", 10_000, 1, 100_000);
        var comments = arguments.Int("comments", 3, 0, 50);
        var latency = arguments.Int("latency-ms", 20, 0, 10_000);
        var report = new Report(output);
        output.WriteLine($"EasyConnect benchmark: ticket sync of {tickets:N0} new portal tickets with {comments} comments each, {latency} ms latency");
        report.Line("machine", $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");

        var setup = Stopwatch.StartNew();
        await using var sandboxes = await Sandboxes.StartAsync(cancellationToken);
        await using var database = await BenchmarkDatabase.StartAsync(cancellationToken);
        await using var services = Build(database.ConnectionString, sandboxes);
        var connection = await AddConnectionsAsync(database, sandboxes, cancellationToken);
        var mirror = await services.GetRequiredService<PsaSyncEngine>().RunAsync(connection, new SyncRunRequest(SyncRunKind.Full), cancellationToken);
        if (mirror.Status != SyncRunStatus.Succeeded)
        {
            await output.WriteLineAsync($"The mirror of the sandbox did not succeed ({mirror.Status}): {mirror.Message}");
            return 1;
        }

        await ConfirmSettingsAsync(database, sandboxes.Psa, connection, cancellationToken);
        var configurations = sandboxes.Psa.ConfigurationCount;
        for (var i = 0; i < tickets; i++)
        {
            var ticket = sandboxes.Portal.AddTicket($"Benchmark ticket {i}", $"Description of ticket {i}.",
                clusterId: $"CL-{i % configurations + 1:000000}", priority: "normal", status: "open");
            for (var c = 0; c < comments; c++)
            {
                sandboxes.Portal.AddComment(ticket.Id, $"Comment {c} on ticket {i}.");
            }
        }

        report.Line("setup", $"sandboxes, database, mirror ({Report.Count(mirror.Entities.Sum(e => e.Upserted))} rows) and portal tickets in {Report.Seconds(setup.Elapsed)}");
        var faults = new SandboxFaults { LatencyMs = latency };
        sandboxes.Psa.Faults.Faults = faults;
        sandboxes.Portal.Faults.Faults = faults;

        var engine = services.GetRequiredService<TicketSyncEngine>();
        var remote = services.GetRequiredService<RemoteWait>();
        var first = await MeasureAsync(engine, connection, sandboxes, remote, cancellationToken);
        var settle = await MeasureAsync(engine, connection, sandboxes, remote, cancellationToken);
        await Task.Delay(Overlap + TimeSpan.FromSeconds(1), cancellationToken);
        var quiet = new List<Measured>();
        for (var i = 0; i < QuietRuns; i++)
        {
            quiet.Add(await MeasureAsync(engine, connection, sandboxes, remote, cancellationToken));
        }

        var idle = quiet[0];
        var synced = sandboxes.Psa.TicketCount;
        if (first.Result.Status != SyncRunStatus.Succeeded || synced < tickets)
        {
            await output.WriteLineAsync($"The ticket sync did not succeed ({first.Result.Status}, {synced:N0} of {tickets:N0} PSA tickets): {first.Result.Message}");
            await using var db = database.CreateContext();
            foreach (var reason in await db.TicketLinks.Where(l => l.HeldReason != null || l.LastError != null)
                .GroupBy(l => l.HeldReason ?? l.LastError).OrderByDescending(g => g.Count()).Select(g => new { Reason = g.Key, Count = g.Count() }).Take(5).ToListAsync(cancellationToken))
            {
                await output.WriteLineAsync($"  {reason.Count:N0} x {reason.Reason}");
            }

            return 1;
        }

        // The fewest calls a new ticket can take: read its comments, create the PSA ticket (the description is its first note),
        // attach its configuration, add one note per comment, and store the PSA ticket's id on the portal ticket.
        var minimumPerTicket = 1 + 1 + 1 + comments + 1;
        var concurrency = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConnectWiseOptions>>().Value.MaxConcurrency;
        var bound = TimeSpan.FromMilliseconds((double)first.PsaRequests * latency / concurrency);

        report.Heading("First run: every ticket new");
        report.Line("tickets created / held / failed", $"{first.Result.Counts.Created:N0} / {first.Result.Counts.Held:N0} / {first.Result.Counts.Failed:N0}");
        report.Line("comments written as notes", Report.Count(first.Result.Counts.CommentsToNotes));
        report.Line("wall time", Report.Seconds(first.Elapsed));
        report.Line("tickets/s", $"{tickets / first.Elapsed.TotalSeconds:N1}");
        report.Line("API calls: PSA / portal", $"{first.PsaRequests:N0} / {first.PortalRequests:N0}");
        report.Line("API calls per ticket", $"{(first.PsaRequests + first.PortalRequests) / (double)tickets:0.00} (minimum {minimumPerTicket}: {(first.PsaRequests + first.PortalRequests) / (double)tickets / minimumPerTicket:0.00}x)");
        report.Line("bound: PSA calls x latency / concurrency", $"{Report.Seconds(bound)} ({first.PsaRequests:N0} x {latency} ms / {concurrency})");
        report.Line("wall time / bound", Report.Ratio(first.Elapsed / bound));
        // On a shared machine wall time follows the load; the CPU a ticket costs does not, so a change is judged by this line.
        report.Line("CPU per ticket (this process)",
            $"{first.Cpu.TotalMilliseconds / tickets:N1} ms ({Report.Seconds(first.Cpu)} in all); {first.Allocated / 1024.0 / tickets:N0} KB allocated per ticket");

        // The run right after: every ticket the first run wrote reads as changed on both sides, and is recognised as EasyConnect's
        // own write by the stamps its answers carried (docs/ticket-sync.md), so nothing is read back. Target: <= 2 calls per connection.
        report.Heading("Second run: right after the first, nothing changed but the first run's own writes (target: <= 2 calls per connection)");
        report.Line("API calls: PSA / portal", $"{settle.PsaRequests:N0} / {settle.PortalRequests:N0}");
        report.Line("calls per connection: PSA / portal", $"{settle.PsaRequests:N0} / {settle.PortalRequests:N0} (target <= 2 each)");
        report.Line("PSA tickets read in the overlap", Report.Count(settle.Result.Counts.PsaTicketsRead));
        report.Line("tickets looked at / written", $"{settle.Result.Counts.Examined:N0} / {settle.Result.Counts.Written:N0}");
        report.Line("wall time", $"{settle.Elapsed.TotalMilliseconds:N0} ms");
        report.Line("engine time (wall time less the wait)", $"{(settle.Elapsed - settle.RemoteWait).TotalMilliseconds:N0} ms");

        // The quiet run's own cost is its engine time: its wall time less the time spent waiting for the two APIs, which here is
        // mostly the latency the sandboxes add on purpose. Its first run follows the big runs' writes (PostgreSQL may still be
        // checkpointing them), so the same quiet run is repeated and the median shown beside it.
        var median = quiet.Select(q => q.Elapsed - q.RemoteWait).Order().ElementAt(quiet.Count / 2);
        report.Heading($"Third run: nothing changed, started after the PSA overlap ({Overlap.TotalSeconds:N0} s here) had passed: the steady cost of a quiet schedule");
        report.Line("API calls: PSA / portal", $"{idle.PsaRequests:N0} / {idle.PortalRequests:N0}");
        report.Line("PSA tickets read again in the overlap", Report.Count(idle.Result.Counts.PsaTicketsRead));
        report.Line("tickets looked at / written", $"{idle.Result.Counts.Examined:N0} / {idle.Result.Counts.Written:N0}");
        report.Line("wall time", $"{idle.Elapsed.TotalMilliseconds:N0} ms");
        report.Line("waiting for the APIs", $"{idle.RemoteWait.TotalMilliseconds:N0} ms");
        report.Line("engine time (wall time less the wait)", $"{(idle.Elapsed - idle.RemoteWait).TotalMilliseconds:N0} ms");
        report.Line($"engine time of {QuietRuns} quiet runs: median (all)",
            $"{median.TotalMilliseconds:N0} ms ({string.Join(", ", quiet.Select(q => $"{(q.Elapsed - q.RemoteWait).TotalMilliseconds:N0}"))} ms; " +
            $"{string.Join(", ", quiet.Select(q => q.PsaRequests + q.PortalRequests))} calls)");
        return 0;
    }

    private static async Task<Measured> MeasureAsync(TicketSyncEngine engine, Guid connection, Sandboxes sandboxes, RemoteWait remote, CancellationToken cancellationToken)
    {
        sandboxes.Psa.Faults.ResetRequests();
        sandboxes.Portal.Faults.ResetRequests();
        var psaBefore = sandboxes.Psa.Faults.RequestsReceived;
        var portalBefore = sandboxes.Portal.Faults.RequestsReceived;
        var waitBefore = remote.Elapsed;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var started = Stopwatch.GetTimestamp();
        var result = await engine.RunAsync(connection, new TicketSyncRequest(StartedBy: "benchmark"), cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new Measured(result, elapsed, sandboxes.Psa.Faults.RequestsReceived - psaBefore, sandboxes.Portal.Faults.RequestsReceived - portalBefore,
            remote.Elapsed - waitBefore, Process.GetCurrentProcess().TotalProcessorTime - cpuBefore, GC.GetTotalAllocatedBytes() - allocatedBefore);
    }

    private static ServiceProvider Build(string connectionString, Sandboxes sandboxes)
    {
        var services = BenchmarkServices.Create(connectionString);
        services.AddOptions<TicketSyncOptions>().Configure(o =>
        {
            o.FirstRunReach = TimeSpan.FromDays(30);
            o.MaxTicketsPerRun = 1_000_000;
            // Runs here follow each other within seconds; scheduled runs are minutes apart, longer than the default 2-minute overlap.
            // A short overlap lets the third run show the steady cost without waiting minutes.
            o.PsaOverlap = Overlap;
        });
        // Outermost handler of every API client: the time a run spends waiting for the PSA and the portal (retries included).
        services.AddSingleton<RemoteWait>();
        services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(sp => new RemoteWaitHandler(sp.GetRequiredService<RemoteWait>())));
        services.AddEasyConnectConnectWise();
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
            Id = Guid.NewGuid(), Kind = PsaKind.ConnectWise, InstanceKey = Clients.PsaCredentials(sandboxes).InstanceKey,
            DisplayName = "ConnectWise sandbox", State = ConnectionState.Active, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "benchmark",
        };
        db.PsaConnections.Add(psa);
        db.PortalConnections.Add(Clients.PortalConnection(sandboxes));
        await db.SaveChangesAsync(cancellationToken);
        return psa.Id;
    }

    private static async Task ConfirmSettingsAsync(BenchmarkDatabase database, ConnectWiseSandboxState psa, Guid connection, CancellationToken cancellationToken)
    {
        string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
        var (board, _, _) = psa.Defaults();
        var priorities = psa.RecordIds("service/priorities").Take(4).Select(Id).ToList();
        var statuses = psa.RecordIds("service/boards/statuses").Take(6).Select(Id).ToList();
        await using var db = database.CreateContext();
        db.AdvancedSettings.Add(new AdvancedSettings
        {
            ConnectionId = connection,
            DefaultBoardId = Id(board),
            PriorityMap = new() { ["urgent"] = priorities[0], ["high"] = priorities[1], ["normal"] = priorities[2], ["low"] = priorities[3] },
            StatusMap = new() { ["new"] = statuses[0], ["open"] = statuses[1], ["pending"] = statuses[2], ["hold"] = statuses[3], ["solved"] = statuses[4], ["closed"] = statuses[5] },
            ClusterIdMatch = ClusterIdMatch.CustomField,
            ClusterIdCustomField = "ClusterID",
            SyncEnabled = true,
            ConfirmedAt = DateTimeOffset.UtcNow,
            ConfirmedBy = "benchmark",
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <param name="Cpu">The process's CPU time over the run: the engine, its clients and both sandboxes (PostgreSQL is another process).</param>
    private sealed record Measured(TicketSyncResult Result, TimeSpan Elapsed, long PsaRequests, long PortalRequests, TimeSpan RemoteWait, TimeSpan Cpu, long Allocated);

    /// <summary>
    /// The time spent inside API requests, summed. Only meaningful for a quiet run, whose two requests follow each other; the
    /// requests of a busy run overlap.
    /// </summary>
    private sealed class RemoteWait
    {
        private long _ticks;

        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

        public void Add(long ticks) => Interlocked.Add(ref _ticks, ticks);
    }

    private sealed class RemoteWaitHandler(RemoteWait wait) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                wait.Add(Stopwatch.GetTimestamp() - started);
            }
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
            Psa = app.Services.GetRequiredService<ConnectWiseSandboxState>();
            Portal = app.Services.GetRequiredService<PortalSandboxState>();
        }

        public Uri Root { get; }

        public ConnectWiseSandboxState Psa { get; }

        public PortalSandboxState Portal { get; }

        public static async Task<Sandboxes> StartAsync(CancellationToken cancellationToken)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddEasyConnectConnectWiseSandbox(o =>
            {
                o.Configurations = 2_000;
                o.Tickets = 0;
            });
            builder.Services.AddEasyConnectPortalSandbox(o =>
            {
                o.Tickets = 0;
                o.ExportRequestsPerMinute = 0;
            });
            var app = builder.Build();
            app.MapConnectWiseSandbox("/sandbox/connectwise");
            app.MapPortalSandbox("/sandbox/portal");
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Sandboxes(app, new Uri(address.TrimEnd('/') + "/"));
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
        private static readonly Guid PortalId = Guid.Parse("0b3c7a4e-0000-4000-8000-0000000be002");
        private IPortalClient? _portal;

        public static ConnectWiseCredentials PsaCredentials(Sandboxes sandboxes)
        {
            var o = sandboxes.Psa.Options;
            return new(new Uri(sandboxes.Root, "sandbox/connectwise").ToString(), o.CompanyId, o.PublicKey, o.PrivateKey, ClientId);
        }

        public static PortalConnection PortalConnection(Sandboxes sandboxes) => new()
        {
            Id = PortalId, BaseUrl = new Uri(sandboxes.Root, "sandbox/portal").ToString(), Email = sandboxes.Portal.Options.AgentEmail,
            State = ConnectionState.Active, ClusterIdFieldId = sandboxes.Portal.Options.ClusterIdFieldId, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "benchmark",
        };

        public Task<IPsaClient> GetClientAsync(Guid connectionId, CancellationToken cancellationToken) =>
            Task.FromResult(services.GetRequiredService<ConnectWiseClientFactory>().Create(PsaCredentials(sandboxes), new ConnectWiseClientOptions(connectionId.ToString("N"))));

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

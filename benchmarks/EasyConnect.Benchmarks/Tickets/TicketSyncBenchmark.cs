using System.Diagnostics;
using EasyConnect.Benchmarks.Infrastructure;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Portal;
using EasyConnect.Sync.Portal.Zendesk;
using EasyConnect.Sync.Psa;
using EasyConnect.Sync.PsaSync;
using EasyConnect.Sync.Runs;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Settings;
using EasyConnect.Sync.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EasyConnect.Benchmarks.Tickets;

/// <summary>
/// New portal tickets with comments synced into a PSA's sandbox by the real <see cref="TicketSyncEngine"/>, both sandboxes answering with
/// a fixed latency and the PSA's sandbox holding its limits: API calls per ticket against the fewest a ticket can take, wall time against
/// the bound the PSA's limits set, the 429s met, the run right after (which must find only EasyConnect's own writes and read none of them
/// back), and the cost of a run in which nothing changed. What differs between PSAs is in <see cref="TicketBenchmarkPsa"/>.
/// </summary>
/// <param name="name">The command's name.</param>
/// <param name="psa">The PSA the command is bound to (an alias such as <c>autotask-tickets</c>), or null to take <c>--psa</c>.</param>
internal sealed class TicketSyncBenchmark(string name = "tickets", TicketBenchmarkPsa? psa = null) : IBenchmarkCommand
{
    // Runs here follow each other within seconds; scheduled runs are minutes apart, longer than the default 2-minute overlap. A short
    // overlap keeps the PSA read of the run right after to the tickets of the first run's last seconds, and lets the quiet runs show the
    // steady cost without waiting minutes.
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);
    private const int QuietRuns = 5;

    public string Name => name;

    public string Summary => psa is null
        ? $"new portal tickets with comments synced into a PSA's sandbox ({string.Join(", ", TicketBenchmarkPsa.All.Select(p => p.Key))}) through TicketSyncEngine"
        : $"the same as tickets --psa {psa.Key}";

    public bool IsBenchmark => true;

    public IReadOnlyList<BenchmarkOption> Options =>
    [
        .. psa is null ? [new BenchmarkOption("psa", TicketBenchmarkPsa.All[0].Key, $"the PSA: {string.Join(", ", TicketBenchmarkPsa.All.Select(p => p.Key))}")] : Array.Empty<BenchmarkOption>(),
        new("tickets", "10,000", "new portal tickets"),
        new("comments", "3", "comments on each ticket after its description"),
        new("latency-ms", "20", "latency both sandboxes add to every request"),
        new("warm-up", "500", "tickets synced first and not counted, so the measured run finds its code compiled as a running server does"),
        .. (psa is null ? TicketBenchmarkPsa.All : [psa]).SelectMany(p => p.Options),
    ];

    public async Task<int> RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var target = psa ?? TicketBenchmarkPsa.All.Single(p => p.Key == arguments.Choice("psa", [.. TicketBenchmarkPsa.All.Select(p => p.Key)]));
        foreach (var option in Options.Where(o => o.Name != "psa" && target.Options.All(t => t.Name != o.Name) && o.Name is not ("tickets" or "comments" or "latency-ms" or "warm-up")))
        {
            if (arguments.Has(option.Name))
            {
                throw new BenchmarkUsageException($"--{option.Name} is not an option of --psa {target.Key}.");
            }
        }

        target.Configure(arguments);
        var tickets = arguments.Int("tickets", 10_000, 1, 100_000);
        var comments = arguments.Int("comments", 3, 0, 50);
        var latency = arguments.Int("latency-ms", 20, 0, 10_000);
        var warmUp = arguments.Int("warm-up", 500, 0, 100_000);
        var report = new Report(output);
        output.WriteLine($"EasyConnect benchmark: ticket sync of {tickets:N0} new portal tickets with {comments} comments each into {target.Name}" +
            $"{(target.Limits.Length == 0 ? "" : ", " + target.Limits)}, {latency} ms latency");
        report.Line("machine", $"{Environment.ProcessorCount} cores, load average {LoadAverage()}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");

        var setup = Stopwatch.StartNew();
        var meters = new TicketBenchmarkMeters();
        await using var sandboxes = await TicketBenchmarkSandboxes.StartAsync(target, meters, cancellationToken);
        await using var database = await BenchmarkDatabase.StartAsync(cancellationToken);
        await using var services = Build(database.ConnectionString, target, sandboxes, meters);
        var connection = await AddConnectionsAsync(database, target, sandboxes, cancellationToken);
        var mirror = await services.GetRequiredService<PsaSyncEngine>().RunAsync(connection, new SyncRunRequest(SyncRunKind.Full), cancellationToken);
        if (mirror.Status != SyncRunStatus.Succeeded)
        {
            await output.WriteLineAsync($"The mirror of the sandbox did not succeed ({mirror.Status}): {mirror.Message}");
            return 1;
        }

        await ConfirmSettingsAsync(database, target, sandboxes.Psa, connection, cancellationToken);
        void AddTickets(string name, int count)
        {
            for (var i = 0; i < count; i++)
            {
                var ticket = sandboxes.Portal.AddTicket($"{name} {i}", $"Description of {name.ToLowerInvariant()} {i}.",
                    clusterId: $"CL-{i % target.Configurations + 1:000000}", priority: "normal", status: "open");
                for (var c = 0; c < comments; c++)
                {
                    sandboxes.Portal.AddComment(ticket.Id, $"Comment {c} on {name.ToLowerInvariant()} {i}.");
                }
            }
        }

        report.Line("setup", $"sandboxes, database, mirror ({Report.Count(mirror.Entities.Sum(e => e.Upserted))} rows) in {Report.Seconds(setup.Elapsed)}");
        var faults = new SandboxFaults { LatencyMs = latency };
        sandboxes.Psa.Faults.Faults = faults;
        sandboxes.Portal.Faults.Faults = faults;
        var engine = services.GetRequiredService<TicketSyncEngine>();

        // A server has run its sync code many times before a big run comes; a fresh process first compiles it (JIT, tiering). The
        // warm-up pays that here, reported apart, so the measured run shows what a run costs, not what starting a process does.
        if (warmUp > 0)
        {
            AddTickets("Warm-up ticket", warmUp);
            var warm = await MeasureAsync(engine, connection, sandboxes, meters, cancellationToken);
            report.Line("warm-up (not counted)", $"{Report.Count(warm.Result.Counts.Created)} tickets in {Report.Seconds(warm.Elapsed)} " +
                $"({Report.Ratio(warm.Elapsed / target.Bound(warm, latency, services).Bound)} of its bound; {warm.Cpu.TotalMilliseconds / Math.Max(1, warmUp):N1} ms CPU per ticket)");
            // Scheduled runs are minutes apart: the portal's export limit (10 requests a minute) has forgotten the warm-up's reads.
            await Task.Delay(TimeSpan.FromSeconds(61), cancellationToken);
        }

        var added = Stopwatch.StartNew();
        AddTickets("Benchmark ticket", tickets);
        report.Line("portal tickets", $"{Report.Count(tickets)} added in {Report.Seconds(added.Elapsed)}");
        var existing = target.TicketCount(sandboxes.Psa);
        var jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        var jitTime = System.Runtime.JitInfo.GetCompilationTime();
        var first = await MeasureAsync(engine, connection, sandboxes, meters, cancellationToken);
        jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - jitted;
        jitTime = System.Runtime.JitInfo.GetCompilationTime() - jitTime;
        var after = await MeasureAsync(engine, connection, sandboxes, meters, cancellationToken);
        await Task.Delay(Overlap + TimeSpan.FromSeconds(1), cancellationToken);
        var quiet = new List<TicketRun>();
        for (var i = 0; i < QuietRuns; i++)
        {
            quiet.Add(await MeasureAsync(engine, connection, sandboxes, meters, cancellationToken));
        }

        var synced = target.TicketCount(sandboxes.Psa) - existing;
        if (first.Result.Status != SyncRunStatus.Succeeded || synced < tickets)
        {
            await output.WriteLineAsync($"The ticket sync did not succeed ({first.Result.Status}, {synced:N0} of {tickets:N0} {target.Name} tickets): {first.Result.Message}");
            await using var db = database.CreateContext();
            foreach (var reason in await db.TicketLinks.Where(l => l.HeldReason != null || l.LastError != null)
                .GroupBy(l => l.HeldReason ?? l.LastError).OrderByDescending(g => g.Count()).Select(g => new { Reason = g.Key, Count = g.Count() }).Take(5).ToListAsync(cancellationToken))
            {
                await output.WriteLineAsync($"  {reason.Count:N0} x {reason.Reason}");
            }

            return 1;
        }

        var (minimum, why) = target.Minimum(comments);
        var perTicket = first.Calls / (double)tickets;
        var (bound, boundLabel, boundValue) = target.Bound(first, latency, services);

        report.Heading("First run: every ticket new");
        report.Line("tickets created / held / failed", $"{first.Result.Counts.Created:N0} / {first.Result.Counts.Held:N0} / {first.Result.Counts.Failed:N0}");
        report.Line("comments written as notes", Report.Count(first.Result.Counts.CommentsToNotes));
        report.Line("wall time", Report.Seconds(first.Elapsed));
        report.Line("tickets/s", $"{tickets / first.Elapsed.TotalSeconds:N1}");
        report.Line($"API calls: {target.Name} / portal", $"{first.PsaRequests:N0} / {first.PortalRequests:N0}");
        WriteByLimit(report, target, first);
        report.Line("API calls per ticket", $"{perTicket:0.00} (minimum {minimum}: {perTicket / minimum:0.00}x)");
        report.Line("the minimum", why);
        report.Line(boundLabel, $"{Report.Seconds(bound)} ({boundValue})");
        report.Line("wall time / bound", Report.Ratio(first.Elapsed / bound));
        report.Line($"429 answered by {target.Name} (target 0)", Report.Count(first.Refused));
        // On a shared machine wall time follows the load; the CPU a ticket costs does not, so a change is judged by this line.
        // Where the bound is lost: a call holds a slot for the latency plus the sandbox's and the client's own time, and a slot stands
        // empty while a freed one is handed to the next call or no ticket has a call ready.
        report.Line($"{target.Name} call: in the sandbox / in the client",
            $"{first.PsaServer.TotalMilliseconds / first.PsaRequests:N2} ms / {first.PsaWait.TotalMilliseconds / first.PsaRequests:N2} ms on average ({latency} ms of it latency)");
        report.Line($"{target.Name} calls in flight on average", $"{first.PsaWait / first.Elapsed:N2} in the client, {first.PsaServer / first.Elapsed:N2} in the sandbox");
        report.Line("methods compiled during the run (JIT)", $"{jitted:N0} in {Report.Seconds(jitTime)}");
        report.Line("CPU per ticket (this process)",
            $"{first.Cpu.TotalMilliseconds / tickets:N1} ms ({Report.Seconds(first.Cpu)} in all); {first.Allocated / 1024.0 / tickets:N0} KB allocated per ticket");

        // The run right after: every ticket the first run wrote reads as changed on both sides, and is recognised as EasyConnect's own
        // write (docs/ticket-sync.md), so nothing is read back. Target: <= 2 calls per connection.
        report.Heading("Second run: right after the first, nothing changed but the first run's own writes (target: <= 2 calls per connection)");
        report.Line($"calls per connection: {target.Name} / portal", $"{after.PsaRequests:N0} / {after.PortalRequests:N0} (target <= 2 each)");
        WriteByLimit(report, target, after);
        report.Line($"{target.Name} tickets read in the overlap", Report.Count(after.Result.Counts.PsaTicketsRead));
        report.Line("tickets looked at / written", $"{after.Result.Counts.Examined:N0} / {after.Result.Counts.Written:N0}");
        report.Line("wall time", $"{after.Elapsed.TotalMilliseconds:N0} ms");
        // The first run's last read of the portal may have used the export limit's minute; a scheduled run minutes later finds it free.
        report.Line("of it waiting for the portal's export limit", after.Elapsed > TimeSpan.FromSeconds(5)
            ? "most: Zendesk allows 10 export requests a minute, and the first run's last read used them" : "none");
        // The wait is summed over requests; where they overlapped it exceeds the wall time and says nothing of the engine.
        report.Line("engine time (wall time less the wait)", after.Elapsed > after.RemoteWait
            ? $"{(after.Elapsed - after.RemoteWait).TotalMilliseconds:N0} ms" : "not measured: its requests overlapped");

        // The quiet run's own cost is its engine time: its wall time less the time spent waiting for the two APIs, which here is mostly
        // the latency the sandboxes add on purpose. Its first run follows the big runs' writes (PostgreSQL may still be checkpointing
        // them), so the same quiet run is repeated and the median shown beside it.
        var idle = quiet[0];
        var median = quiet.Select(q => q.Elapsed - q.RemoteWait).Order().ElementAt(quiet.Count / 2);
        report.Heading($"Third run: nothing changed, started after the PSA overlap ({Overlap.TotalSeconds:N0} s here) had passed: the steady cost of a quiet schedule");
        report.Line($"API calls: {target.Name} / portal", $"{idle.PsaRequests:N0} / {idle.PortalRequests:N0}");
        report.Line($"{target.Name} tickets read again in the overlap", Report.Count(idle.Result.Counts.PsaTicketsRead));
        report.Line("tickets looked at / written", $"{idle.Result.Counts.Examined:N0} / {idle.Result.Counts.Written:N0}");
        report.Line("wall time", $"{idle.Elapsed.TotalMilliseconds:N0} ms");
        report.Line("waiting for the APIs", $"{idle.RemoteWait.TotalMilliseconds:N0} ms");
        report.Line("engine time (wall time less the wait)", $"{(idle.Elapsed - idle.RemoteWait).TotalMilliseconds:N0} ms");
        report.Line($"engine time of {QuietRuns} quiet runs: median (all)",
            $"{median.TotalMilliseconds:N0} ms ({string.Join(", ", quiet.Select(q => $"{(q.Elapsed - q.RemoteWait).TotalMilliseconds:N0}"))} ms; " +
            $"{string.Join(", ", quiet.Select(q => q.Calls))} calls)");
        report.Line($"429 answered by {target.Name} after the first run", Report.Count(after.Refused + quiet.Sum(q => q.Refused)));

        target.ReportOwn(report, first, tickets, bound);
        return 0;
    }

    private static void WriteByLimit(Report report, TicketBenchmarkPsa target, TicketRun run)
    {
        if (!target.LimitsByEntity)
        {
            return;
        }

        report.Line($"{target.Name} calls by entity", run.ByLimit.Count == 0 ? "none" : string.Join(", ", run.ByLimit.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value:N0}")));
    }

    private static async Task<TicketRun> MeasureAsync(
        TicketSyncEngine engine, Guid connection, TicketBenchmarkSandboxes sandboxes, TicketBenchmarkMeters meters, CancellationToken cancellationToken)
    {
        var psaBefore = sandboxes.Psa.Faults.RequestsReceived;
        var portalBefore = sandboxes.Portal.Faults.RequestsReceived;
        var refusedBefore = meters.Refused;
        var waitBefore = meters.RemoteWait;
        var psaWaitBefore = meters.PsaWait;
        var psaServerBefore = meters.PsaServerTime;
        meters.ResetByLimit();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var started = Stopwatch.GetTimestamp();
        var result = await engine.RunAsync(connection, new TicketSyncRequest(StartedBy: "benchmark"), cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new TicketRun(result, elapsed, sandboxes.Psa.Faults.RequestsReceived - psaBefore, sandboxes.Portal.Faults.RequestsReceived - portalBefore,
            meters.RemoteWait - waitBefore, meters.PsaWait - psaWaitBefore, meters.PsaServerTime - psaServerBefore, Process.GetCurrentProcess().TotalProcessorTime - cpuBefore, GC.GetTotalAllocatedBytes() - allocatedBefore,
            meters.ByLimit(), meters.Refused - refusedBefore);
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

    private static ServiceProvider Build(string connectionString, TicketBenchmarkPsa target, TicketBenchmarkSandboxes sandboxes, TicketBenchmarkMeters meters)
    {
        var services = BenchmarkServices.Create(connectionString);
        services.AddOptions<TicketSyncOptions>().Configure(o =>
        {
            o.FirstRunReach = TimeSpan.FromDays(30);
            o.MaxTicketsPerRun = 1_000_000;
            o.PsaOverlap = Overlap;
        });
        services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new TicketBenchmarkHandler(meters, target)));
        target.AddClient(services);
        services.AddEasyConnectZendesk();
        services.AddSingleton<IPsaClientProvider>(sp => new TicketBenchmarkClients(sp, target, sandboxes));
        services.AddSingleton<IPortalClientProvider>(sp => new TicketBenchmarkClients(sp, target, sandboxes));
        services.AddSingleton<TicketLookups>();
        services.AddSingleton<TicketSyncEngine>();
        services.AddSingleton<PsaSyncEngine>();
        return services.BuildServiceProvider();
    }

    private static async Task<Guid> AddConnectionsAsync(BenchmarkDatabase database, TicketBenchmarkPsa target, TicketBenchmarkSandboxes sandboxes, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var connection = new PsaConnection
        {
            Id = Guid.NewGuid(), Kind = sandboxes.Psa.Kind, InstanceKey = target.InstanceKey(sandboxes.Psa),
            DisplayName = $"{target.Name} sandbox", State = ConnectionState.Active, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "benchmark",
        };
        db.PsaConnections.Add(connection);
        db.PortalConnections.Add(TicketBenchmarkClients.PortalConnection(sandboxes));
        await db.SaveChangesAsync(cancellationToken);
        return connection.Id;
    }

    /// <summary>Every portal priority and status mapped, in the PSA's order, as an admin confirming the pre-filled maps would.</summary>
    private static async Task ConfirmSettingsAsync(BenchmarkDatabase database, TicketBenchmarkPsa target, IPsaSandbox psa, Guid connection, CancellationToken cancellationToken)
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
            ClusterIdCustomField = target.ClusterIdField,
            SyncEnabled = true,
            ConfirmedAt = DateTimeOffset.UtcNow,
            ConfirmedBy = "benchmark",
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}

using EasyConnect.Benchmarks;
using EasyConnect.Benchmarks.Budget;
using EasyConnect.Benchmarks.Infrastructure;
using EasyConnect.Benchmarks.Mapping;
using EasyConnect.Benchmarks.Mirror;
using EasyConnect.Benchmarks.Tickets;

// Each benchmark is a sub-command: dotnet run -c Release --project benchmarks/EasyConnect.Benchmarks -- <name> [options]
IBenchmarkCommand[] commands =
[
    new MirrorBenchmark(),
    new TicketSyncBenchmark(),
    // The name the Autotask ticket benchmark had before it became tickets --psa autotask; the guides still give it.
    new TicketSyncBenchmark("autotask-tickets", TicketBenchmarkPsa.All.Single(p => p.Key == "autotask")),
    new UserMappingBenchmark(),
    new ApiBudgetBenchmark(),
    new SandboxCommand(),
];

return await BenchmarkCommands.RunAsync(commands, args, Console.Out, Console.Error);

using System.Globalization;
using EasyConnect.Sync.Sandbox;
using EasyConnect.Sync.Sandbox.ConnectWise;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EasyConnect.Benchmarks.Infrastructure;

/// <summary>
/// Serves the ConnectWise sandbox on a loopback Kestrel port until standard input closes. The benchmarks run it as a
/// child process, so the sandbox's own memory and allocations (it stands in for a remote PSA) stay out of their figures.
/// </summary>
internal sealed class SandboxCommand : IBenchmarkCommand
{
    /// <summary>Where the sandbox is served, as in the app.</summary>
    public const string Prefix = "/sandbox/connectwise";

    /// <summary>The line that tells the parent where the sandbox listens.</summary>
    public const string ReadyLine = "Listening on ";

    public string Name => "sandbox";

    public string Summary => "serve the ConnectWise sandbox on a loopback port until Enter (the benchmarks run it as a child process)";

    public bool IsBenchmark => false;

    public IReadOnlyList<BenchmarkOption> Options { get; } =
    [
        new("configurations", "100,000", "configurations to seed"),
        new("companies", "100", "companies to seed"),
        new("latency-ms", "0", "latency added to every request"),
        new("port", "0", "loopback port; 0 picks a free one"),
    ];

    public async Task<int> RunAsync(BenchmarkArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var configurations = arguments.Int("configurations", 100_000, 0, 1_000_000);
        var companies = arguments.Int("companies", 100, 1, 100_000);
        var latency = arguments.Int("latency-ms", 0, 0, 10_000);
        var port = arguments.Int("port", 0, 0, 65_535);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        builder.Logging.ClearProviders();
        builder.Services.AddEasyConnectConnectWiseSandbox(o =>
        {
            o.Configurations = configurations;
            o.Companies = companies;
        });
        await using var app = builder.Build();
        app.MapConnectWiseSandbox(Prefix);
        app.Services.GetRequiredService<ConnectWiseSandboxState>().Faults.Faults = new SandboxFaults { LatencyMs = latency };
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        await output.WriteLineAsync($"{ReadyLine}{address}{Prefix} ({configurations:N0} configurations, {companies:N0} companies, latency {latency} ms)");
        await output.FlushAsync(cancellationToken);

        // Enter or the end of standard input (the parent closing it, or dying) stops the sandbox.
        await Task.Run(Console.In.ReadLine, cancellationToken).WaitAsync(cancellationToken);
        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}

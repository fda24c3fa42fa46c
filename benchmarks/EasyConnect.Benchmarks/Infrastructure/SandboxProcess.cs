using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using EasyConnect.Sync.Sandbox.ConnectWise;

namespace EasyConnect.Benchmarks.Infrastructure;

/// <summary>The ConnectWise sandbox in a child process (<see cref="SandboxCommand"/>), and its request counter.</summary>
internal sealed class SandboxProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http;

    private SandboxProcess(Process process, Uri site)
    {
        _process = process;
        Site = site;
        _http = new HttpClient { BaseAddress = new Uri(site.ToString().TrimEnd('/') + "/") };
    }

    /// <summary>The sandbox's base URL, as a ConnectWise connection's site.</summary>
    public Uri Site { get; }

    /// <summary>The credentials the sandbox accepts (its defaults).</summary>
    public static ConnectWiseSandboxOptions Credentials { get; } = new();

    public static async Task<SandboxProcess> StartAsync(int configurations, int latencyMs, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable to start the sandbox.");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            // Started as 'dotnet EasyConnect.Benchmarks.dll': the child needs the dll too.
            start.ArgumentList.Add(typeof(SandboxProcess).Assembly.Location);
        }

        foreach (var a in new[] { "sandbox", "--configurations", configurations.ToString(CultureInfo.InvariantCulture), "--latency-ms", latencyMs.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The sandbox process did not start.");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith(SandboxCommand.ReadyLine, StringComparison.Ordinal))
                {
                    var url = line[SandboxCommand.ReadyLine.Length..].Split(' ')[0];
                    return new SandboxProcess(process, new Uri(url));
                }
            }

            var error = await process.StandardError.ReadToEndAsync(cancellationToken);
            throw new InvalidOperationException($"The sandbox process ended before it was ready: {error.Trim()}");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Requests the sandbox has received since start or the last <see cref="ResetRequestsAsync"/>.</summary>
    public async Task<long> RequestsAsync(CancellationToken cancellationToken)
    {
        var answer = await _http.GetFromJsonAsync<RequestCount>("_admin/requests", cancellationToken);
        return answer?.Received ?? throw new InvalidOperationException("The sandbox did not report its request count.");
    }

    public async Task ResetRequestsAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync("_admin/requests/reset", null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private sealed record RequestCount(long Received);
}

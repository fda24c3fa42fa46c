using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EasyConnect.Tests.Support;

/// <summary>
/// EasyConnect installed the way docs/install-linux.md says: <c>dotnet publish</c> of EasyConnect.Admin into a folder of its own,
/// then <c>dotnet EasyConnect.Admin.dll</c> run from that folder as a separate process, in Production, on a loopback port.
/// Disposing kills the process tree and deletes the folder.
/// </summary>
public sealed class PublishedApp : IAsyncDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _folder;
    private Process? _process;

    private PublishedApp(string folder, Uri baseAddress)
    {
        _folder = folder;
        BaseAddress = baseAddress;
    }

    /// <summary>The root URL of the running app, ending with a slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Where the app was published to (its working directory).</summary>
    public string PublishFolder => Path.Combine(_folder, "app");

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Publishes EasyConnect.Admin, starts it on <paramref name="connectionString"/> and waits until <c>/healthz</c> answers 200.</summary>
    public static async Task<PublishedApp> StartAsync(string connectionString, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"easyconnect-published-{Guid.NewGuid():N}");
        var app = new PublishedApp(folder, new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/"));
        try
        {
            await app.PublishAsync(ct);
            app.Start(connectionString);
            await app.WaitForHealthyAsync(ct);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    // The test run has already built EasyConnect.Admin in this configuration (it is a project reference), so publishing reuses that
    // build and only lays out the files: what an MSP runs is the same `dotnet publish`, with -c Release.
    private async Task PublishAsync(CancellationToken ct)
    {
        var project = Path.Combine(RepositoryRoot(), "EasyConnect.Admin", "EasyConnect.Admin.csproj");
        using var publish = NewDotnet("publish", project, "-c", Configuration, "--no-build", "-o", PublishFolder, "-nologo");
        // Variables MSBuild sets for the test run would point the inner build at the outer one's state.
        foreach (var name in publish.StartInfo.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            publish.StartInfo.Environment.Remove(name);
        }

        Run(publish);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(PublishTimeout);
        try
        {
            await publish.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            publish.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet publish did not finish within {PublishTimeout.TotalSeconds} s. Output:\n{Output}");
        }

        Assert.True(publish.ExitCode == 0, $"dotnet publish failed with exit code {publish.ExitCode}. Output:\n{Output}");
        Assert.True(File.Exists(Path.Combine(PublishFolder, "EasyConnect.Admin.dll")), $"dotnet publish made no EasyConnect.Admin.dll in {PublishFolder}. Output:\n{Output}");
    }

    private void Start(string connectionString)
    {
        _process = NewDotnet("EasyConnect.Admin.dll");
        var start = _process.StartInfo;
        // Like the systemd unit: the published folder is the working directory, so it is the content root.
        start.WorkingDirectory = PublishFolder;
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)
            || k.StartsWith("EasyConnect__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["ConnectionStrings__EasyConnect"] = connectionString;
        start.Environment["EasyConnect__KeyEncryption__CertificatePath"] = Path.Combine(_folder, "keys", "key-encryption.pfx");
        start.Environment["EasyConnect__Jobs__WorkerCount"] = "1";
        Run(_process);
    }

    private async Task WaitForHealthyAsync(CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                Assert.Fail($"The published app exited with code {_process.ExitCode} before /healthz answered. Output:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("healthz", ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                last = e.Message;
            }

            await Task.Delay(250, ct);
        }

        Assert.Fail($"The published app's /healthz did not answer 200 within {StartTimeout.TotalSeconds} s (last: {last}). Output:\n{Output}");
    }

    private static Process NewDotnet(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new Process { StartInfo = start };
    }

    private void Run(Process process)
    {
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "EasyConnect.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No EasyConnect.sln above {AppContext.BaseDirectory}.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(timeout.Token);
            }

            _process.Dispose();
        }

        try
        {
            if (Directory.Exists(_folder))
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}

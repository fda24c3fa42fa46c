using System.Net;
using System.Text.Json;
using EasyConnect.Sync.Connections;
using EasyConnect.Sync.Logging;
using EasyConnect.Sync.Psa.ConnectWise;
using EasyConnect.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace EasyConnect.Tests.Admin.Hosting;

/// <summary>What an operator reads in the log: no per-request noise, one line per retry, no error on a first start, JSON when asked.</summary>
public sealed class LoggingTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstStart_LogsNoError_WhenTheDatabaseIsEmpty()
    {
        await using var app = await EasyConnectApp.StartOnEmptyDatabaseAsync(postgres);

        var lines = app.Log.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("database migration(s)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VendorCall_LogsOneRetryWarningWithoutExceptionAndNoPerRequestInformation_WhenTheFirstAttemptFails()
    {
        var vendor = new FlakyVendor();
        await using var app = await EasyConnectApp.StartAsync(postgres, new Dictionary<string, string?> { ["EasyConnect:ConnectWise:RetryBaseDelay"] = "00:00:00.010" },
            services => services.AddHttpClient(ConnectWiseClientFactory.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => vendor));
        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ConnectWiseClientFactory.HttpClientName);

        using var response = await client.GetAsync(new Uri("https://cw.example.com/v4_6_release/apis/3.0/system/info?secret=hidden"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, vendor.Attempts);
        var lines = app.Log.Lines.ToList();
        var retry = Assert.Single(lines, l => l.StartsWith($"Warning {RetryLog.Category}:", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Exception", StringComparison.Ordinal));
        Assert.StartsWith($"Warning {RetryLog.Category}: ConnectWise GET /v4_6_release/apis/3.0/system/info answered no answer (ConnectionError); attempt 1 failed, retrying in ", retry, StringComparison.Ordinal);
        Assert.DoesNotContain("HttpRequestException", retry, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden", retry, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("System.Net.Http.HttpClient", StringComparison.Ordinal) && !l.StartsWith("Debug", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(" Polly", StringComparison.Ordinal));
    }

    [Fact]
    public void ConsoleFormatter_WritesOneJsonObjectPerLine_WhenFormatterNameIsJson()
    {
        var (formatterName, formatter) = Formatter("json");

        var text = Format(formatter);

        Assert.Equal(ConsoleFormatterNames.Json, formatterName);
        var line = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("Warning", json.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal("EasyConnect.Tests", json.RootElement.GetProperty("Category").GetString());
        Assert.Equal("Sync of acme took 12 s", json.RootElement.GetProperty("Message").GetString());
    }

    [Fact]
    public void ConsoleFormatter_WritesOneSimpleLine_WhenFormatterNameIsNotSet()
    {
        var (formatterName, formatter) = Formatter(null);

        var text = Format(formatter);

        Assert.Equal(ConsoleFormatterNames.Simple, formatterName);
        var line = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith("warn: EasyConnect.Tests[0] Sync of acme took 12 s", line.TrimEnd('\r'), StringComparison.Ordinal);
    }

    private static (string Name, ConsoleFormatter Formatter) Formatter(string? formatterName)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:Console:FormatterName"] = formatterName })
            .Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddEasyConnectConsole())
            .BuildServiceProvider();
        var name = services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName!;
        return (name, services.GetServices<ConsoleFormatter>().Single(f => f.Name == name));
    }

    private static string Format(ConsoleFormatter formatter)
    {
        using var writer = new StringWriter();
        var state = new Dictionary<string, object?> { ["Company"] = "acme", ["Seconds"] = 12 };
        formatter.Write(new Microsoft.Extensions.Logging.Abstractions.LogEntry<Dictionary<string, object?>>(LogLevel.Warning, "EasyConnect.Tests", new EventId(0), state, null, (_, _) => "Sync of acme took 12 s"),
            new LoggerExternalScopeProvider(), writer);
        return writer.ToString();
    }

    private sealed class FlakyVendor : HttpMessageHandler
    {
        private int _attempts;

        public int Attempts => _attempts;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _attempts) == 1
                ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (cw.example.com:443)")
                : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent("{}") });
    }
}

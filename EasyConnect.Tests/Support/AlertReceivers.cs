using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace EasyConnect.Tests.Support;

/// <summary>A real SMTP server on a loopback port (the SmtpServer package) that keeps every message it receives.</summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly Store _store = new();

    public TestSmtpServer()
    {
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>Messages received so far.</summary>
    public IReadOnlyList<MimeMessage> Messages => [.. _store.Messages];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class Store : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}

/// <summary>An incoming-webhook receiver on loopback (as Teams or Slack offer): keeps the <c>text</c> of every post; answers <see cref="Status"/>.</summary>
public sealed class TestWebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _posts = new();

    private TestWebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The status it answers (200 unless a test sets another).</summary>
    public int Status { get; set; } = 200;

    /// <summary>The <c>text</c> of each post so far.</summary>
    public IReadOnlyList<string> Posts => [.. _posts];

    /// <summary>Its address (a secret path, as real webhooks have).</summary>
    public string Url { get; private set; } = "";

    public static async Task<TestWebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new TestWebhookReceiver(app);
        app.MapPost("/webhook/secret-path", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            receiver._posts.Enqueue(body.RootElement.GetProperty("text").GetString() ?? "");
            return Results.StatusCode(receiver.Status);
        });
        await app.StartAsync();
        receiver.Url = app.Urls.First() + "/webhook/secret-path";
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

using System.Net.Http.Json;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace EasyConnect.Sync.Alerts;

/// <summary>One alert or digest, ready to send.</summary>
/// <param name="Lines">The body, a paragraph per line; links are absolute where EasyConnect's address is known.</param>
public sealed record AlertMessage(string Title, IReadOnlyList<string> Lines);

/// <summary>How sending to one channel went.</summary>
public sealed record AlertDelivery(string Channel, bool Sent, string Message);

/// <summary>Sends alerts by e-mail (SMTP through MailKit) and to an incoming webhook (a JSON <c>{"text": …}</c> post, which Teams and Slack accept).</summary>
public sealed class AlertSender(IHttpClientFactory httpClients, ILogger<AlertSender> logger)
{
    /// <summary>The named HttpClient of the webhook.</summary>
    public const string HttpClientName = "EasyConnect.Alerts.Webhook";

    /// <summary>How long one channel may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Sends <paramref name="message"/> to every channel that is on; never throws for a channel that fails.</summary>
    internal async Task<IReadOnlyList<AlertDelivery>> SendAsync(AlertDestination destination, AlertMessage message, CancellationToken cancellationToken)
    {
        var results = new List<AlertDelivery>();
        if (destination.EmailEnabled)
        {
            results.Add(await EmailAsync(destination, message, cancellationToken));
        }

        if (destination.WebhookEnabled && destination.WebhookUrl is not null)
        {
            results.Add(await WebhookAsync(destination.WebhookUrl, message, cancellationToken));
        }

        return results;
    }

    private async Task<AlertDelivery> EmailAsync(AlertDestination d, AlertMessage message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var mail = new MimeMessage { Subject = $"EasyConnect: {message.Title}" };
            mail.From.Add(MailboxAddress.Parse(d.FromAddress));
            foreach (var to in d.Recipients)
            {
                mail.To.Add(MailboxAddress.Parse(to));
            }

            mail.Body = new TextPart("plain") { Text = string.Join("\n\n", message.Lines) + "\n\n— EasyConnect" };
            using var smtp = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
            await smtp.ConnectAsync(d.SmtpHost, d.SmtpPort, Security(d.SmtpSecurity), timeout.Token);
            if (!string.IsNullOrEmpty(d.SmtpUserName))
            {
                await smtp.AuthenticateAsync(d.SmtpUserName, d.SmtpPassword ?? "", timeout.Token);
            }

            await smtp.SendAsync(mail, timeout.Token);
            await smtp.DisconnectAsync(true, timeout.Token);
            return new AlertDelivery("E-mail", true, $"Sent to {string.Join(", ", d.Recipients)}.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var why = e switch
            {
                OperationCanceledException => $"the SMTP server {d.SmtpHost}:{d.SmtpPort} did not answer within {Timeout.TotalSeconds:0} seconds",
                AuthenticationException => $"the SMTP server refused the user name or password ({e.Message})",
                SslHandshakeException => $"the secure connection to {d.SmtpHost}:{d.SmtpPort} failed; check the port and the security setting",
                SmtpCommandException c => $"the SMTP server refused the message: {c.Message}",
                System.Net.Sockets.SocketException s => $"{d.SmtpHost}:{d.SmtpPort} could not be reached ({s.SocketErrorCode})",
                SmtpProtocolException or IOException => $"the connection to {d.SmtpHost}:{d.SmtpPort} broke off ({e.Message})",
                _ => e.Message,
            };
            logger.LogWarning("Alert e-mail not sent: {Reason}", why);
            return new AlertDelivery("E-mail", false, $"Not sent: {why}.");
        }
    }

    private async Task<AlertDelivery> WebhookAsync(string url, AlertMessage message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var host = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : "the webhook";
        try
        {
            var text = new StringBuilder($"**EasyConnect: {message.Title}**");
            foreach (var line in message.Lines)
            {
                text.Append("\n\n").Append(line);
            }

            using var response = await httpClients.CreateClient(HttpClientName).PostAsJsonAsync(url, new { text = text.ToString() }, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return new AlertDelivery("Webhook", true, $"Posted to {host}.");
            }

            var why = $"{host} answered {(int)response.StatusCode} {response.ReasonPhrase}";
            logger.LogWarning("Alert webhook not posted: {Reason}", why);
            return new AlertDelivery("Webhook", false, $"Not posted: {why}.");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var why = e is OperationCanceledException ? $"{host} did not answer within {Timeout.TotalSeconds:0} seconds" : $"{host} could not be reached ({e.Message})";
            logger.LogWarning("Alert webhook not posted: {Reason}", why);
            return new AlertDelivery("Webhook", false, $"Not posted: {why}.");
        }
    }

    private static SecureSocketOptions Security(SmtpSecurity security) => security switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.Auto,
    };
}

using System.Net.Mail;
using EasyConnect.Sync.Audit;
using EasyConnect.Sync.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace EasyConnect.Sync.Alerts;

/// <summary>The Notifications page's form. A null secret keeps the stored one; an empty one removes it.</summary>
public sealed record AlertSettingsInput(
    bool EmailEnabled, string SmtpHost, int SmtpPort, SmtpSecurity SmtpSecurity, string SmtpUserName, string? SmtpPassword,
    string FromAddress, string ToAddresses, bool WebhookEnabled, string? WebhookUrl, string AppAddress, int DigestHourUtc);

/// <summary>The stored alert settings as the page shows them: secrets only say whether they are set.</summary>
public sealed record AlertSettingsView(AlertSettingsInput Settings, bool HasSmtpPassword, string? WebhookHint, DateTimeOffset? UpdatedAt, string? UpdatedBy);

/// <summary>Reads and changes where alerts go; validates the form and keeps the SMTP password and webhook address encrypted.</summary>
public sealed class AlertSettingsStore(IDbContextFactory<EasyConnectDbContext> dbFactory, IDataProtectionProvider protection, AuditLog audit, TimeProvider clock)
{
    private readonly IDataProtector _protector = protection.CreateProtector("EasyConnect.Alerts.Secrets.v1");

    /// <summary>The stored settings (defaults when nothing was saved yet).</summary>
    public async Task<AlertSettingsView> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var s = await db.AlertSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new AlertSettings();
        var webhook = Unprotect(s.ProtectedWebhookUrl);
        return new AlertSettingsView(
            new AlertSettingsInput(s.EmailEnabled, s.SmtpHost, s.SmtpPort, s.SmtpSecurity, s.SmtpUserName, null, s.FromAddress, s.ToAddresses,
                s.WebhookEnabled, null, s.AppAddress, s.DigestHourUtc),
            s.ProtectedSmtpPassword is not null, webhook is null ? null : Hint(webhook), s.UpdatedAt == default ? null : s.UpdatedAt, s.UpdatedBy);
    }

    /// <summary>The latest alerts, newest first, for the Notifications page.</summary>
    public async Task<IReadOnlyList<AlertEvent>> RecentAsync(int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AlertEvents.AsNoTracking().OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>What is wrong with the form, field by field (empty when it can be saved).</summary>
    public static IReadOnlyDictionary<string, string> Validate(AlertSettingsInput input, bool hasStoredWebhook)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (input.EmailEnabled)
        {
            if (string.IsNullOrWhiteSpace(input.SmtpHost))
            {
                errors[nameof(input.SmtpHost)] = "Enter the SMTP server's host name, such as smtp.office365.com.";
            }
            else if (input.SmtpHost.Trim().Contains(' ', StringComparison.Ordinal) || input.SmtpHost.Contains("://", StringComparison.Ordinal))
            {
                errors[nameof(input.SmtpHost)] = "Enter only the host name, such as smtp.office365.com (no https://, no spaces).";
            }

            if (input.SmtpPort is < 1 or > 65535)
            {
                errors[nameof(input.SmtpPort)] = "The port is a number from 1 to 65535 (usually 587, or 465 for TLS from the start).";
            }

            if (!IsAddress(input.FromAddress))
            {
                errors[nameof(input.FromAddress)] = "Enter the sender's e-mail address, such as easyconnect@your-msp.com.";
            }

            var recipients = AlertSettings.SplitRecipients(input.ToAddresses);
            if (recipients.Count == 0)
            {
                errors[nameof(input.ToAddresses)] = "Enter at least one recipient.";
            }
            else if (recipients.FirstOrDefault(r => !IsAddress(r)) is { } bad)
            {
                errors[nameof(input.ToAddresses)] = $"\"{bad}\" is not an e-mail address; separate recipients with commas.";
            }
        }

        if (input.WebhookEnabled)
        {
            if (input.WebhookUrl is null && !hasStoredWebhook)
            {
                errors[nameof(input.WebhookUrl)] = "Enter the incoming webhook's address (from the Teams or Slack channel's settings).";
            }
            else if (input.WebhookUrl is { } url && WebhookProblem(url) is { } problem)
            {
                errors[nameof(input.WebhookUrl)] = problem;
            }
        }

        if (!string.IsNullOrWhiteSpace(input.AppAddress) &&
            (!Uri.TryCreate(input.AppAddress.Trim(), UriKind.Absolute, out var app) || app.Scheme is not ("https" or "http")))
        {
            errors[nameof(input.AppAddress)] = "Enter the address people open EasyConnect at, such as https://easyconnect.your-msp.com.";
        }

        if (input.DigestHourUtc is < 0 or > 23)
        {
            errors[nameof(input.DigestHourUtc)] = "The digest hour is from 0 to 23 (UTC).";
        }

        return errors;
    }

    /// <summary>Saves the settings (audited in words); throws <see cref="ArgumentException"/> with the first problem when the form is invalid.</summary>
    public async Task SaveAsync(AlertSettingsInput input, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.AlertSettings.SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            row = new AlertSettings();
            db.AlertSettings.Add(row);
        }

        var errors = Validate(input, row.ProtectedWebhookUrl is not null);
        if (errors.Count > 0)
        {
            throw new ArgumentException(errors.Values.First());
        }

        row.EmailEnabled = input.EmailEnabled;
        row.SmtpHost = input.SmtpHost.Trim();
        row.SmtpPort = input.SmtpPort;
        row.SmtpSecurity = input.SmtpSecurity;
        row.SmtpUserName = input.SmtpUserName.Trim();
        if (input.SmtpPassword is { } password)
        {
            row.ProtectedSmtpPassword = password.Length == 0 ? null : _protector.Protect(password);
        }

        row.FromAddress = input.FromAddress.Trim();
        row.ToAddresses = string.Join(", ", AlertSettings.SplitRecipients(input.ToAddresses));
        row.WebhookEnabled = input.WebhookEnabled;
        if (input.WebhookUrl is { } webhook)
        {
            row.ProtectedWebhookUrl = webhook.Length == 0 ? null : _protector.Protect(webhook.Trim());
        }

        row.AppAddress = input.AppAddress.Trim().TrimEnd('/');
        row.DigestHourUtc = input.DigestHourUtc;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedBy = actor;
        audit.Add(db, actor, "Alerts changed", "Notifications", Describe(row));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The settings with their secrets readable, for sending; <paramref name="input"/> (when given) overrides what is stored, as "Send a test message" needs.</summary>
    internal async Task<AlertDestination> DestinationAsync(AlertSettingsInput? input, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var s = await db.AlertSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new AlertSettings();
        return Destination(s, input);
    }

    /// <summary>The destination of stored settings <paramref name="s"/>, with <paramref name="input"/> (when given) in their place.</summary>
    internal AlertDestination Destination(AlertSettings s, AlertSettingsInput? input = null)
    {
        var password = input?.SmtpPassword is { } typed ? typed : Unprotect(s.ProtectedSmtpPassword);
        var webhook = input?.WebhookUrl is { } url ? url.Trim() : Unprotect(s.ProtectedWebhookUrl);
        var recipients = AlertSettings.SplitRecipients(input?.ToAddresses ?? s.ToAddresses);
        return new AlertDestination(
            input?.EmailEnabled ?? s.EmailEnabled, (input?.SmtpHost ?? s.SmtpHost).Trim(), input?.SmtpPort ?? s.SmtpPort, input?.SmtpSecurity ?? s.SmtpSecurity,
            (input?.SmtpUserName ?? s.SmtpUserName).Trim(), string.IsNullOrEmpty(password) ? null : password, (input?.FromAddress ?? s.FromAddress).Trim(), recipients,
            input?.WebhookEnabled ?? s.WebhookEnabled, string.IsNullOrEmpty(webhook) ? null : webhook, (input?.AppAddress ?? s.AppAddress).Trim().TrimEnd('/'));
    }

    private string? Unprotect(string? payload)
    {
        if (payload is null)
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(payload);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The key-encryption certificate changed: the admin enters the secret again; the page says it is not set.
            return null;
        }
    }

    private static bool IsAddress(string? text) =>
        !string.IsNullOrWhiteSpace(text) && MailAddress.TryCreate(text.Trim(), out var address) && address.Address == text.Trim() && text.Contains('.', StringComparison.Ordinal);

    /// <summary>Why a webhook address cannot be used, or null. Plain http is only accepted for a receiver on this machine.</summary>
    internal static string? WebhookProblem(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return "Enter the full webhook address, starting with https://.";
        }

        return uri.Scheme == "http" && !uri.IsLoopback ? "The webhook address must start with https:// (the address is a secret; plain http would expose it)." : null;
    }

    private static string Hint(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}/…" : "set";

    private static string Describe(AlertSettings s) =>
        (s.EmailEnabled ? $"e-mail on ({s.SmtpHost}:{s.SmtpPort}, {s.Recipients.Count} recipient{(s.Recipients.Count == 1 ? "" : "s")})" : "e-mail off") +
        "; " + (s.WebhookEnabled ? "webhook on" : "webhook off") + $"; digest at {s.DigestHourUtc:00}:00 UTC";
}

/// <summary>Everything needed to send an alert, secrets decrypted; never stored or logged.</summary>
internal sealed record AlertDestination(
    bool EmailEnabled, string SmtpHost, int SmtpPort, SmtpSecurity SmtpSecurity, string SmtpUserName, string? SmtpPassword, string FromAddress,
    IReadOnlyList<string> Recipients, bool WebhookEnabled, string? WebhookUrl, string AppAddress)
{
    /// <summary>Whether any channel is on.</summary>
    public bool AnyChannel => EmailEnabled || (WebhookEnabled && WebhookUrl is not null);

    /// <summary>The absolute address of a page, or the relative one when EasyConnect's address is not set.</summary>
    public string Link(string path) => string.IsNullOrEmpty(AppAddress) ? path : AppAddress + path;
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EasyConnect.Sync.Alerts;

/// <summary>How the connection to the SMTP server is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>TLS from the start on port 465, STARTTLS when the server offers it on other ports.</summary>
    Auto,

    /// <summary>Plain SMTP then STARTTLS, refused when the server does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    SslOnConnect,

    /// <summary>No encryption: only for a relay on the same host or network.</summary>
    None,
}

/// <summary>Where alerts go (Notifications page); one row. Secrets are kept encrypted with Data Protection.</summary>
public sealed class AlertSettings
{
    /// <summary>Longest address, host name or URL.</summary>
    public const int TextMaxLength = 400;

    /// <summary>Always 1: there is one row.</summary>
    public int Id { get; set; } = 1;

    /// <summary>Whether alerts are e-mailed.</summary>
    public bool EmailEnabled { get; set; }

    public string SmtpHost { get; set; } = "";

    public int SmtpPort { get; set; } = 587;

    public SmtpSecurity SmtpSecurity { get; set; }

    /// <summary>Empty when the server takes mail without signing in.</summary>
    public string SmtpUserName { get; set; } = "";

    /// <summary>The SMTP password, encrypted; null when there is none.</summary>
    public string? ProtectedSmtpPassword { get; set; }

    /// <summary>The sender address.</summary>
    public string FromAddress { get; set; } = "";

    /// <summary>Recipients, separated by commas or semicolons.</summary>
    public string ToAddresses { get; set; } = "";

    /// <summary>Whether alerts are posted to an incoming webhook (Microsoft Teams, Slack and the like).</summary>
    public bool WebhookEnabled { get; set; }

    /// <summary>The webhook address, encrypted: whoever knows it can post into the channel.</summary>
    public string? ProtectedWebhookUrl { get; set; }

    /// <summary>EasyConnect's address as the admins open it (links in alerts point there).</summary>
    public string AppAddress { get; set; } = "";

    /// <summary>When (hour of the day, UTC) the daily digest of alerts held back as repeats is sent.</summary>
    public int DigestHourUtc { get; set; } = 7;

    /// <summary>Events up to this time have been turned into alerts; the next scan starts here.</summary>
    public DateTimeOffset? ScannedUntil { get; set; }

    /// <summary>When the last digest was sent (one per day at most).</summary>
    public DateTimeOffset? LastDigestAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";

    /// <summary>The recipients as a list.</summary>
    public IReadOnlyList<string> Recipients => SplitRecipients(ToAddresses);

    /// <summary>Recipients typed as one text, separated by commas, semicolons or lines.</summary>
    public static IReadOnlyList<string> SplitRecipients(string? addresses) =>
        (addresses ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>What an alert is about; one alert per cause per hour at most.</summary>
public enum AlertCause
{
    /// <summary>A sync run failed.</summary>
    RunFailed,

    /// <summary>Tickets were newly held.</summary>
    TicketsHeld,

    /// <summary>The PSA or the portal refused EasyConnect's credentials.</summary>
    CredentialsRefused,
}

/// <summary>
/// One thing worth an alert (table <c>alert_events</c>). Sent at once unless an alert of the same cause and connection went out in
/// the last hour; then it waits for the daily digest.
/// </summary>
public sealed class AlertEvent
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public AlertCause Cause { get; set; }

    /// <summary>The PSA connection it concerns, if any (a repeat is the same cause on the same connection).</summary>
    public Guid? ConnectionId { get; set; }

    /// <summary>One line: what happened.</summary>
    public string Title { get; set; } = "";

    /// <summary>The cause in plain words and what to do.</summary>
    public string Text { get; set; } = "";

    /// <summary>The page that fixes it, relative to EasyConnect's address ("/integration").</summary>
    public string Link { get; set; } = "/";

    /// <summary>When it went out on its own; null while it waits for the digest (or when no channel was on).</summary>
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>When it went out in a digest.</summary>
    public DateTimeOffset? DigestedAt { get; set; }

    /// <summary>Why sending failed, if it did (shown on the Notifications page).</summary>
    public string? SendError { get; set; }
}

internal sealed class AlertSettingsConfiguration : IEntityTypeConfiguration<AlertSettings>
{
    public void Configure(EntityTypeBuilder<AlertSettings> builder)
    {
        builder.ToTable("alert_settings");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.SmtpHost).HasMaxLength(AlertSettings.TextMaxLength);
        builder.Property(s => s.SmtpSecurity).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.SmtpUserName).HasMaxLength(AlertSettings.TextMaxLength);
        builder.Property(s => s.FromAddress).HasMaxLength(AlertSettings.TextMaxLength);
        builder.Property(s => s.ToAddresses).HasMaxLength(2000);
        builder.Property(s => s.AppAddress).HasMaxLength(AlertSettings.TextMaxLength);
        builder.Property(s => s.UpdatedBy).HasMaxLength(256);
        builder.Ignore(s => s.Recipients);
    }
}

internal sealed class AlertEventConfiguration : IEntityTypeConfiguration<AlertEvent>
{
    public void Configure(EntityTypeBuilder<AlertEvent> builder)
    {
        builder.ToTable("alert_events");
        builder.Property(e => e.Cause).HasConversion<string>().HasMaxLength(32);
        builder.Property(e => e.Title).HasMaxLength(400);
        builder.Property(e => e.Text).HasMaxLength(4000);
        builder.Property(e => e.Link).HasMaxLength(400);
        builder.Property(e => e.SendError).HasMaxLength(2000);
        builder.HasIndex(e => new { e.Cause, e.ConnectionId, e.SentAt });
        builder.HasIndex(e => e.At);
    }
}

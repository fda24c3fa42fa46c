using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EasyConnect.Sync.Tickets;

internal sealed class TicketLinkConfiguration : IEntityTypeConfiguration<TicketLink>
{
    public void Configure(EntityTypeBuilder<TicketLink> builder)
    {
        builder.ToTable("ticket_links");
        builder.Property(t => t.PortalTicketId).HasMaxLength(64);
        builder.Property(t => t.PsaTicketId).HasMaxLength(64);
        builder.Property(t => t.PortalPriority).HasMaxLength(20);
        builder.Property(t => t.PortalStatus).HasMaxLength(20);
        builder.Property(t => t.PortalClusterId).HasMaxLength(200);
        builder.Property(t => t.SyncedPriority).HasMaxLength(20);
        builder.Property(t => t.SyncedStatus).HasMaxLength(20);
        builder.Property(t => t.SyncedClusterId).HasMaxLength(200);
        builder.Property(t => t.ConfigurationId).HasMaxLength(64);
        builder.Property(t => t.PortalDescriptionHash).HasMaxLength(64);
        builder.Property(t => t.PsaDescriptionHash).HasMaxLength(64);
        builder.Property(t => t.PsaBoardId).HasMaxLength(64);
        builder.Property(t => t.PsaCompanyId).HasMaxLength(64);
        builder.Property(t => t.PsaStatusId).HasMaxLength(64);
        builder.Property(t => t.PsaPriorityId).HasMaxLength(64);
        builder.Property(t => t.PsaOwnBy).HasMaxLength(100);
        builder.Property(t => t.HeldKind).HasConversion<string>().HasMaxLength(30);
        builder.Ignore(t => t.NeedsWork);
        // A portal ticket has at most one PSA ticket, and a PSA ticket carries at most one portal ticket: the database refuses a second.
        builder.HasIndex(t => new { t.ConnectionId, t.PortalConnectionId, t.PortalTicketId }).IsUnique();
        builder.HasIndex(t => new { t.ConnectionId, t.PsaTicketId }).IsUnique().HasFilter("psa_ticket_id IS NOT NULL");
        builder.HasIndex(t => new { t.ConnectionId, t.PortalUpdatedAt });
    }
}

internal sealed class NoteLinkConfiguration : IEntityTypeConfiguration<NoteLink>
{
    public void Configure(EntityTypeBuilder<NoteLink> builder)
    {
        builder.ToTable("note_links");
        builder.Property(n => n.PortalCommentId).HasMaxLength(64);
        builder.Property(n => n.PsaNoteId).HasMaxLength(64);
        builder.Property(n => n.Origin).HasConversion<string>().HasMaxLength(30);
        builder.Property(n => n.Excerpt).HasMaxLength(300);
        builder.Property(n => n.Author).HasMaxLength(300);
        builder.HasOne<TicketLink>().WithMany().HasForeignKey(n => n.TicketLinkId).OnDelete(DeleteBehavior.Cascade);
        // A comment has at most one note and a note at most one comment.
        builder.HasIndex(n => new { n.TicketLinkId, n.PortalCommentId }).IsUnique().HasFilter("portal_comment_id IS NOT NULL");
        builder.HasIndex(n => new { n.TicketLinkId, n.PsaNoteId }).IsUnique().HasFilter("psa_note_id IS NOT NULL");
        // A ticket's notes are read on every pass: the partial indexes above serve only queries that repeat their filter.
        builder.HasIndex(n => n.TicketLinkId);
        builder.HasIndex(n => n.ConnectionId);
    }
}

internal sealed class SyncIntentConfiguration : IEntityTypeConfiguration<SyncIntent>
{
    public void Configure(EntityTypeBuilder<SyncIntent> builder)
    {
        builder.ToTable("sync_intents");
        builder.Property(i => i.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(i => i.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.SourceKey).HasMaxLength(100);
        builder.Property(i => i.AuthorId).HasMaxLength(64);
        builder.Property(i => i.AuthorName).HasMaxLength(300);
        builder.Property(i => i.ResultId).HasMaxLength(64);
        builder.HasOne<TicketLink>().WithMany().HasForeignKey(i => i.TicketLinkId).OnDelete(DeleteBehavior.Cascade);
        // One write in flight per purpose: a second pending intent for the same comment would be a second note.
        builder.HasIndex(i => new { i.TicketLinkId, i.Kind, i.SourceKey }).IsUnique().HasFilter("state = 'Pending'");
        // A ticket's intents, whatever their state, are read on every pass.
        builder.HasIndex(i => i.TicketLinkId);
        builder.HasIndex(i => new { i.ConnectionId, i.State });
    }
}

internal sealed class TicketLedgerEntryConfiguration : IEntityTypeConfiguration<TicketLedgerEntry>
{
    public void Configure(EntityTypeBuilder<TicketLedgerEntry> builder)
    {
        builder.ToTable("ticket_ledger");
        builder.Property(e => e.Direction).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Result).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Subject).HasMaxLength(40);
        builder.Property(e => e.PortalId).HasMaxLength(64);
        builder.Property(e => e.PsaId).HasMaxLength(64);
        builder.HasOne<TicketLink>().WithMany().HasForeignKey(e => e.TicketLinkId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.TicketLinkId, e.At });
        builder.HasIndex(e => e.ConnectionId);
    }
}

internal sealed class TicketSyncCursorConfiguration : IEntityTypeConfiguration<TicketSyncCursor>
{
    public void Configure(EntityTypeBuilder<TicketSyncCursor> builder)
    {
        builder.ToTable("ticket_sync_cursors");
        builder.HasKey(c => c.ConnectionId);
        builder.Property(c => c.PortalCursor).HasMaxLength(2000);
    }
}

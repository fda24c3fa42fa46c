using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EasyConnect.Sync.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TicketSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ticket_links",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    portal_connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    portal_ticket_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    psa_ticket_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    portal_subject = table.Column<string>(type: "text", nullable: false),
                    portal_description = table.Column<string>(type: "text", nullable: false),
                    portal_priority = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    portal_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    portal_cluster_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    portal_updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    portal_dirty = table.Column<bool>(type: "boolean", nullable: false),
                    synced_subject = table.Column<string>(type: "text", nullable: true),
                    synced_priority = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    synced_status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    synced_cluster_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    configuration_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    external_id_set = table.Column<bool>(type: "boolean", nullable: false),
                    portal_description_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    psa_description_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    psa_summary = table.Column<string>(type: "text", nullable: true),
                    psa_board_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    psa_company_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    psa_status_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    psa_priority_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    psa_last_modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    psa_dirty = table.Column<bool>(type: "boolean", nullable: false),
                    psa_recheck = table.Column<bool>(type: "boolean", nullable: false),
                    held_reason = table.Column<string>(type: "text", nullable: true),
                    held_kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    held_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    conflict_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    conflict_note = table.Column<string>(type: "text", nullable: true),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    last_synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ticket_links", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ticket_sync_cursors",
                columns: table => new
                {
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    portal_connection_id = table.Column<Guid>(type: "uuid", nullable: true),
                    portal_cursor = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    psa_modified_after = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ticket_sync_cursors", x => x.connection_id);
                });

            migrationBuilder.CreateTable(
                name: "note_links",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    ticket_link_id = table.Column<long>(type: "bigint", nullable: false),
                    portal_comment_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    psa_note_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    origin = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    excerpt = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    author = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_note_links", x => x.id);
                    table.ForeignKey(
                        name: "fk_note_links_ticket_links_ticket_link_id",
                        column: x => x.ticket_link_id,
                        principalTable: "ticket_links",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sync_intents",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    ticket_link_id = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    source_key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    author_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    author_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    result_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sync_intents", x => x.id);
                    table.ForeignKey(
                        name: "fk_sync_intents_ticket_links_ticket_link_id",
                        column: x => x.ticket_link_id,
                        principalTable: "ticket_links",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ticket_ledger",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    ticket_link_id = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    direction = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    subject = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    result = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    portal_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    psa_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    detail = table.Column<string>(type: "text", nullable: false),
                    run_id = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ticket_ledger", x => x.id);
                    table.ForeignKey(
                        name: "fk_ticket_ledger_ticket_links_ticket_link_id",
                        column: x => x.ticket_link_id,
                        principalTable: "ticket_links",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_note_links_connection_id",
                table: "note_links",
                column: "connection_id");

            migrationBuilder.CreateIndex(
                name: "ix_note_links_ticket_link_id_portal_comment_id",
                table: "note_links",
                columns: new[] { "ticket_link_id", "portal_comment_id" },
                unique: true,
                filter: "portal_comment_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_note_links_ticket_link_id_psa_note_id",
                table: "note_links",
                columns: new[] { "ticket_link_id", "psa_note_id" },
                unique: true,
                filter: "psa_note_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_sync_intents_connection_id_state",
                table: "sync_intents",
                columns: new[] { "connection_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_sync_intents_ticket_link_id_kind_source_key",
                table: "sync_intents",
                columns: new[] { "ticket_link_id", "kind", "source_key" },
                unique: true,
                filter: "state = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ix_ticket_ledger_connection_id",
                table: "ticket_ledger",
                column: "connection_id");

            migrationBuilder.CreateIndex(
                name: "ix_ticket_ledger_ticket_link_id_at",
                table: "ticket_ledger",
                columns: new[] { "ticket_link_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_links_connection_id_portal_connection_id_portal_tick",
                table: "ticket_links",
                columns: new[] { "connection_id", "portal_connection_id", "portal_ticket_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ticket_links_connection_id_portal_updated_at",
                table: "ticket_links",
                columns: new[] { "connection_id", "portal_updated_at" });

            migrationBuilder.CreateIndex(
                name: "ix_ticket_links_connection_id_psa_ticket_id",
                table: "ticket_links",
                columns: new[] { "connection_id", "psa_ticket_id" },
                unique: true,
                filter: "psa_ticket_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "note_links");

            migrationBuilder.DropTable(
                name: "sync_intents");

            migrationBuilder.DropTable(
                name: "ticket_ledger");

            migrationBuilder.DropTable(
                name: "ticket_sync_cursors");

            migrationBuilder.DropTable(
                name: "ticket_links");
        }
    }
}

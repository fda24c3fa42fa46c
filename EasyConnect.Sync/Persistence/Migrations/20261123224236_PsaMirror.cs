using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EasyConnect.Sync.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PsaMirror : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "psa_boards",
                columns: table => new
                {
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    psa_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    inactive = table.Column<bool>(type: "boolean", nullable: false),
                    last_modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    seen_run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    raw = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_psa_boards", x => new { x.connection_id, x.psa_id });
                });

            migrationBuilder.CreateTable(
                name: "psa_companies",
                columns: table => new
                {
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    psa_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    identifier = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    inactive = table.Column<bool>(type: "boolean", nullable: false),
                    last_modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    seen_run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    raw = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_psa_companies", x => new { x.connection_id, x.psa_id });
                });

            migrationBuilder.CreateTable(
                name: "psa_configurations",
                columns: table => new
                {
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    psa_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    company_id = table.Column<string>(type: "text", nullable: true),
                    serial_number = table.Column<string>(type: "text", nullable: true),
                    tag_number = table.Column<string>(type: "text", nullable: true),
                    custom_fields = table.Column<string>(type: "jsonb", nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    last_modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    seen_run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    raw = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_psa_configurations", x => new { x.connection_id, x.psa_id });
                });

            migrationBuilder.CreateTable(
                name: "psa_members",
                columns: table => new
                {
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    psa_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    identifier = table.Column<string>(type: "text", nullable: false),
                    first_name = table.Column<string>(type: "text", nullable: false),
                    last_name = table.Column<string>(type: "text", nullable: false),
                    primary_email = table.Column<string>(type: "text", nullable: true),
                    emails = table.Column<List<string>>(type: "text[]", nullable: false),
                    inactive = table.Column<bool>(type: "boolean", nullable: false),
                    last_modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    seen_run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    raw = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_psa_members", x => new { x.connection_id, x.psa_id });
                });

            migrationBuilder.CreateTable(
                name: "psa_priorities",
                columns: table => new
                {
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    psa_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    sort = table.Column<int>(type: "integer", nullable: false),
                    last_modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    seen_run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    raw = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_psa_priorities", x => new { x.connection_id, x.psa_id });
                });

            migrationBuilder.CreateTable(
                name: "psa_statuses",
                columns: table => new
                {
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    psa_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    board_id = table.Column<string>(type: "text", nullable: true),
                    name = table.Column<string>(type: "text", nullable: false),
                    closed = table.Column<bool>(type: "boolean", nullable: false),
                    inactive = table.Column<bool>(type: "boolean", nullable: false),
                    sort = table.Column<int>(type: "integer", nullable: false),
                    last_modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    seen_run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    raw = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_psa_statuses", x => new { x.connection_id, x.psa_id });
                });

            migrationBuilder.CreateTable(
                name: "psa_sync_cursors",
                columns: table => new
                {
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    entity = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    last_modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_psa_sync_cursors", x => new { x.connection_id, x.entity });
                });

            migrationBuilder.CreateTable(
                name: "psa_tickets",
                columns: table => new
                {
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    psa_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    summary = table.Column<string>(type: "text", nullable: false),
                    board_id = table.Column<string>(type: "text", nullable: true),
                    status_id = table.Column<string>(type: "text", nullable: true),
                    priority_id = table.Column<string>(type: "text", nullable: true),
                    company_id = table.Column<string>(type: "text", nullable: true),
                    external_ref = table.Column<string>(type: "text", nullable: true),
                    last_modified = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    seen_run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    raw = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_psa_tickets", x => new { x.connection_id, x.psa_id });
                });

            migrationBuilder.CreateTable(
                name: "sync_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    trigger = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    rows_read = table.Column<int>(type: "integer", nullable: false),
                    rows_upserted = table.Column<int>(type: "integer", nullable: false),
                    rows_deleted = table.Column<int>(type: "integer", nullable: false),
                    api_calls = table.Column<long>(type: "bigint", nullable: false),
                    message = table.Column<string>(type: "text", nullable: true),
                    confirms_run_id = table.Column<Guid>(type: "uuid", nullable: true),
                    started_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    entities_json = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sync_runs", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_psa_boards_connection_id_last_modified",
                table: "psa_boards",
                columns: new[] { "connection_id", "last_modified" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_boards_connection_id_seen_run_id",
                table: "psa_boards",
                columns: new[] { "connection_id", "seen_run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_companies_connection_id_identifier",
                table: "psa_companies",
                columns: new[] { "connection_id", "identifier" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_companies_connection_id_last_modified",
                table: "psa_companies",
                columns: new[] { "connection_id", "last_modified" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_companies_connection_id_seen_run_id",
                table: "psa_companies",
                columns: new[] { "connection_id", "seen_run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_configurations_connection_id_company_id",
                table: "psa_configurations",
                columns: new[] { "connection_id", "company_id" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_configurations_connection_id_last_modified",
                table: "psa_configurations",
                columns: new[] { "connection_id", "last_modified" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_configurations_connection_id_seen_run_id",
                table: "psa_configurations",
                columns: new[] { "connection_id", "seen_run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_configurations_connection_id_serial_number",
                table: "psa_configurations",
                columns: new[] { "connection_id", "serial_number" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_members_connection_id_last_modified",
                table: "psa_members",
                columns: new[] { "connection_id", "last_modified" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_members_connection_id_primary_email",
                table: "psa_members",
                columns: new[] { "connection_id", "primary_email" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_members_connection_id_seen_run_id",
                table: "psa_members",
                columns: new[] { "connection_id", "seen_run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_members_emails",
                table: "psa_members",
                column: "emails")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_psa_priorities_connection_id_last_modified",
                table: "psa_priorities",
                columns: new[] { "connection_id", "last_modified" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_priorities_connection_id_seen_run_id",
                table: "psa_priorities",
                columns: new[] { "connection_id", "seen_run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_statuses_connection_id_board_id",
                table: "psa_statuses",
                columns: new[] { "connection_id", "board_id" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_statuses_connection_id_last_modified",
                table: "psa_statuses",
                columns: new[] { "connection_id", "last_modified" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_statuses_connection_id_seen_run_id",
                table: "psa_statuses",
                columns: new[] { "connection_id", "seen_run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_tickets_connection_id_external_ref",
                table: "psa_tickets",
                columns: new[] { "connection_id", "external_ref" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_tickets_connection_id_last_modified",
                table: "psa_tickets",
                columns: new[] { "connection_id", "last_modified" });

            migrationBuilder.CreateIndex(
                name: "ix_psa_tickets_connection_id_seen_run_id",
                table: "psa_tickets",
                columns: new[] { "connection_id", "seen_run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_sync_runs_connection_id_started_at",
                table: "sync_runs",
                columns: new[] { "connection_id", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_sync_runs_started_at",
                table: "sync_runs",
                column: "started_at");

            // Look-ups later features make that EF cannot model: names without regard to case, and custom fields
            // (the ClusterID) by containment.
            migrationBuilder.Sql("CREATE INDEX ix_psa_configurations_lower_name ON psa_configurations (connection_id, lower(name));");
            migrationBuilder.Sql("CREATE INDEX ix_psa_configurations_custom_fields ON psa_configurations USING gin (custom_fields jsonb_path_ops);");
            migrationBuilder.Sql("CREATE INDEX ix_psa_companies_lower_name ON psa_companies (connection_id, lower(name));");
            migrationBuilder.Sql("CREATE INDEX ix_psa_members_lower_identifier ON psa_members (connection_id, lower(identifier));");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "psa_boards");

            migrationBuilder.DropTable(
                name: "psa_companies");

            migrationBuilder.DropTable(
                name: "psa_configurations");

            migrationBuilder.DropTable(
                name: "psa_members");

            migrationBuilder.DropTable(
                name: "psa_priorities");

            migrationBuilder.DropTable(
                name: "psa_statuses");

            migrationBuilder.DropTable(
                name: "psa_sync_cursors");

            migrationBuilder.DropTable(
                name: "psa_tickets");

            migrationBuilder.DropTable(
                name: "sync_runs");
        }
    }
}

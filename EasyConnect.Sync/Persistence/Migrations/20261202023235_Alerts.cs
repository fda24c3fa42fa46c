using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EasyConnect.Sync.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Alerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "failure_cause",
                table: "sync_runs",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "alert_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cause = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: true),
                    title = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    link = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    digested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    send_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "alert_settings",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    email_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    smtp_host = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    smtp_port = table.Column<int>(type: "integer", nullable: false),
                    smtp_security = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    smtp_user_name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    protected_smtp_password = table.Column<string>(type: "text", nullable: true),
                    from_address = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    to_addresses = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    webhook_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    protected_webhook_url = table.Column<string>(type: "text", nullable: true),
                    app_address = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    digest_hour_utc = table.Column<int>(type: "integer", nullable: false),
                    scanned_until = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_digest_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_settings", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_alert_events_at",
                table: "alert_events",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_alert_events_cause_connection_id_sent_at",
                table: "alert_events",
                columns: new[] { "cause", "connection_id", "sent_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alert_events");

            migrationBuilder.DropTable(
                name: "alert_settings");

            migrationBuilder.DropColumn(
                name: "failure_cause",
                table: "sync_runs");
        }
    }
}
